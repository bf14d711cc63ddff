package org.cavi.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The softmax's exponentials against Math.exp, and the loop form against the one-value form. */
class FastExpTest {
    @Test
    void withinAnUlpOfMathExpAboveTheCutAndZeroBelowIt() {
        SplittableRandom rng = new SplittableRandom(7);
        double worst = 0;
        for (int i = 0; i < 2_000_000; i++) {
            double t = -45 * rng.nextDouble();
            double got = FastExp.term(t);
            if (t <= FastExp.NEGLIGIBLE) {
                assertEquals(0.0, got, "t = " + t);
                continue;
            }
            double want = Math.exp(t);
            worst = Math.max(worst, Math.abs(got - want) / Math.ulp(want));
        }
        assertTrue(worst <= 1, "worst error " + worst + " ulp");
    }

    @Test
    void theTableFormIsWithinTwoUlpAndAgreesAboutTheCut() {
        SplittableRandom rng = new SplittableRandom(9);
        double worst = 0;
        for (int i = 0; i < 2_000_000; i++) {
            double t = -45 * rng.nextDouble();
            double got = FastExp.exp(t);
            if (t <= FastExp.NEGLIGIBLE) {
                assertEquals(0.0, got, "t = " + t);
                continue;
            }
            double want = Math.exp(t);
            worst = Math.max(worst, Math.abs(got - want) / Math.ulp(want));
        }
        assertTrue(worst <= 2, "worst error " + worst + " ulp");
        assertEquals(1.0, FastExp.exp(0.0));
        assertEquals(0.0, FastExp.exp(FastExp.NEGLIGIBLE));
    }

    @Test
    void exactWhereItMustBe() {
        assertEquals(1.0, FastExp.term(0.0));
        assertEquals(1.0, FastExp.term(-0.0));
        assertEquals(0.5, FastExp.term(-Math.log(2)), Math.ulp(0.5));
        assertEquals(0.0, FastExp.term(FastExp.NEGLIGIBLE));
        assertEquals(0.0, FastExp.term(-1e300));
        assertEquals(0.0, FastExp.term(Double.NEGATIVE_INFINITY));
        double above = Math.nextUp(FastExp.NEGLIGIBLE);
        assertEquals(Math.exp(above), FastExp.term(above), Math.ulp(Math.exp(above)));
    }

    @Test
    void theLoopGivesTheSameBitsAsOneValueAtATime() {
        SplittableRandom rng = new SplittableRandom(8);
        int len = 1000;
        double[] e = new double[len], max = new double[len], want = new double[len];
        for (int i = 0; i < len; i++) {
            max[i] = 100 * rng.nextDouble() - 50;
            e[i] = max[i] - (i % 10 == 0 ? 0 : 50 * rng.nextDouble());
            want[i] = FastExp.term(e[i] - max[i]);
        }
        FastExp.terms(e, max, new double[len], new double[len], len);
        for (int i = 0; i < len; i++) {
            assertEquals(Double.doubleToRawLongBits(want[i]), Double.doubleToRawLongBits(e[i]), "i = " + i);
        }
    }
}

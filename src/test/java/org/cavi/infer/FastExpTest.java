package org.cavi.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Both forms of the softmax's exponentials against Math.exp, and where they must be exact. */
class FastExpTest {
    private static double[] terms(double... t) {
        double[] e = t.clone();
        FastExp.terms(e, new double[t.length], new double[t.length], new double[t.length], t.length);
        return e;
    }

    @Test
    void theLoopFormIsWithinAnUlpAboveTheCutAndZeroBelowIt() {
        SplittableRandom rng = new SplittableRandom(7);
        double[] t = new double[2_000_000];
        for (int i = 0; i < t.length; i++) t[i] = -45 * rng.nextDouble();
        // e − max with max ≠ 0, as the passes call it
        double[] e = new double[t.length], max = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            max[i] = i % 3 == 0 ? 0 : 10 * rng.nextDouble();
            e[i] = t[i] + max[i];
            t[i] = e[i] - max[i];
        }
        FastExp.terms(e, max, new double[t.length], new double[t.length], t.length);
        double worst = 0;
        for (int i = 0; i < t.length; i++) {
            if (t[i] <= FastExp.NEGLIGIBLE) {
                assertEquals(0.0, e[i], "t = " + t[i]);
                continue;
            }
            double want = Math.exp(t[i]);
            worst = Math.max(worst, Math.abs(e[i] - want) / Math.ulp(want));
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
        double above = Math.nextUp(FastExp.NEGLIGIBLE);
        double[] got = terms(0.0, -0.0, -Math.log(2), FastExp.NEGLIGIBLE, -1e300, Double.NEGATIVE_INFINITY, above);
        assertEquals(1.0, got[0]);
        assertEquals(1.0, got[1]);
        assertEquals(0.5, got[2], Math.ulp(0.5));
        assertEquals(0.0, got[3]);
        assertEquals(0.0, got[4]);
        assertEquals(0.0, got[5]);
        assertEquals(Math.exp(above), got[6], Math.ulp(Math.exp(above)));
    }
}

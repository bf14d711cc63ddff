package org.cavi.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The report's 95% intervals against scipy's quantiles (an independent implementation:
 * scipy.stats 1.x, `gamma.ppf`, `beta.ppf`, `t.ppf`), on both sides of the switch to the
 * asymptotic forms; and every parameter a fit can reach gives an interval or none, never NaN.
 */
class IntervalTest {
    static void close(double expected, double actual, double rel) {
        assertEquals(expected, actual, rel * Math.abs(expected), () -> "expected " + expected + " but was " + actual);
    }

    @Test
    void gammaQuantilesAreScipys() {
        close(8.006382137314663, Interval.gamma(3.5, 1)[1], 1e-9);
        close(8.006382137314663 / 4, Interval.gamma(3.5, 4)[1], 1e-9); // a rate, not a scale
        close(100620.74164077373, Interval.gamma(1e5, 1)[1], 1e-12);
        close(501386.850733963, Interval.gamma(5e5, 1)[1], 1e-12);
        close(998040.9833402939, Interval.gamma(1e6, 1)[0], 1e-10);
        close(1001960.9109654503, Interval.gamma(1e6, 1)[1], 1e-10);
        close(9993802.996884268, Interval.gamma(1e7, 1)[0], 1e-11);
        close(10006198.8974216, Interval.gamma(1e7, 1)[1], 1e-11);
        close(999938021.4439279, Interval.gamma(1e9, 1)[0], 1e-11);
        close(1000000061979504.1, Interval.gamma(1e15, 1)[1], 1e-11);
    }

    @Test
    void studentTQuantilesAreScipys() {
        close(2.7250727225923743, Interval.studentT(4.2, 0, 1)[1], 1e-9);
        close(10 + 3 * 2.7250727225923743, Interval.studentT(4.2, 10, 3)[1], 1e-9);
        close(1.9623390808264083, Interval.studentT(1e3, 0, 1)[1], 1e-9);
        close(1.960201239890626, Interval.studentT(1e4, 0, 1)[1], 1e-9);
        close(1.9600826051581348, Interval.studentT(2e4, 0, 1)[1], 1e-11);
        close(1.959966356814107, Interval.studentT(1e6, 0, 1)[1], 1e-12);
        close(1.959964221767205, Interval.studentT(1e7, 0, 1)[1], 1e-12);
        close(1.9599639845424262, Interval.studentT(1e12, 0, 1)[1], 1e-12);
    }

    @Test
    void betaQuantilesAreScipys() {
        close(0.5438244331193475, Interval.beta(2.5, 7.5)[1], 1e-9);
        close(0.33316465701991166, Interval.beta(1e7, 2e7)[0], 1e-9);
        close(0.3335020306945981, Interval.beta(1e7, 2e7)[1], 1e-9);
        close(0.4999780869364934, Interval.beta(1e9, 1e9)[0], 1e-10);
        close(0.2513430767733202, Interval.beta(1e5, 3e5)[1], 1e-9);
        close(0.5009799812961253, Interval.beta(5e5, 5e5)[1], 1e-9);
        close(2.996597205345482e-06, Interval.beta(3e6, 1e12)[0], 1e-7);
        close(3.0033866889979885e-06, Interval.beta(3e6, 1e12)[1], 1e-7);
    }

    @Test
    void everyReachableParameterGivesAnIntervalOrNone() {
        double[] values = {1e-300, 1e-20, 1e-5, 0.5, 1, 2.5, 1e3, 1e6, 1.5e6, 1e10, 1e12, 1e13, 1e155, 1e300};
        for (double a : values) {
            for (double b : values) {
                check("Gamma(" + a + ", " + b + ")", () -> Interval.gamma(a, b));
                check("Beta(" + a + ", " + b + ")", () -> Interval.beta(a, b));
                check("t(" + a + ") scale " + b, () -> Interval.studentT(a, 0, b));
            }
        }
    }

    private static void check(String what, java.util.function.Supplier<double[]> interval) {
        double[] i;
        try {
            i = interval.get();
        } catch (RuntimeException e) {
            return; // none: the report leaves it out
        }
        // an end that is not finite is left out by Interval.put; finite ends must be in order
        if (Double.isFinite(i[0]) && Double.isFinite(i[1])) assertTrue(i[0] <= i[1], what + ": " + i[0] + " > " + i[1]);
    }
}

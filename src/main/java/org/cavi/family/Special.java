package org.cavi.family;

import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

/** The special functions the families share, in one place. */
public final class Special {
    private Special() {}

    public static final double LOG_2PI = Math.log(2 * Math.PI);

    public static double digamma(double x) { return Gamma.digamma(x); }

    public static double logGamma(double x) { return Gamma.logGamma(x); }

    public static double logBeta(double a, double b) { return Beta.logBeta(a, b); }

    /** A number as messages show it: 2, not 2.0. */
    public static String format(double v) {
        // 1e305 and 2.5e-12, as a model writes them, not Java's 1.0E305
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                : Double.toString(v).replace(".0E", "E").replace('E', 'e');
    }

    /** H[Gamma(shape a, rate b)]. */
    public static double gammaEntropy(double a, double b) {
        return a - Math.log(b) + Gamma.logGamma(a) + (1 - a) * Gamma.digamma(a);
    }
}

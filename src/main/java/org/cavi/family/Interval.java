package org.cavi.family;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Central 95% intervals of q's marginals, as the report shows them: the 2.5% and 97.5%
 * quantiles. Each is exact for its distribution (no normal approximation): Gamma and Beta for
 * q(θ), Beta(α_k, Σα − α_k) for a Dirichlet weight, and Student-t for a mean whose precision
 * has been integrated out of a Normal-Gamma or Normal-Wishart block.
 */
public final class Interval {
    private Interval() {}

    /** The lower and upper tail probabilities. */
    public static final double LOWER = 0.025, UPPER = 0.975;

    /** Φ⁻¹(0.975). */
    private static final double Z = 1.959963984540054;

    // the distributions are built without a random generator: a report draws nothing
    public static double[] normal(double mean, double sd) {
        return new double[] {mean - Z * sd, mean + Z * sd};
    }

    /**
     * Above this, a shape or degrees of freedom takes the asymptotic forms below: commons-math's
     * solvers grow slow there (a shape of 1e155 does not finish) and lose digits (a t with 1e10
     * degrees of freedom is off by 8e-7), while the asymptotic forms' errors are below 2e-11.
     */
    static final double LARGE = 1e6;

    /** Gamma with this shape and rate. */
    public static double[] gamma(double shape, double rate) {
        if (shape > LARGE) return new double[] {wilsonHilferty(shape, -Z) / rate, wilsonHilferty(shape, Z) / rate};
        GammaDistribution g = new GammaDistribution(null, shape, 1);
        return new double[] {g.inverseCumulativeProbability(LOWER) / rate, g.inverseCumulativeProbability(UPPER) / rate};
    }

    /** Gamma(shape, 1)'s quantile at Φ(z) (Wilson and Hilferty 1931): relative error 2e-11 at a shape of 1e6. */
    private static double wilsonHilferty(double shape, double z) {
        double c = 1 / (9 * shape);
        return shape * Math.pow(1 - c + z * Math.sqrt(c), 3);
    }

    public static double[] beta(double a, double b) {
        if (Math.min(a, b) > LARGE) {
            // nearly normal: the Cornish-Fisher expansion to its skewness term
            double n = a + b, mean = a / n, sd = Math.sqrt(a * b / (n * n * (n + 1)));
            double skew = 2 * (b - a) * Math.sqrt(n + 1) / ((n + 2) * Math.sqrt(a * b));
            double shift = skew * (Z * Z - 1) / 6;
            return new double[] {mean + sd * (-Z + shift), mean + sd * (Z + shift)};
        }
        if (Math.max(a, b) > LARGE * LARGE) {
            // one count beyond 1e12 beside a small one: neither form holds; the report shows no interval
            throw new ArithmeticException("no interval for Beta(" + a + ", " + b + ")");
        }
        BetaDistribution d = new BetaDistribution(null, a, b);
        return new double[] {d.inverseCumulativeProbability(LOWER), d.inverseCumulativeProbability(UPPER)};
    }

    /** loc + scale·t with {@code dof} degrees of freedom. */
    public static double[] studentT(double dof, double loc, double scale) {
        double t = dof > 1e4
                // the Cornish-Fisher expansion of t about the normal (Abramowitz and Stegun 26.7.5), to
                // 1e-12 here, where commons-math's solver (to 1e-9) is the less exact
                ? Z + (Z * Z * Z + Z) / (4 * dof) + (5 * Math.pow(Z, 5) + 16 * Z * Z * Z + 3 * Z) / (96 * dof * dof)
                : new TDistribution(null, dof).inverseCumulativeProbability(UPPER);
        return new double[] {loc - t * scale, loc + t * scale};
    }

    /**
     * Puts "lower" and "upper", component j's interval {@code of(j)}, into a report's fields; puts
     * nothing when an end is not a finite number (a q at the edge of doubles, as under a prior
     * of 1e-300): the report shows no interval rather than a wrong or infinite one.
     */
    static void put(java.util.Map<String, Object> fields, int k, java.util.function.IntFunction<double[]> of) {
        double[] lower = new double[k], upper = new double[k];
        for (int j = 0; j < k; j++) {
            double[] i;
            try {
                i = of.apply(j);
            } catch (RuntimeException e) { // commons-math refuses parameters beyond its solvers
                return;
            }
            if (!Double.isFinite(i[0]) || !Double.isFinite(i[1])) return;
            lower[j] = i[0];
            upper[j] = i[1];
        }
        fields.put("lower", lower);
        fields.put("upper", upper);
    }

    /** As {@link #put}, for a vector per component: the interval of each coordinate d, {@code of(j, d)}. */
    static void putVectors(java.util.Map<String, Object> fields, int k, int dims, java.util.function.BiFunction<Integer, Integer, double[]> of) {
        double[][] lower = new double[k][dims], upper = new double[k][dims];
        for (int j = 0; j < k; j++) {
            for (int d = 0; d < dims; d++) {
                double[] i;
                try {
                    i = of.apply(j, d);
                } catch (RuntimeException e) {
                    return;
                }
                if (!Double.isFinite(i[0]) || !Double.isFinite(i[1])) return;
                lower[j][d] = i[0];
                upper[j][d] = i[1];
            }
        }
        fields.put("lower", lower);
        fields.put("upper", upper);
    }
}

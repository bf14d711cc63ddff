package org.cavi.driver;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.cavi.data.Points;
import org.cavi.plan.Mixture;

/**
 * The data's size and spread, read when a fit of a Normal likelihood fails in its arithmetic
 * (a matrix not positive definite, a NaN): data beyond what doubles hold through the fit's
 * squares are refused with a message that says what to do, and a failure with ordinary data
 * stays an internal error.
 */
final class DataScale {
    private DataScale() {}

    /** Beyond this size the fit's squares, summed over the data, overflow doubles (1.8e308). */
    static final double LIMIT = 1e150;
    /**
     * A point this many typical spreads from the rest makes squares that differ by 1e12 and more:
     * added to the rest's, they leave them fewer than 4 of a double's 16 digits. (Measured on
     * models/bishop-gmm.vi's data with one point moved to (t, t): t = 1e6 fits, t = 1e8 does not.)
     */
    static final double RANGE = 1e6;
    /** Rows read for the medians: evenly spaced, at most this many. */
    private static final int SAMPLE = 1 << 16;

    /** Why the data are beyond the fit's arithmetic under {@code mix}'s prior, or empty when they are not. */
    static Optional<String> beyondDoubles(Points x, Mixture mix) {
        int d = mix.dimension();
        long n = x.size() / d;
        if (n == 0) return Optional.empty();
        double largest = 0;
        long at = 0;
        for (long i = 0; i < x.size(); i++) {
            double v = Math.abs(x.get(i));
            if (v > largest || Double.isNaN(v)) { largest = v; at = i / d; }
        }
        if (largest > LIMIT) {
            double factor = Math.pow(10, Math.floor(Math.log10(largest)));
            return Optional.of(String.format(Locale.ROOT, "the data are too large for the fit's arithmetic: a value reaches %.3g"
                    + " (point %d), and the fit squares the data and sums the squares, which overflows doubles beyond about"
                    + " %s. Rescale: divide the data by %s, fit, and multiply the fitted means by %s; rescale the model's"
                    + " constants to match (a prior mean divided by the factor, a prior variance or covariance by its square,"
                    + " a precision or a Wishart's W0 multiplied by its square)",
                    largest, at + 1, e(LIMIT), e(factor), e(factor)));
        }
        // the median and the median absolute deviation of each coordinate, from a sample
        double[] rows = x.rows(d, SAMPLE);
        int m = rows.length / d;
        double[] median = new double[d], spread = new double[d], column = new double[m];
        for (int c = 0; c < d; c++) {
            for (int i = 0; i < m; i++) column[i] = rows[i * d + c];
            median[c] = median(column);
            for (int i = 0; i < m; i++) column[i] = Math.abs(rows[i * d + c] - median[c]);
            spread[c] = median(column);
        }
        double farthest = 0;
        long point = -1;
        int coordinate = 0;
        for (long i = 0; i < x.size(); i++) {
            int c = (int) (i % d);
            if (!(spread[c] > 0)) continue;
            double r = Math.abs(x.get(i) - median[c]) / spread[c];
            if (r > farthest) { farthest = r; point = i / d; coordinate = c; }
        }
        if (farthest <= RANGE) return outOfThePriorsScale(x, mix);
        return Optional.of(String.format(Locale.ROOT, "one point is too far from the rest for the fit's arithmetic: point %d, %s,"
                + " lies %.3g typical spreads from the data's median (in coordinate %d, whose median absolute deviation is"
                + " %.3g), so the squares of the points of one component span more than the 16 digits a double holds, and a"
                + " matrix of the fit is no longer positive definite in doubles. Rescaling cannot help, since the ratio"
                + " stays; correct or remove that point, or fit it apart from the rest",
                point + 1, point(x, d, point), farthest, coordinate + 1, spread[coordinate]));
    }

    /**
     * Under a Wishart prior, a component of few points has W⁻¹ = W0⁻¹ + (its points' scatter about
     * the prior mean), and with one or two points the scatter has a direction of no spread, which
     * only W0⁻¹ fills: when the points lie RANGE or more of W0's lengths from the prior mean, the
     * sum rounds to a singular matrix. The prior is then on another scale than the data.
     */
    private static Optional<String> outOfThePriorsScale(Points x, Mixture mix) {
        if (!(mix.components() instanceof Mixture.Components.MvNormal mv)
                || !(mv.precision() instanceof org.cavi.family.NormalPrior.MvPrecision.Wishart w)) return Optional.empty();
        int d = mix.dimension();
        double[] m0 = mv.m0();
        double trace = 0;
        for (int a = 0; a < d; a++) trace += w.w0()[a][a];
        double length = 1 / Math.sqrt(trace);
        double farthest = 0;
        long point = 0;
        for (long i = 0; i < x.size() / d; i++) {
            double ss = 0;
            for (int a = 0; a < d; a++) ss += (x.get(i * d + a) - m0[a]) * (x.get(i * d + a) - m0[a]);
            if (Math.sqrt(ss) > farthest) { farthest = Math.sqrt(ss); point = i; }
        }
        if (!(farthest / length > RANGE)) return Optional.empty();
        StringBuilder prior = new StringBuilder("(");
        for (int a = 0; a < d; a++) prior.append(a == 0 ? "" : ", ").append(number(m0[a]));
        return Optional.of(String.format(Locale.ROOT, "the data are out of the prior's scale for the fit's arithmetic:"
                + " point %d, %s, lies %.3g from the prior mean of %s, %s), in units of the length the Wishart prior of %s"
                + " sets, 1/√trace(W0) = %s; a component of few points then has a scale matrix whose directions differ by"
                + " more than the 16 digits a double holds, and it is not positive definite in doubles. Put the prior on"
                + " the data's scale (W0 about eye(D)/s², s the data's spread, and the prior mean among the data), or"
                + " rescale the data to the prior's",
                point + 1, point(x, d, point), farthest / length, mv.mean(), prior, w.name(), number(length)));
    }

    /** A point as the user wrote it: one number, or (a, b, …). */
    private static String point(Points x, int d, long point) {
        StringBuilder p = new StringBuilder(d == 1 ? "" : "(");
        for (int c = 0; c < d; c++) p.append(c == 0 ? "" : ", ").append(number(x.get(point * d + c)));
        return d > 1 ? p.append(')').toString() : p.toString();
    }

    /** Six significant digits without trailing zeros: 1e+100, 2.5, 1234.57. */
    static String number(double v) {
        String s = String.format(Locale.ROOT, "%.6g", v);
        int e = s.indexOf('e');
        String mantissa = e < 0 ? s : s.substring(0, e);
        if (mantissa.contains(".")) mantissa = mantissa.replaceAll("\\.?0+$", "");
        return e < 0 ? mantissa : mantissa + s.substring(e);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length;
        return m % 2 == 1 ? s[m / 2] : 0.5 * (s[m / 2 - 1] + s[m / 2]);
    }

    /** 1e150 rather than 1.0E150. */
    private static String e(double power) {
        return "1e" + Math.round(Math.log10(power));
    }
}

package org.cavi.driver;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.cavi.data.Points;
import org.cavi.infer.Engine;
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
        Found largest = farthest(x, d, new Largest());
        if (largest.score() > LIMIT) {
            double factor = Math.pow(10, Math.floor(Math.log10(largest.score())));
            return Optional.of(String.format(Locale.ROOT, "the data are too large for the fit's arithmetic: a value reaches %.3g"
                    + " (point %d), and the fit squares the data and sums the squares, which overflows doubles beyond about"
                    + " %s. Rescale: divide the data by %s, fit, and multiply the fitted means by %s; rescale the model's"
                    + " constants to match (a prior mean divided by the factor, a prior variance or covariance by its square,"
                    + " a precision or a Wishart's W0 multiplied by its square)",
                    largest.score(), largest.row() + 1, e(LIMIT), e(factor), e(factor)));
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
        Found far = farthest(x, d, new Spreads(median, spread));
        if (!(far.score() > RANGE)) return outOfThePriorsScale(x, mix);
        return Optional.of(String.format(Locale.ROOT, "one point is too far from the rest for the fit's arithmetic: point %d, %s,"
                + " lies %.3g typical spreads from the data's median (in coordinate %d, whose median absolute deviation is"
                + " %.3g), so the squares of the points of one component span more than the 16 digits a double holds, and a"
                + " matrix of the fit is no longer positive definite in doubles. Rescaling cannot help, since the ratio"
                + " stays; correct or remove that point, or fit it apart from the rest",
                far.row() + 1, point(far.values()), far.score(), far.coordinate() + 1, spread[far.coordinate()]));
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
        Found far = farthest(x, d, new Distance(m0.clone()));
        if (!(far.score() / length > RANGE)) return Optional.empty();
        StringBuilder prior = new StringBuilder("(");
        for (int a = 0; a < d; a++) prior.append(a == 0 ? "" : ", ").append(number(m0[a]));
        return Optional.of(String.format(Locale.ROOT, "the data are out of the prior's scale for the fit's arithmetic:"
                + " point %d, %s, lies %.3g from the prior mean of %s, %s), in units of the length the Wishart prior of %s"
                + " sets, 1/√trace(W0) = %s; a component of few points then has a scale matrix whose directions differ by"
                + " more than the 16 digits a double holds, and it is not positive definite in doubles. Put the prior on"
                + " the data's scale (W0 about eye(D)/s², s the data's spread, and the prior mean among the data), or"
                + " rescale the data to the prior's",
                far.row() + 1, point(far.values()), far.score() / length, mv.mean(), prior, w.name(), number(length)));
    }

    /** A point as the user wrote it: one number, or (a, b, …). */
    private static String point(double[] values) {
        int d = values.length;
        StringBuilder p = new StringBuilder(d == 1 ? "" : "(");
        for (int c = 0; c < d; c++) p.append(c == 0 ? "" : ", ").append(number(values[c]));
        return d > 1 ? p.append(')').toString() : p.toString();
    }

    /** The row of the data with the highest score (the first of equals): its score, index, coordinate and values. */
    record Found(double score, long row, int coordinate, double[] values) {}

    /** A row's score and the coordinate it comes from; shipped to where the data are. */
    interface Score extends java.io.Serializable {
        /** The score of {@code row} (d values), at least 0; its coordinate into at[0]. */
        double of(double[] row, int[] at);
    }

    /** The largest |value| of a row (NaN counting as the largest). */
    record Largest() implements Score {
        public double of(double[] row, int[] at) {
            double best = 0;
            for (int c = 0; c < row.length; c++) {
                double v = Math.abs(row[c]);
                if (v > best || Double.isNaN(v)) { best = Double.isNaN(v) ? Double.POSITIVE_INFINITY : v; at[0] = c; }
            }
            return best;
        }
    }

    /** The largest |x_c − median_c| / spread_c of a row, over the coordinates that have a spread. */
    record Spreads(double[] median, double[] spread) implements Score {
        public double of(double[] row, int[] at) {
            double best = 0;
            for (int c = 0; c < row.length; c++) {
                if (!(spread[c] > 0)) continue;
                double r = Math.abs(row[c] - median[c]) / spread[c];
                if (r > best) { best = r; at[0] = c; }
            }
            return best;
        }
    }

    /** A row's Euclidean distance from a point. */
    record Distance(double[] from) implements Score {
        public double of(double[] row, int[] at) {
            double ss = 0;
            for (int a = 0; a < row.length; a++) ss += (row[a] - from[a]) * (row[a] - from[a]);
            return Math.sqrt(ss);
        }
    }

    /**
     * The row with the highest score, by a pass of the engine that holds the data: each block finds
     * its own, and the first of the highest over the blocks in order is the first in the data.
     */
    static Found farthest(Points x, int d, Score score) {
        long n = x.size() / d;
        double[][] slots = new double[Engine.BLOCKS][3 + d];
        Engine.forData(x, 1).pass(x, d, new Farthest(d, score), slots, 3 + d, x.size(), new double[3 + d]);
        Found best = new Found(-1, 0, 0, new double[d]);
        for (int b = 0; b < Engine.BLOCKS; b++) {
            double[] s = slots[b];
            if (s[0] > best.score()) {
                best = new Found(s[0], Engine.blockStart(n, b) + (long) s[1], (int) s[2], java.util.Arrays.copyOfRange(s, 3, 3 + d));
            }
        }
        return best;
    }

    /** Per block: [score, row within the block, coordinate, the row's values] of its highest-scoring row; score −1 when empty. */
    record Farthest(int d, Score score) implements Engine.BlockPass {
        @Override
        public void accumulate(Points rows, int from, int to, double[] sums) {
            java.util.Arrays.fill(sums, 0);
            sums[0] = -1;
            double[] row = new double[d];
            int[] at = new int[1];
            for (int i = from; i < to; i++) {
                rows.read((long) i * d, row, 0, d);
                at[0] = 0;
                double s = score.of(row, at);
                if (s > sums[0]) {
                    sums[0] = s;
                    sums[1] = i - from;
                    sums[2] = at[0];
                    System.arraycopy(row, 0, sums, 3, d);
                }
            }
        }
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

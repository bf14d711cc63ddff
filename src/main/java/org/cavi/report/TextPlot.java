package org.cavi.report;

import java.util.Locale;
import org.cavi.data.Points;
import org.cavi.infer.FitResult;
import org.cavi.plan.Mixture;

/** A histogram of the data in the terminal, with the fitted density drawn over it. */
public final class TextPlot {
    private TextPlot() {}

    /** Columns are bins; █ is the data, • the fitted density. For D-dimensional data, the first coordinate. */
    public static String histogram(Mixture mix, Points data, FitResult r, int width, int height) {
        int d = mix.dimension();
        double[] x = data.rows(d, Plots.MAX_ROWS);
        int n = x.length / d;
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) { lo = Math.min(lo, x[i * d]); hi = Math.max(hi, x[i * d]); }
        boolean counts = mix.components() instanceof Mixture.Components.Linear lin && lin.likelihood().discrete();
        if (counts && hi - lo + 1 <= width) return masses(mix, x, n, (long) lo, (long) hi, r, width, height);
        if (!(hi > lo)) hi = lo + 1;
        double binWidth = (hi - lo) / width;
        double[] density = new double[width];
        for (int i = 0; i < n; i++) {
            int b = (int) Math.min(width - 1, (x[i * d] - lo) / binWidth);
            density[b] += 1.0 / (n * binWidth);
        }
        Plots.Component[] comps = Plots.components(mix, r);
        double[] fitted = new double[width];
        for (int b = 0; b < width; b++) {
            double centre = lo + (b + 0.5) * binWidth;
            for (Plots.Component c : comps) {
                // a probability mass per integer spread over its bins, for counts
                fitted[b] += counts ? Plots.density(mix, c, Math.round(centre)) * Math.min(1, binWidth) / binWidth
                        : Plots.density(mix, c, centre);
            }
        }
        double top = 0;
        for (int b = 0; b < width; b++) top = Math.max(top, Math.max(density[b], fitted[b]));
        StringBuilder out = new StringBuilder();
        for (int row = height; row >= 1; row--) {
            double level = top * (row - 0.5) / height;
            out.append(row == height ? String.format(Locale.ROOT, "%8.3g ┤", top) : "         │");
            for (int b = 0; b < width; b++) {
                boolean curve = Math.abs(fitted[b] - level) <= top / (2.0 * height);
                out.append(curve ? '•' : density[b] >= level ? '█' : ' ');
            }
            out.append('\n');
        }
        out.append("       0 └").append("─".repeat(width)).append('\n');
        String left = String.format(Locale.ROOT, "%.4g", lo), right = String.format(Locale.ROOT, "%.4g", hi);
        out.append("          ").append(left).append(" ".repeat(Math.max(1, width - left.length() - right.length()))).append(right).append('\n');
        out.append("          █ data (").append(mix.data()).append(d > 1 ? ", first coordinate" : "")
           .append(")   • fitted ").append(mix.k() > 1 ? "mixture" : "model").append(" density\n");
        return out.toString();
    }

    /**
     * Counts and 0/1 values: a group of columns per value lo..hi, █ its share of the data and • the
     * fitted probability of that value (not a density spread over bins).
     */
    private static String masses(Mixture mix, double[] x, int n, long lo, long hi, FitResult r, int width, int height) {
        int values = (int) (hi - lo + 1), each = Math.max(1, Math.min(8, width / values));
        double[] share = new double[values], fitted = new double[values];
        for (int i = 0; i < n; i++) share[(int) (Math.round(x[i]) - lo)] += 1.0 / n;
        for (Plots.Component c : Plots.components(mix, r)) {
            for (int v = 0; v < values; v++) fitted[v] += Plots.density(mix, c, lo + v);
        }
        double top = 0;
        for (int v = 0; v < values; v++) top = Math.max(top, Math.max(share[v], fitted[v]));
        StringBuilder out = new StringBuilder();
        for (int row = height; row >= 1; row--) {
            double level = top * (row - 0.5) / height;
            out.append(row == height ? String.format(Locale.ROOT, "%8.3g ┤", top) : "         │");
            for (int v = 0; v < values; v++) {
                boolean curve = Math.abs(fitted[v] - level) <= top / (2.0 * height);
                char bar = share[v] >= level ? '█' : ' ';
                // the value's columns: the bar, with the fitted probability as • in its middle
                for (int c = 0; c < each; c++) out.append(c == each / 2 && curve ? '•' : c == each - 1 && each > 1 ? ' ' : bar);
            }
            out.append('\n');
        }
        out.append("       0 └").append("─".repeat(values * each)).append('\n');
        StringBuilder axis = new StringBuilder("          ");
        for (int v = 0; v < values; v++) {
            String label = Long.toString(lo + v);
            if (label.length() < each || v == 0 || v == values - 1) {
                axis.append(label).append(" ".repeat(Math.max(0, each - label.length())));
            } else {
                axis.append(" ".repeat(each));
            }
        }
        out.append(axis.toString().stripTrailing()).append('\n');
        out.append("          █ share of the data (").append(mix.data())
           .append(")   • fitted ").append(mix.k() > 1 ? "mixture" : "model").append(" probability of each value\n");
        return out.toString();
    }
}

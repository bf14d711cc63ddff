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
        if (!(hi > lo)) hi = lo + 1;
        double binWidth = (hi - lo) / width;
        double[] density = new double[width];
        for (int i = 0; i < n; i++) {
            int b = (int) Math.min(width - 1, (x[i * d] - lo) / binWidth);
            density[b] += 1.0 / (n * binWidth);
        }
        boolean counts = mix.components() instanceof Mixture.Components.Linear lin && lin.likelihood().discrete();
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
}

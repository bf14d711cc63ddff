package org.cavi.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.cavi.data.Points;
import org.cavi.infer.Predictive;

/** What `cavi predict` writes: each new point's log predictive density and responsibilities, and the held-out total. */
public final class Predictions {
    private Predictions() {}

    /**
     * The held-out log density Σ log p(x* | x) of {@code points}, and the first point whose log
     * density is not a finite double (so far from every component that the log underflows past
     * −1.8e308), if any: such a point is refused, not written as −Infinity.
     */
    public record Scan(double total, java.util.OptionalLong notFinite) {}

    public static Scan scan(Predictive predictive, Points points, int d) {
        double sum = 0;
        double[] x = new double[d];
        for (long i = 0; i < points.size() / d; i++) {
            points.read(i * d, x, 0, d);
            double log = predictive.at(x).logDensity();
            if (!Double.isFinite(log)) return new Scan(Double.NaN, java.util.OptionalLong.of(i));
            sum += log;
        }
        return new Scan(sum, java.util.OptionalLong.empty());
    }

    /** One line: the number of new points and their log predictive density in all and per point. */
    public static String summary(long n, double total) {
        return String.format(Locale.ROOT, "held-out: %d point%s, log p(x* | x) = %.6f in all, %.6f per point%n",
                n, n == 1 ? "" : "s", total, total / n);
    }

    /**
     * Writes CSV log_density[,p1,…,pK] (the components numbered as reports number them), to
     * {@code file} whole or not at all, or to {@code stdout} when the file is "-".
     */
    public static Optional<String> write(Path file, Predictive predictive, Points points, int d, int k, boolean mixture,
                                         java.io.PrintWriter stdout) {
        return AtomicFile.writeText(file, stdout, w -> rows(w, predictive, points, d, k, mixture));
    }

    private static void rows(BufferedWriter w, Predictive predictive, Points points, int d, int k, boolean mixture) throws IOException {
        w.write("log_density");
        if (mixture) for (int j = 1; j <= k; j++) w.write(",p" + j);
        w.write('\n');
        double[] x = new double[d];
        for (long i = 0; i < points.size() / d; i++) {
            points.read(i * d, x, 0, d);
            Predictive.Point p = predictive.at(x);
            w.write(Double.toString(p.logDensity()));
            for (double r : p.responsibilities()) {
                w.write(',');
                w.write(Double.toString(r));
            }
            w.write('\n');
        }
    }
}

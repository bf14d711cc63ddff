package org.cavi.infer;

import java.io.Serializable;
import org.cavi.data.Points;

/**
 * What a start needs of the whole data: the mean, the covariance, and sums of a function of each
 * value (the likelihood's base measure). Each is a pass of the engine that holds the data, its
 * block sums added in block order, so it is the same bits on every engine, and the data need not
 * be here.
 */
final class DataMoments {
    private DataMoments() {}

    /** The mean of each of the d coordinates. */
    static double[] mean(Engine engine, Points x, int d) {
        double[] total = sum(engine, x, d, new Sums(d), d);
        long n = x.size() / d;
        for (int a = 0; a < d; a++) total[a] /= n;
        return total;
    }

    /** The covariance about {@code mean}, divided by n (not n − 1): d × d. */
    static double[][] covariance(Engine engine, Points x, int d, double[] mean) {
        double[] total = sum(engine, x, d, new Squares(d, mean.clone()), d * d);
        long n = x.size() / d;
        double[][] cov = new double[d][d];
        for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) cov[a][b] = total[a * d + b] / n;
        return cov;
    }

    /** Σ_i f(x_i) over the values of one-dimensional data. */
    static double sumOf(Engine engine, Points x, ValueFunction f) {
        return sum(engine, x, 1, new SumOf(f), 1)[0];
    }

    /** A function of one value that can be shipped to where the data are. */
    interface ValueFunction extends Serializable {
        double apply(double v);
    }

    private static double[] sum(Engine engine, Points x, int d, Engine.BlockPass kernel, int width) {
        double[][] slots = new double[Engine.BLOCKS][width];
        double[] total = new double[width];
        engine.pass(x, d, kernel, slots, width, x.size(), total);
        return total;
    }

    /** Per block: Σ x_a for each coordinate. */
    private record Sums(int d) implements Engine.BlockPass {
        @Override
        public void accumulate(Points rows, int from, int to, double[] sums) {
            java.util.Arrays.fill(sums, 0);
            double[] row = new double[d];
            for (int i = from; i < to; i++) {
                rows.read((long) i * d, row, 0, d);
                for (int a = 0; a < d; a++) sums[a] += row[a];
            }
        }
    }

    /** Per block: Σ (x_a − m_a)(x_b − m_b), row-major d × d. */
    private record Squares(int d, double[] mean) implements Engine.BlockPass {
        @Override
        public void accumulate(Points rows, int from, int to, double[] sums) {
            java.util.Arrays.fill(sums, 0);
            double[] row = new double[d];
            for (int i = from; i < to; i++) {
                rows.read((long) i * d, row, 0, d);
                for (int a = 0; a < d; a++) row[a] -= mean[a];
                for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) sums[a * d + b] += row[a] * row[b];
            }
        }
    }

    /** Per block: Σ f(x_i). */
    private record SumOf(ValueFunction f) implements Engine.BlockPass {
        @Override
        public void accumulate(Points rows, int from, int to, double[] sums) {
            double s = 0;
            for (int i = from; i < to; i++) s += f.apply(rows.get(i));
            sums[0] = s;
        }
    }
}

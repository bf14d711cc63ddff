package org.cavi.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.cavi.data.Points;
import org.junit.jupiter.api.Test;

/**
 * The data's moments as block passes: against the same sums in exact arithmetic
 * (BigDecimal), and the same bits on any number of threads, since the blocks are added in order.
 */
class DataMomentsTest {
    @Test
    void meanAndCovarianceAreTheDataOnesAndTheSameOnAnyThreads() {
        int n = 300_001, d = 3;
        SplittableRandom rng = new SplittableRandom(7);
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) {
            x[i * d] = 1e6 + rng.nextGaussian();
            x[i * d + 1] = -3 + 2 * rng.nextGaussian();
            x[i * d + 2] = x[i * d + 1] * 0.5 + rng.nextGaussian();
        }
        Points p = Points.of(x);
        double[] mean = DataMoments.mean(Parallel.of(1), p, d);
        double[][] cov = DataMoments.covariance(Parallel.of(1), p, d, mean);
        for (int a = 0; a < d; a++) {
            java.math.BigDecimal s = java.math.BigDecimal.ZERO;
            for (int i = 0; i < n; i++) s = s.add(new java.math.BigDecimal(x[i * d + a]));
            double exact = s.divide(java.math.BigDecimal.valueOf(n), java.math.MathContext.DECIMAL128).doubleValue();
            assertEquals(exact, mean[a], 1e-15 * Math.abs(exact) + 1e-15);
            for (int b = 0; b < d; b++) {
                java.math.BigDecimal q = java.math.BigDecimal.ZERO;
                java.math.BigDecimal ma = new java.math.BigDecimal(mean[a]), mb = new java.math.BigDecimal(mean[b]);
                for (int i = 0; i < n; i++) {
                    q = q.add(new java.math.BigDecimal(x[i * d + a]).subtract(ma).multiply(new java.math.BigDecimal(x[i * d + b]).subtract(mb)));
                }
                double c = q.divide(java.math.BigDecimal.valueOf(n), java.math.MathContext.DECIMAL128).doubleValue();
                assertEquals(c, cov[a][b], 1e-12 * Math.max(1, Math.abs(c)), "cov " + a + "," + b);
            }
        }
        assertEquals(1.0, cov[0][0], 0.01);
        assertEquals(2.0, cov[1][2], 0.05);
        double[] mean2 = DataMoments.mean(Parallel.of(2), p, d);
        assertArrayEquals(mean, mean2);
        double[][] cov2 = DataMoments.covariance(Parallel.of(2), p, d, mean2);
        for (int a = 0; a < d; a++) assertArrayEquals(cov[a], cov2[a]);
    }

    @Test
    void aSumOfAFunctionOfEachValue() {
        double[] x = {0, 1, 2, 3, 4, 5};
        // Σ log x! = log(1·1·2·6·24·120)
        double s = DataMoments.sumOf(Parallel.of(1), Points.of(x), v -> -org.cavi.family.Special.logGamma(v + 1));
        assertEquals(-Math.log(1.0 * 2 * 6 * 24 * 120), s, 1e-12);
    }
}

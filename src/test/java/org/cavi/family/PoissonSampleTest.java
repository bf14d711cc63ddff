package org.cavi.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;

/** Large Poisson rates are drawn in O(1) by transformed rejection, from the exact distribution. */
class PoissonSampleTest {
    /** The draws' frequencies in 12 bins of equal probability fit the exact Poisson (chi-square, α = 1e-4). */
    @Test
    void transformedRejectionDrawsTheExactDistribution() {
        for (double mu : new double[] {12.5, 340, 2.5e6}) {
            PoissonDistribution exact = new PoissonDistribution(mu);
            int draws = 60_000;
            // bins of about equal probability; a discrete quantile may repeat, so keep the distinct cuts
            int[] cut = java.util.stream.IntStream.range(1, 12).map(b -> exact.inverseCumulativeProbability(b / 12.0))
                    .distinct().toArray();
            int bins = cut.length + 1;
            long[] observed = new long[bins];
            Well19937c rng = new Well19937c(42);
            for (int t = 0; t < draws; t++) {
                double k = Poisson.transformedRejection(mu, rng);
                int b = 0;
                while (b < bins - 1 && k > cut[b]) b++;
                observed[b]++;
            }
            double[] expected = new double[bins];
            double below = 0;
            for (int b = 0; b < bins; b++) {
                double upTo = b < bins - 1 ? exact.cumulativeProbability(cut[b]) : 1;
                expected[b] = (upTo - below) * draws;
                below = upTo;
            }
            double p = new ChiSquareTest().chiSquareTest(expected, observed);
            assertTrue(p > 1e-4, "rate " + mu + ": chi-square p = " + p);
        }
    }

    @Test
    void hugeRatesAreQuickAndSmallOnesKeepTheirBits() {
        Poisson unit = new Poisson();
        long start = System.nanoTime();
        for (double rate : new double[] {1e7, 1e9, 1e15, 2e154}) {
            double x = unit.sample(rate, 0, new Well19937c(1));
            assertTrue(Math.abs(x - rate) < 10 * Math.sqrt(rate), rate + " gave " + x);
            assertEquals(Math.rint(x), x);
        }
        assertTrue(System.nanoTime() - start < 2e9, "four huge-rate draws took over 2 s");
        // below the switch the draw is Commons Math's, as before
        assertEquals(new PoissonDistribution(new Well19937c(3), 4.5, 1e-12, 10_000).sample(), unit.sample(4.5, 0, new Well19937c(3)));
    }
}

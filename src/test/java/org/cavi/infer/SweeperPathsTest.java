package org.cavi.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.cavi.Models;
import org.cavi.plan.Mixture;
import org.cavi.simulate.Simulator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The one-dimensional sweep's two forms, point by point and a chunk at a time along the points,
 * compute the same sums with different exponentials (each within 2 ulp) and in a different
 * order: from the same start they give the same fit to within rounding.
 */
class SweeperPathsTest {
    /** Mixtures of counts: the linear form of the exponents. */
    private static final String COUNTS = """
            const K = 3
            data x[n]
            pi ~ Dirichlet(1, K)
            c[i] ~ Categorical(pi) for i in 1..n
            """;

    @ParameterizedTest
    @CsvSource({
        "gmm.vi, 3000, 5", "gmm.vi, 40000, 5", "gmm.vi, 20000, 50", "gmm-dirichlet.vi, 9000, 4",
        "gmm-precisions.vi, 9000, 3", "gmm-normal-gamma.vi, 9000, 3", "poisson, 9000, 3", "bernoulli, 9000, 3",
    })
    void pointwiseAndChunkedSweepsAgree(String model, int n, int k) throws IOException {
        String text = switch (model) {
            case "poisson" -> COUNTS + "rate[k] ~ Gamma(2, 0.5) for k in 1..K\nx[i] ~ Poisson(rate[c[i]]) for i in 1..n\n";
            case "bernoulli" -> COUNTS + "p[k] ~ Beta(1, 1) for k in 1..K\nx[i] ~ Bernoulli(p[c[i]]) for i in 1..n\n";
            default -> Files.readString(Path.of("models", model));
        };
        Mixture mix = Models.compile(text, "K=" + k).plan().mixture();
        double[] x = Simulator.simulate(mix, n, 4);
        Sweeper pointwise = Sweeper.init(mix, org.cavi.data.Points.of(x), new SplittableRandom(6), Parallel.of(1), Long.MAX_VALUE);
        Sweeper chunked = Sweeper.init(mix, org.cavi.data.Points.of(x), new SplittableRandom(6), Parallel.of(1), 0);
        for (int sweep = 1; sweep <= 30; sweep++) {
            double a = pointwise.sweep(), b = chunked.sweep();
            assertEquals(a, b, 1e-11 * Math.abs(a), "sweep " + sweep);
        }
        assertArrayEquals(pointwise.key(), chunked.key(), 1e-8 * (1 + Math.abs(pointwise.key()[0])));
        assertArrayEquals(pointwise.weights(), chunked.weights(), 1e-9);
    }
}

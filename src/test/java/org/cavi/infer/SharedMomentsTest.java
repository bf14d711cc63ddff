package org.cavi.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.cavi.Models;
import org.cavi.plan.Mixture;
import org.cavi.simulate.Simulator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The multivariate sweep's two passes, shared moments about the data's mean and exact centring
 * about each component's mean, are two evaluations of the same sums: from the same start they
 * give the same ELBO sweep after sweep, and the sweep picks the exact one when a mean lies far
 * from the data's centre.
 */
class SharedMomentsTest {
    private static final String HEAD = """
            const K = 3
            const D = 2
            data x[n, D]
            pi ~ Dirichlet(1, K)
            c[i] ~ Categorical(pi) for i in 1..n
            """;
    private static final String JOINT = HEAD + """
            Lambda[k] ~ Wishart(D + 1, 0.5*eye(D)) for k in 1..K
            mu[k] ~ MvNormal(zeros(D), inv(0.05*Lambda[k])) for k in 1..K
            x[i] ~ MvNormal(mu[c[i]], inv(Lambda[c[i]])) for i in 1..n
            q(mu[k], Lambda[k])
            """;
    private static final String MEAN_FIELD = HEAD + """
            Lambda[k] ~ Wishart(D + 1, 0.5*eye(D)) for k in 1..K
            mu[k] ~ MvNormal(zeros(D), 20*eye(D)) for k in 1..K
            x[i] ~ MvNormal(mu[c[i]], inv(Lambda[c[i]])) for i in 1..n
            """;
    private static final String KNOWN = HEAD + """
            mu[k] ~ MvNormal(zeros(D), 20*eye(D)) for k in 1..K
            x[i] ~ MvNormal(mu[c[i]], [[1, 0.3], [0.3, 2]]) for i in 1..n
            """;

    private static String model(String name) {
        return switch (name) {
            case "joint" -> JOINT;
            case "mean-field" -> MEAN_FIELD;
            default -> KNOWN;
        };
    }

    @ParameterizedTest
    @CsvSource({"joint, 2, 3", "joint, 3, 4", "joint, 4, 1", "mean-field, 2, 3", "mean-field, 3, 2", "known, 2, 3", "known, 2, 5"})
    void bothPassesGiveTheSameFit(String name, int d, int k) {
        Mixture mix = Models.compile(model(name), "D=" + d, "K=" + k).plan().mixture();
        // 5000 points: more than one chunk per block, and a short last chunk
        double[] x = Simulator.simulate(mix, 5000, 11);
        MvSweeper shared = MvSweeper.init(mix, org.cavi.data.Points.of(x), new SplittableRandom(5), Parallel.of(1), Double.POSITIVE_INFINITY);
        MvSweeper exact = MvSweeper.init(mix, org.cavi.data.Points.of(x), new SplittableRandom(5), Parallel.of(1), -1);
        for (int sweep = 1; sweep <= 20; sweep++) {
            double a = shared.sweep(), b = exact.sweep();
            assertTrue(shared.sharedLastSweep());
            assertFalse(exact.sharedLastSweep());
            assertEquals(b, a, 1e-10 * Math.abs(b), "sweep " + sweep);
        }
        assertArrayEquals(exact.key(), shared.key(), 1e-8);
        assertArrayEquals(exact.weights(), shared.weights(), 1e-10);
    }

    @ParameterizedTest
    @CsvSource({"1e5, false", "3, true"})
    void theSweepCentresExactlyWhenAMeanLiesFarAway(double apart, boolean sharedExpected) {
        Mixture mix = Models.compile(JOINT, "D=2", "K=2").plan().mixture();
        // two unit clusters `apart` apart along the first axis
        SplittableRandom rng = new SplittableRandom(3);
        int n = 2000;
        double[] x = new double[2 * n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = rng.nextGaussian() + (i % 2 == 0 ? 0 : apart);
            x[2 * i + 1] = rng.nextGaussian();
        }
        MvSweeper chosen = MvSweeper.init(mix, org.cavi.data.Points.of(x), new SplittableRandom(5), Parallel.of(1));
        MvSweeper exact = MvSweeper.init(mix, org.cavi.data.Points.of(x), new SplittableRandom(5), Parallel.of(1), -1);
        for (int sweep = 1; sweep <= 10; sweep++) {
            double a = chosen.sweep(), b = exact.sweep();
            // at most six of sixteen digits lost in a shared sweep: the two agree to 1e-10 or so
            assertEquals(b, a, 1e-9 * Math.abs(b), "sweep " + sweep);
            // the start's precision and φ come from the whole data's spread, so the first sweep may share
            if (sweep > 1) assertEquals(sharedExpected, chosen.sharedLastSweep(), "sweep " + sweep);
        }
    }
}

package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;
import org.cavi.driver.Driver;
import org.cavi.infer.FitOptions;
import org.cavi.infer.FitResult;
import org.cavi.infer.Fitter;
import org.cavi.simulate.Simulator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The conjugate models against closed-form evidence and enumeration over assignments. */
class ConjugateTest {
    static final String BETA_BERNOULLI = """
            const a = 2
            const b = 3
            data x[n]
            p ~ Beta(a, b)
            x[i] ~ Bernoulli(p) for i in 1..n
            """;
    static final String GAMMA_POISSON = """
            const a = 2
            const b = 0.5
            data x[n]
            rate ~ Gamma(a, b)
            x[i] ~ Poisson(rate) for i in 1..n
            """;
    /** K = 1 with no assignment, or a mixture; joint or mean-field by the last line. */
    static final String NORMAL_GAMMA = """
            const m0 = 0.5
            const beta0 = 0.3
            const a0 = 2
            const b0 = 1.5
            data x[n]
            tau ~ Gamma(a0, b0)
            mu ~ Normal(m0, 1/(beta0*tau))
            x[i] ~ Normal(mu, 1/tau) for i in 1..n
            """;
    static final String NG_MIXTURE = """
            const K = 2
            const m0 = 0
            const beta0 = 0.2
            const a0 = 2
            const b0 = 2
            data x[n]
            tau[k] ~ Gamma(a0, b0) for k in 1..K
            mu[k] ~ Normal(m0, 1/(beta0*tau[k])) for k in 1..K
            c[i] ~ Categorical(K) for i in 1..n
            x[i] ~ Normal(mu[c[i]], 1/tau[c[i]]) for i in 1..n
            """;
    static final String DIRICHLET_MIXTURE = """
            const K = 2
            data x[n]
            pi ~ Dirichlet([1.5, 0.7])
            mu[k] ~ Normal(0, 9) for k in 1..K
            c[i] ~ Categorical(pi) for i in 1..n
            x[i] ~ Normal(mu[c[i]], 1) for i in 1..n
            """;

    static FitResult fit(String model, double[] x, int restarts, String... sets) {
        Driver.Compiled c = Models.compile(model, sets);
        return Fitter.fit(c.plan(), x, new FitOptions(3, restarts, 2000, 1e-14), () -> false);
    }

    static double[] draws(long seed, int n, java.util.function.Function<SplittableRandom, Double> f) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = f.apply(rng);
        return x;
    }

    /** log p(x) under the Normal-Gamma prior: closed form. */
    static double normalGammaEvidence(double[] x, double m0, double beta0, double a0, double b0) {
        int n = x.length;
        if (n == 0) return 0;
        double mean = Arrays.stream(x).average().orElseThrow();
        double ss = Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum();
        double beta = beta0 + n, a = a0 + n / 2.0;
        double b = b0 + ss / 2 + beta0 * n * (mean - m0) * (mean - m0) / (2 * beta);
        return Gamma.logGamma(a) - Gamma.logGamma(a0) + a0 * Math.log(b0) - a * Math.log(b)
                + 0.5 * Math.log(beta0 / beta) - n / 2.0 * Math.log(2 * Math.PI);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void betaBernoulliElboIsTheLogEvidence(long seed) {
        double[] x = draws(seed, 40 + 30 * (int) seed, r -> r.nextDouble() < 0.3 ? 1.0 : 0.0);
        double ones = Arrays.stream(x).sum();
        double exact = Beta.logBeta(2 + ones, 3 + x.length - ones) - Beta.logBeta(2, 3);
        FitResult r = fit(BETA_BERNOULLI, x, 1);
        assertEquals(exact, r.elbo(), 1e-9 * Math.abs(exact));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void gammaPoissonElboIsTheLogEvidence(long seed) {
        double[] x = draws(seed, 50, r -> (double) (int) (r.nextDouble() * 9));
        double sum = Arrays.stream(x).sum();
        double exact = 2 * Math.log(0.5) - Gamma.logGamma(2) + Gamma.logGamma(2 + sum) - (2 + sum) * Math.log(0.5 + x.length)
                - Arrays.stream(x).map(v -> Gamma.logGamma(v + 1)).sum();
        FitResult r = fit(GAMMA_POISSON, x, 1);
        assertEquals(exact, r.elbo(), 1e-9 * Math.abs(exact));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void jointNormalGammaElboIsTheLogEvidence(long seed) {
        double[] x = draws(seed, 25 * (int) seed, r -> 2 + 1.5 * r.nextGaussian());
        double exact = normalGammaEvidence(x, 0.5, 0.3, 2, 1.5);
        FitResult r = fit(NORMAL_GAMMA + "q(mu, tau)\n", x, 1);
        assertEquals(exact, r.elbo(), 1e-9 * Math.abs(exact));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void meanFieldNormalGammaIsBelowTheLogEvidence(long seed) {
        double[] x = draws(seed, 20 * (int) seed, r -> -1 + 0.7 * r.nextGaussian());
        double exact = normalGammaEvidence(x, 0.5, 0.3, 2, 1.5);
        FitResult r = fit(NORMAL_GAMMA, x, 1);
        assertTrue(r.elbo() < exact, r.elbo() + " ≥ " + exact);
        assertTrue(exact - r.elbo() < 1, "gap " + (exact - r.elbo()));
    }

    /** log Σ over all K^n assignments of log p(c) + Σ_k log p(x_{c=k}). */
    static double enumerate(double[] x, int k, java.util.function.ToDoubleFunction<int[]> logPrior,
                            java.util.function.ToDoubleFunction<double[]> groupEvidence) {
        int n = x.length;
        int total = (int) Math.pow(k, n);
        double[] terms = new double[total];
        int[] c = new int[n];
        for (int a = 0; a < total; a++) {
            int code = a;
            for (int i = 0; i < n; i++) { c[i] = code % k; code /= k; }
            double t = logPrior.applyAsDouble(c);
            for (int j = 0; j < k; j++) {
                final int jj = j;
                t += groupEvidence.applyAsDouble(IntStream.range(0, n).filter(i -> c[i] == jj).mapToDouble(i -> x[i]).toArray());
            }
            terms[a] = t;
        }
        double max = Arrays.stream(terms).max().orElseThrow();
        return max + Math.log(Arrays.stream(terms).map(t -> Math.exp(t - max)).sum());
    }

    @ParameterizedTest
    @CsvSource({"1, 7", "2, 8", "3, 6"})
    void normalGammaMixturesStayBelowTheEnumeratedEvidence(long seed, int n) {
        double[] x = draws(seed, n, r -> (r.nextBoolean() ? -3 : 3) + r.nextGaussian());
        double evidence = enumerate(x, 2, c -> -c.length * Math.log(2), g -> normalGammaEvidence(g, 0, 0.2, 2, 2));
        for (String q : new String[] {"", "q(mu[k], tau[k])\n"}) {
            FitResult r = fit(NG_MIXTURE + q, x, 5);
            assertTrue(r.elbo() <= evidence + 1e-9 * Math.abs(evidence), q + ": " + r.elbo() + " > " + evidence);
            assertTrue(evidence - r.elbo() < 5, q + ": gap " + (evidence - r.elbo()));
        }
    }

    @ParameterizedTest
    @CsvSource({"1, 7", "2, 8", "4, 6"})
    void dirichletMixturesStayBelowTheEnumeratedEvidence(long seed, int n) {
        double[] x = draws(seed, n, r -> (r.nextDouble() < 0.7 ? -2 : 2.5) + r.nextGaussian());
        double[] alpha = {1.5, 0.7};
        // p(c) = Γ(Σα)/Γ(Σα + n) Π_k Γ(α_k + n_k)/Γ(α_k): the Dirichlet-multinomial
        double evidence = enumerate(x, 2, c -> {
            double t = Gamma.logGamma(alpha[0] + alpha[1]) - Gamma.logGamma(alpha[0] + alpha[1] + c.length);
            for (int j = 0; j < 2; j++) {
                final int jj = j;
                long nk = Arrays.stream(c).filter(v -> v == jj).count();
                t += Gamma.logGamma(alpha[j] + nk) - Gamma.logGamma(alpha[j]);
            }
            return t;
        }, g -> ElboTest.logEvidenceOneComponent(g, 0, 9, 1));
        FitResult r = fit(DIRICHLET_MIXTURE, x, 5);
        assertTrue(r.elbo() <= evidence + 1e-9 * Math.abs(evidence), r.elbo() + " > " + evidence);
        assertTrue(evidence - r.elbo() < 5, "gap " + (evidence - r.elbo()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gmm", "gmm-dirichlet", "gmm-precisions", "gmm-normal-gamma", "normal-mean-precision",
            "beta-bernoulli", "gamma-poisson", "mvn-known", "bishop-gmm"})
    void theElboNeverDecreasesOnSimulatedData(String name) throws Exception {
        String text = java.nio.file.Files.readString(java.nio.file.Path.of("models", name + ".vi"));
        Driver.Compiled c = Models.compile(text);
        for (long seed = 1; seed <= 3; seed++) {
            double[] x = Simulator.simulate(c.plan().mixture(), 400, seed);
            org.cavi.infer.CaviState s = Fitter.start(c.plan().mixture(), x, new SplittableRandom(seed));
            double previous = Double.NEGATIVE_INFINITY;
            for (int t = 0; t < 300; t++) {
                double elbo = s.sweep();
                assertTrue(Double.isFinite(elbo));
                assertTrue(elbo >= previous - 1e-11 * Math.abs(elbo), name + " sweep " + (t + 1) + ": " + elbo + " < " + previous);
                previous = elbo;
            }
        }
    }
}

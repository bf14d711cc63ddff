package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.special.Gamma;
import org.cavi.driver.Driver;
import org.cavi.infer.FitResult;
import org.cavi.simulate.Simulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Exponential likelihood with Gamma(shape, rate) priors on its rates, added as a unit and a
 * registry line: against its exact log evidence, written here from the closed form
 * log ∫ Gamma(λ | a0, b0) Π λ e^(−λ x_i) dλ = a0 log b0 − log Γ(a0) + log Γ(a0 + n) − (a0 + n) log(b0 + Σx),
 * independently of cavi's code.
 */
class ExponentialMixtureTest {
    static final double A0 = 2, B0 = 3;

    static String exponential(int k) {
        return "const K = " + k + "\ndata x[n]\n"
                + "lambda[k] ~ Gamma(" + A0 + ", " + B0 + ") for k in 1..K\n"
                + "c[i] ~ Categorical(K) for i in 1..n\n"
                + "x[i] ~ Exponential(lambda[c[i]]) for i in 1..n\n";
    }

    static double gammaExponentialEvidence(double[] x) {
        double s = Arrays.stream(x).sum();
        int n = x.length;
        return A0 * Math.log(B0) - Gamma.logGamma(A0) + Gamma.logGamma(A0 + n) - (A0 + n) * Math.log(B0 + s);
    }

    static double[] waits(long seed, int n, double... rates) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = -Math.log(1 - rng.nextDouble()) / rates[rng.nextInt(rates.length)];
        return x;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void oneComponentElboIsTheLogEvidence(long seed) {
        double[] x = waits(seed, 25 * (int) seed, 0.7);
        double exact = gammaExponentialEvidence(x);
        assertEquals(exact, CountMixtureTest.fit(exponential(1), x, 1).elbo(), 1e-10 * Math.abs(exact));
        FitResult dirichlet = CountMixtureTest.fit(CountMixtureTest.withDirichlet(exponential(1), new double[] {3}), x, 1);
        assertEquals(exact, dirichlet.elbo(), 1e-10 * Math.abs(exact));
    }

    /** Without a mixture the model reads lambda ~ Gamma(a0, b0), x[i] ~ Exponential(lambda): the same evidence. */
    @Test
    void theConjugateModelElboIsTheLogEvidence() {
        double[] x = waits(9, 40, 2.5);
        double exact = gammaExponentialEvidence(x);
        String model = "data x[n]\nlambda ~ Gamma(" + A0 + ", " + B0 + ")\nx[i] ~ Exponential(lambda) for i in 1..n\n";
        assertEquals(exact, CountMixtureTest.fit(model, x, 1).elbo(), 1e-10 * Math.abs(exact));
    }

    @ParameterizedTest
    @CsvSource({"1, 2, 8", "2, 2, 7", "3, 3, 7"})
    void mixturesStayBelowTheEnumeratedEvidence(long seed, int k, int n) {
        double[] x = waits(seed, n, 0.3, 5);
        double uniform = ConjugateTest.enumerate(x, k, CountMixtureTest.uniform(k), ExponentialMixtureTest::gammaExponentialEvidence);
        CountMixtureTest.assertBelowWithin(uniform, CountMixtureTest.fit(exponential(k), x, 5), CountMixtureTest.gapBound(k),
                "uniform K=" + k + " " + Arrays.toString(x));
        double[] alpha = k == 2 ? new double[] {1.5, 0.7} : new double[] {1.5, 0.7, 2.5};
        double dirichlet = ConjugateTest.enumerate(x, k, CountMixtureTest.dirichletMultinomial(alpha),
                ExponentialMixtureTest::gammaExponentialEvidence);
        CountMixtureTest.assertBelowWithin(dirichlet, CountMixtureTest.fit(CountMixtureTest.withDirichlet(exponential(k), alpha), x, 5),
                CountMixtureTest.gapBound(k), "Dirichlet K=" + k + " " + Arrays.toString(x));
    }

    @Test
    void theElboNeverDecreasesOnSimulatedData() throws Exception {
        Driver.Compiled c = Models.compile(Files.readString(Path.of("models/exponential-mixture.vi")));
        for (long seed = 1; seed <= 3; seed++) {
            double[] x = Simulator.simulate(c.plan().mixture(), 500, seed);
            for (double v : x) assertTrue(v >= 0 && Double.isFinite(v), "simulated " + v);
            CountMixtureTest.assertSweepsClimb(c.plan().mixture(), x, seed, "exponential-mixture");
        }
    }

    @Test
    void theExampleRecoversItsRates() throws Exception {
        var om = new com.fasterxml.jackson.databind.ObjectMapper();
        Cli r = Cli.run("run", "models/exponential-mixture.vi", "--json");
        assertEquals(0, r.code(), r.err());
        var q = om.readTree(r.out()).get("q");
        assertEquals("Gamma", q.get("lambda").get("family").asText());
        double[] rates = om.convertValue(q.get("lambda").get("mean"), double[].class);
        double[] weights = om.convertValue(q.get("pi").get("mean"), double[].class);
        // simulated with rates 0.2 and 4, weights 0.3 and 0.7 (README)
        assertEquals(0.2, rates[0], 0.03);
        assertEquals(4, rates[1], 0.4);
        assertEquals(0.3, weights[0], 0.05);
    }

    @Test
    void negativeDataAreRefusedWithTheRow() throws Exception {
        Path bad = Files.createTempFile("waits", ".csv");
        Files.writeString(bad, "x\n1.5\n-2\n");
        Cli r = Cli.run("run", "models/exponential-mixture.vi", "--data", "x=" + bad);
        assertEquals(65, r.code(), r.err());
        assertTrue(r.err().contains(bad + ":3: -2 is not valid data: an Exponential likelihood needs a number ≥ 0"), r.err());
    }

    @Test
    void aWrongPriorSaysWhichOneItNeeds() {
        var req = new Driver.Request(new org.cavi.source.SourceFile("t.vi",
                "data x[n]\nlambda ~ Beta(1, 1)\nx[i] ~ Exponential(lambda) for i in 1..n\n"),
                Path.of("."), java.util.Map.of("x", "unused.csv"), java.util.List.of(), true);
        var out = Driver.compile(req);
        assertTrue(!out.ok());
        String msg = out.problem().orElseThrow().render();
        assertTrue(msg.contains("t.vi:2:10: error: lambda has a Beta prior but is the rate of an Exponential likelihood; "
                + "it needs a Gamma prior"), msg);
    }
}

package org.cavi.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Normal family's two units, {@link NormalGammaComponents} in scalars and
 * {@link NormalWishartComponents} in matrices, are one mathematics: at D = 1, with Gamma(a0, b0) as
 * Wishart(2·a0, 1/(2·b0)), every update, natural parameter and ELBO term of the one must equal the
 * other's. Each keeps its own arithmetic (the scalar sweep's bits are pinned by the regression
 * test), so this test is what keeps the twins from drifting apart.
 */
class NormalTwinsTest {
    static final double TOL = 1e-11;

    record Case(String name, NormalPrior.MeanPrior mean, NormalPrior.Precision precision, boolean joint, boolean fixed,
                List<List<String>> steps) {
        @Override public String toString() { return name; }
    }

    static Stream<Arguments> cases() {
        var gamma = new NormalPrior.Precision.Gamma("tau", 2.5, 1.7);
        var variance = new NormalPrior.MeanPrior.Variance(3.0);
        var scaled = new NormalPrior.MeanPrior.Scaled(0.4);
        List<List<String>> mu = List.of(List.of("mu")), both = List.of(List.of("mu"), List.of("tau"));
        return Stream.of(
                new Case("known precision", variance, new NormalPrior.Precision.Known(0.8), false, false, mu),
                new Case("Gamma precision", variance, gamma, false, false, both),
                new Case("Gamma precision, q(tau) first", variance, gamma, false, false, List.of(List.of("tau"), List.of("mu"))),
                new Case("Normal-Gamma, mean-field", scaled, gamma, false, false, both),
                new Case("Normal-Gamma, joint", scaled, gamma, true, false, List.of(List.of("mu", "tau"))),
                new Case("fixed means, Gamma precision", variance, gamma, false, true, List.of(List.of("tau"))),
                new Case("fixed means, Normal-Gamma", scaled, gamma, false, true, List.of(List.of("tau")))
        ).map(Arguments::of);
    }

    static NormalPrior.MvMeanPrior mv(NormalPrior.MeanPrior p) {
        return p instanceof NormalPrior.MeanPrior.Variance v ? new NormalPrior.MvMeanPrior.Covariance(new double[][] {{v.v()}})
                : new NormalPrior.MvMeanPrior.Scaled(((NormalPrior.MeanPrior.Scaled) p).beta0());
    }

    static NormalPrior.MvPrecision mv(NormalPrior.Precision p) {
        return p instanceof NormalPrior.Precision.Gamma g ? new NormalPrior.MvPrecision.Wishart(g.name(), 2 * g.a0(), new double[][] {{1 / (2 * g.b0())}})
                : new NormalPrior.MvPrecision.Known(new double[][] {{((NormalPrior.Precision.Known) p).tau()}});
    }

    static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, TOL * Math.max(1, Math.abs(expected)), what);
    }

    static void assertSame(NormalGammaComponents one, NormalWishartComponents mat, Case c, String when) {
        for (int j = 0; j < one.m.length; j++) {
            assertClose(one.m[j], mat.m[j][0], when + ": m[" + j + "]");
            if (!c.fixed() && !c.joint()) assertClose(one.s2[j], mat.s[j][0][0], when + ": s2[" + j + "]");
            if (c.joint()) assertClose(one.beta[j], mat.beta[j], when + ": beta[" + j + "]");
            if (c.precision() instanceof NormalPrior.Precision.Gamma) {
                assertClose(one.a[j], mat.nu[j] / 2, when + ": a[" + j + "] = nu/2");
                assertClose(one.b[j], 1 / (2 * mat.w[j][0][0]), when + ": b[" + j + "] = 1/(2W)");
            }
            assertClose(one.eTau(j), mat.eLambda(j)[0][0], when + ": E[tau]");
            assertClose(one.eLogTau(j), mat.eLogDet(j), when + ": E[log tau]");
            assertClose(one.spread(j), mat.spread(j, mat.eLambda(j)), when + ": spread");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theScalarAndMatrixUnitsAgreeAtDimensionOne(Case c) {
        int k = 3;
        SplittableRandom rng = new SplittableRandom(11);
        double[] start = {-2.0, 0.5, 4.0};
        double[][] start2 = {{-2.0}, {0.5}, {4.0}};
        double n = 120, tauStart = 0.9;
        var one = new NormalGammaComponents("mu", 0.3, c.mean(), c.precision(), c.joint(), k, start, c.fixed(), n,
                c.precision() instanceof NormalPrior.Precision.Gamma ? tauStart : Double.NaN);
        double[][] lambdaStart = {{c.precision() instanceof NormalPrior.Precision.Known kn ? kn.tau() : tauStart}};
        var mat = new NormalWishartComponents("mu", new double[] {0.3}, mv(c.mean()), mv(c.precision()), c.joint(), k, start2,
                c.fixed(), n, lambdaStart);
        assertSame(one, mat, c, "at the start");
        for (int sweep = 0; sweep < 4; sweep++) {
            // sums of a pass: N, Σφ(x − r), Σφ(x − r)² about references r, drawn so that the scatter is positive
            SuffStats s = new SuffStats(k);
            MvSuffStats ms = new MvSuffStats(k, 1);
            for (int j = 0; j < k; j++) {
                double nk = 5 + 50 * rng.nextDouble(), mean = 6 * rng.nextDouble() - 3, var = 0.2 + rng.nextDouble();
                double ref = start[j] + rng.nextDouble() - 0.5;
                s.n[j] = ms.n[j] = nk;
                s.r[j] = ms.r[j] = ref;
                s.d[j] = ms.d[j] = nk * (mean - ref);
                s.q[j] = ms.q[j] = nk * (var + (mean - ref) * (mean - ref));
            }
            for (List<String> step : c.steps()) {
                double[] eta1 = one.natural(step), eta2 = mat.natural(step);
                assertEquals(eta1.length, eta2.length, "natural parameters of " + step);
                for (int t = 0; t < eta1.length; t++) assertClose(eta1[t], eta2[t], "η[" + t + "] of " + step);
                one.update(step, s);
                mat.update(step, ms);
                assertSame(one, mat, c, "after sweep " + sweep + ", update " + step);
                // natural parameters and back leave q where it is
                one.setNatural(step, one.natural(step));
                mat.setNatural(step, mat.natural(step));
                assertSame(one, mat, c, "after a round trip through η of " + step);
            }
            assertClose(one.elbo(s), mat.elbo(ms), "the ELBO terms after sweep " + sweep);
        }
    }

    /** The draws of simulate: x ~ Normal(mu, 1/tau) from both units, checked by their moments against the distribution's. */
    @org.junit.jupiter.api.Test
    void theUnitsDrawFromTheLikelihoodTheyFit() {
        int n = 200_000;
        double mu = 1.5, tau = 4;
        double[] lower = {Math.sqrt(tau)};
        double[] one = new double[n], mat = new double[n];
        SplittableRandom a = new SplittableRandom(3), b = new SplittableRandom(4);
        for (int i = 0; i < n; i++) {
            one[i] = NormalGammaComponents.sample(mu, tau, a);
            NormalWishartComponents.sample(new double[] {mu}, new double[][] {lower}, b, mat, i);
        }
        for (double[] x : new double[][] {one, mat}) {
            double mean = java.util.Arrays.stream(x).average().orElseThrow();
            double var = java.util.Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / (n - 1);
            // five standard errors: sd/√n for the mean, about var·√(2/n) for the variance
            assertEquals(mu, mean, 5 * Math.sqrt(1 / tau / n), "mean");
            assertEquals(1 / tau, var, 5 * (1 / tau) * Math.sqrt(2.0 / n), "variance");
        }
    }

    @org.junit.jupiter.api.Test
    void thePlotDensityIsTheNormalDensity() {
        var normal = new org.apache.commons.math3.distribution.NormalDistribution(1.5, 0.7);
        for (double x : new double[] {-3, 0, 1.5, 2.2, 9}) {
            assertClose(normal.density(x), NormalGammaComponents.density(1.5, 0.7, x), "density at " + x);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aStepForALatentTheUnitDoesNotHoldIsAnInternalError(Case c) {
        var one = new NormalGammaComponents("mu", 0, c.mean(), c.precision(), c.joint(), 1, new double[] {0}, c.fixed(), 10, 1);
        assertThrows(IllegalStateException.class, () -> one.update(List.of("sigma"), new SuffStats(1)));
    }
}

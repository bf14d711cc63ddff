package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.special.Gamma;
import org.cavi.driver.Driver;
import org.cavi.infer.CaviState;
import org.cavi.infer.FitOptions;
import org.cavi.infer.FitResult;
import org.cavi.infer.Fitter;
import org.cavi.simulate.Simulator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Multivariate mixtures against closed-form evidence (Normal-Wishart, known covariance) and enumeration. */
class MultivariateTest {
    static final String NW = """
            const D = 3
            const beta0 = 0.5
            const nu0 = 4
            const W0 = [[0.5, 0.1, 0], [0.1, 0.4, 0], [0, 0, 0.3]]
            const m0 = [0.5, -1, 0]
            data x[n, D]
            Lambda ~ Wishart(nu0, W0)
            mu ~ MvNormal(m0, inv(beta0*Lambda))
            x[i] ~ MvNormal(mu, inv(Lambda)) for i in 1..n
            """;
    static final String KNOWN = """
            const D = 2
            const Sigma = [[1, 0.4], [0.4, 0.8]]
            const S0 = [[4, 1], [1, 3]]
            data x[n, D]
            mu ~ MvNormal([1, -1], S0)
            x[i] ~ MvNormal(mu, Sigma) for i in 1..n
            """;
    static final String NW_MIXTURE = """
            const K = 2
            const D = 2
            data x[n, D]
            Lambda[k] ~ Wishart(3, [[0.5, 0], [0, 0.5]]) for k in 1..K
            mu[k] ~ MvNormal(zeros(D), inv(0.2*Lambda[k])) for k in 1..K
            c[i] ~ Categorical(K) for i in 1..n
            x[i] ~ MvNormal(mu[c[i]], inv(Lambda[c[i]])) for i in 1..n
            """;

    static double[] points(long seed, int n, int d, double... centres) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) {
            double c = centres[i % centres.length];
            for (int a = 0; a < d; a++) x[i * d + a] = c + (a + 1) * 0.5 * rng.nextGaussian() + (a == 0 ? 0.3 * x[i * d] : 0);
        }
        return x;
    }

    static double logMultiGamma(double a, int d) {
        double s = d * (d - 1) / 4.0 * Math.log(Math.PI);
        for (int j = 1; j <= d; j++) s += Gamma.logGamma(a + (1 - j) / 2.0);
        return s;
    }

    static double logDet(RealMatrix m) { return Math.log(new LUDecomposition(m).getDeterminant()); }

    /** log p(X) under the Normal-Wishart prior (the conjugate analysis of the Gaussian). */
    static double normalWishartEvidence(double[] x, int d, double[] m0, double beta0, double nu0, double[][] w0) {
        int n = x.length / d;
        if (n == 0) return 0;
        RealVector mean = new Array2DRowRealMatrix(d, 1).getColumnVector(0);
        for (int i = 0; i < n; i++) for (int a = 0; a < d; a++) mean.addToEntry(a, x[i * d + a] / n);
        RealMatrix scatter = new Array2DRowRealMatrix(d, d);
        for (int i = 0; i < n; i++) {
            RealVector v = MatrixUtils.createRealVector(java.util.Arrays.copyOfRange(x, i * d, i * d + d)).subtract(mean);
            scatter = scatter.add(v.outerProduct(v));
        }
        RealVector dm = mean.subtract(MatrixUtils.createRealVector(m0));
        RealMatrix w0inv = MatrixUtils.inverse(new Array2DRowRealMatrix(w0));
        RealMatrix wninv = w0inv.add(scatter).add(dm.outerProduct(dm).scalarMultiply(beta0 * n / (beta0 + n)));
        double nun = nu0 + n, betan = beta0 + n;
        return -n * d / 2.0 * Math.log(Math.PI) + logMultiGamma(nun / 2, d) - logMultiGamma(nu0 / 2, d)
                + nu0 / 2 * logDet(w0inv) - nun / 2 * logDet(wninv) + d / 2.0 * Math.log(beta0 / betan);
    }

    /** log p(X) with known Sigma: the chain of one-step predictive densities. */
    static double knownCovarianceEvidence(double[] x, int d, double[] m0, double[][] s0, double[][] sigma) {
        RealVector m = MatrixUtils.createRealVector(m0);
        RealMatrix s = new Array2DRowRealMatrix(s0);
        RealMatrix sig = new Array2DRowRealMatrix(sigma);
        double total = 0;
        for (int i = 0; i < x.length / d; i++) {
            RealVector xi = MatrixUtils.createRealVector(java.util.Arrays.copyOfRange(x, i * d, i * d + d));
            RealMatrix pred = s.add(sig);
            RealMatrix predInv = MatrixUtils.inverse(pred);
            RealVector r = xi.subtract(m);
            total += -d / 2.0 * Math.log(2 * Math.PI) - 0.5 * logDet(pred) - 0.5 * r.dotProduct(predInv.operate(r));
            RealMatrix gain = s.multiply(predInv);
            m = m.add(gain.operate(r));
            s = s.subtract(gain.multiply(s));
        }
        return total;
    }

    static FitResult fit(String model, double[] x, int restarts) {
        Driver.Compiled c = Models.compile(model);
        return Fitter.fit(c.plan(), x, new FitOptions(2, restarts, 2000, 1e-14), () -> false);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void jointNormalWishartElboIsTheLogEvidence(long seed) {
        double[] x = points(seed, 10 + 20 * (int) seed, 3, 1.0);
        double exact = normalWishartEvidence(x, 3, new double[] {0.5, -1, 0}, 0.5, 4,
                new double[][] {{0.5, 0.1, 0}, {0.1, 0.4, 0}, {0, 0, 0.3}});
        FitResult r = fit(NW + "q(mu, Lambda)\n", x, 1);
        assertEquals(exact, r.elbo(), 1e-9 * Math.abs(exact));
        FitResult meanField = fit(NW, x, 1);
        assertTrue(meanField.elbo() < exact, "mean-field " + meanField.elbo() + " ≥ " + exact);
        assertTrue(exact - meanField.elbo() < 2, "mean-field gap " + (exact - meanField.elbo()));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2})
    void knownCovarianceElboIsTheLogEvidence(long seed) {
        double[] x = points(seed, 30, 2, 2.0);
        double exact = knownCovarianceEvidence(x, 2, new double[] {1, -1}, new double[][] {{4, 1}, {1, 3}},
                new double[][] {{1, 0.4}, {0.4, 0.8}});
        FitResult r = fit(KNOWN, x, 1);
        assertEquals(exact, r.elbo(), 1e-9 * Math.abs(exact));
    }

    @ParameterizedTest
    @CsvSource({"1, 6", "2, 7"})
    void normalWishartMixturesStayBelowTheEnumeratedEvidence(long seed, int n) {
        double[] x = points(seed, n, 2, -2, 2.5);
        int total = 1 << n;
        double[] terms = new double[total];
        for (int a = 0; a < total; a++) {
            double t = -n * Math.log(2);
            for (int j = 0; j < 2; j++) {
                final int jj = j, aa = a;
                int[] members = IntStream.range(0, n).filter(i -> ((aa >> i) & 1) == jj).toArray();
                double[] g = new double[members.length * 2];
                for (int u = 0; u < members.length; u++) { g[2 * u] = x[2 * members[u]]; g[2 * u + 1] = x[2 * members[u] + 1]; }
                t += normalWishartEvidence(g, 2, new double[] {0, 0}, 0.2, 3, new double[][] {{0.5, 0}, {0, 0.5}});
            }
            terms[a] = t;
        }
        double max = java.util.Arrays.stream(terms).max().orElseThrow();
        double evidence = max + Math.log(java.util.Arrays.stream(terms).map(t -> Math.exp(t - max)).sum());
        for (String q : new String[] {"", "q(mu[k], Lambda[k])\n"}) {
            FitResult r = fit(NW_MIXTURE + q, x, 5);
            assertTrue(r.elbo() <= evidence + 1e-9 * Math.abs(evidence), q + r.elbo() + " > " + evidence);
            assertTrue(evidence - r.elbo() < 6, q + "gap " + (evidence - r.elbo()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "q(mu[k], Lambda[k])\n"})
    void theMultivariateElboNeverDecreases(String q) {
        Driver.Compiled c = Models.compile(NW_MIXTURE + q, "K=3");
        for (long seed = 1; seed <= 3; seed++) {
            double[] x = Simulator.simulate(c.plan().mixture(), 300, seed);
            CaviState s = Fitter.start(c.plan().mixture(), x, new SplittableRandom(seed));
            double previous = Double.NEGATIVE_INFINITY;
            for (int t = 0; t < 200; t++) {
                double elbo = s.sweep();
                assertTrue(Double.isFinite(elbo));
                assertTrue(elbo >= previous - 1e-11 * Math.abs(elbo), "sweep " + (t + 1) + ": " + elbo + " < " + previous);
                previous = elbo;
            }
        }
    }
}

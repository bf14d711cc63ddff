package org.cavi;

import org.cavi.family.NormalPrior;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.special.Gamma;
import org.cavi.family.Posterior;
import org.cavi.infer.CaviState;
import org.cavi.infer.Fitter;
import org.cavi.plan.Mixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The multivariate updates are stationary points of the ELBO in their own coordinates: an
 * ELBO written out afresh over an explicit φ matrix (with Commons Math matrices), equal to
 * the fused one, differentiated numerically.
 */
class MvStationarityTest {
    static final String BASE = """
            const K = 2
            const D = 2
            data x[n, D]
            pi ~ Dirichlet([1, 2])
            c[i] ~ Categorical(pi) for i in 1..n
            """;
    static final String[] MODELS = {
        BASE + "Lambda[k] ~ Wishart(3, [[0.6, 0.1], [0.1, 0.4]]) for k in 1..K\n"
                + "mu[k] ~ MvNormal([0.5, 0], inv(0.3*Lambda[k])) for k in 1..K\n"
                + "x[i] ~ MvNormal(mu[c[i]], inv(Lambda[c[i]])) for i in 1..n\nq(mu[k], Lambda[k])\n",
        BASE + "Lambda[k] ~ Wishart(3, [[0.6, 0.1], [0.1, 0.4]]) for k in 1..K\n"
                + "mu[k] ~ MvNormal([0.5, 0], inv(0.3*Lambda[k])) for k in 1..K\n"
                + "x[i] ~ MvNormal(mu[c[i]], inv(Lambda[c[i]])) for i in 1..n\n",
        BASE + "Lambda[k] ~ Wishart(3, [[0.6, 0.1], [0.1, 0.4]]) for k in 1..K\n"
                + "mu[k] ~ MvNormal([0.5, 0], [[9, 1], [1, 4]]) for k in 1..K\n"
                + "x[i] ~ MvNormal(mu[c[i]], inv(Lambda[c[i]])) for i in 1..n\n",
        BASE + "mu[k] ~ MvNormal([0.5, 0], [[9, 1], [1, 4]]) for k in 1..K\n"
                + "x[i] ~ MvNormal(mu[c[i]], [[1, 0.2], [0.2, 0.7]]) for i in 1..n\n",
    };

    static final class Q {
        double[][] m;
        double[][][] s, w;
        double[] beta, nu, alpha;

        Q copy() {
            Q q = new Q();
            q.m = Arrays.stream(m).map(double[]::clone).toArray(double[][]::new);
            q.s = s == null ? null : Arrays.stream(s).map(a -> Arrays.stream(a).map(double[]::clone).toArray(double[][]::new)).toArray(double[][][]::new);
            q.w = w == null ? null : Arrays.stream(w).map(a -> Arrays.stream(a).map(double[]::clone).toArray(double[][]::new)).toArray(double[][][]::new);
            q.beta = beta == null ? null : beta.clone();
            q.nu = nu == null ? null : nu.clone();
            q.alpha = alpha.clone();
            return q;
        }

        static Q of(Posterior p) {
            Q q = new Q();
            Posterior.Block mu = p.block("mu");
            q.m = mu.vectors("mean");
            if (mu.fields().containsKey("beta")) q.beta = mu.field("beta");
            if (mu.fields().containsKey("cov")) q.s = mu.matrices("cov");
            if (p.blocks().stream().anyMatch(b -> b.latent().equals("Lambda"))) {
                q.nu = p.block("Lambda").field("nu");
                q.w = p.block("Lambda").matrices("W");
            }
            q.alpha = p.block("pi").field("alpha");
            return q;
        }
    }

    static RealMatrix mat(double[][] a) { return new Array2DRowRealMatrix(a); }
    static double logDet(RealMatrix a) { return Math.log(new LUDecomposition(a).getDeterminant()); }
    static double trace(RealMatrix a) { return a.getTrace(); }

    static double logMultiGamma(double a, int d) {
        double s = d * (d - 1) / 4.0 * Math.log(Math.PI);
        for (int j = 1; j <= d; j++) s += Gamma.logGamma(a + (1 - j) / 2.0);
        return s;
    }

    /** E[Lambda_k], E[log|Lambda_k|] and E[(x − mu)ᵀ Lambda (x − mu)] for one point. */
    static RealMatrix eLambda(Mixture.Components.MvNormal mv, Q q, int j) {
        return mv.precision() instanceof NormalPrior.MvPrecision.Known kn ? mat(kn.lambda()) : mat(q.w[j]).scalarMultiply(q.nu[j]);
    }

    static double eLogDet(Mixture.Components.MvNormal mv, Q q, int j) {
        if (mv.precision() instanceof NormalPrior.MvPrecision.Known kn) return logDet(mat(kn.lambda()));
        double s = mv.d() * Math.log(2) + logDet(mat(q.w[j]));
        for (int t = 1; t <= mv.d(); t++) s += Gamma.digamma((q.nu[j] + 1 - t) / 2);
        return s;
    }

    static double spread(Mixture.Components.MvNormal mv, Q q, int j) {
        return mv.joint() ? mv.d() / q.beta[j] : trace(eLambda(mv, q, j).multiply(mat(q.s[j])));
    }

    static double[] elogPi(Q q) {
        double s = Gamma.digamma(Arrays.stream(q.alpha).sum());
        return Arrays.stream(q.alpha).map(v -> Gamma.digamma(v) - s).toArray();
    }

    static double quad(RealMatrix a, double[] v) { return MatrixUtils.createRealVector(v).dotProduct(MatrixUtils.createRealVector(a.operate(v))); }

    static double[] minus(double[] u, double[] v) {
        double[] out = u.clone();
        for (int a = 0; a < u.length; a++) out[a] -= v[a];
        return out;
    }

    static double[][] phi(Mixture mix, double[] x, Q q) {
        Mixture.Components.MvNormal mv = (Mixture.Components.MvNormal) mix.components();
        int k = mix.k(), d = mv.d(), n = x.length / d;
        double[] elp = elogPi(q);
        double[][] phi = new double[n][k];
        for (int i = 0; i < n; i++) {
            double[] xi = Arrays.copyOfRange(x, i * d, i * d + d);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                phi[i][j] = elp[j] + 0.5 * eLogDet(mv, q, j) - 0.5 * (quad(eLambda(mv, q, j), minus(xi, q.m[j])) + spread(mv, q, j));
                max = Math.max(max, phi[i][j]);
            }
            double z = 0;
            for (int j = 0; j < k; j++) z += phi[i][j] = Math.exp(phi[i][j] - max);
            for (int j = 0; j < k; j++) phi[i][j] /= z;
        }
        return phi;
    }

    static double elbo(Mixture mix, double[] x, double[][] phi, Q q) {
        Mixture.Components.MvNormal mv = (Mixture.Components.MvNormal) mix.components();
        int k = mix.k(), d = mv.d(), n = x.length / d;
        double[] elp = elogPi(q), m0 = mv.m0();
        double total = 0;
        for (int j = 0; j < k; j++) {
            RealMatrix el = eLambda(mv, q, j);
            double eld = eLogDet(mv, q, j), spread = spread(mv, q, j);
            for (int i = 0; i < n; i++) {
                double[] xi = Arrays.copyOfRange(x, i * d, i * d + d);
                double p = phi[i][j];
                total += p * (elp[j] + 0.5 * eld - d / 2.0 * Math.log(2 * Math.PI) - 0.5 * (quad(el, minus(xi, q.m[j])) + spread));
                if (p > 0) total -= p * Math.log(p);
            }
            double[] dm = minus(q.m[j], m0);
            if (mv.meanPrior() instanceof NormalPrior.MvMeanPrior.Scaled sc) {
                total += d / 2.0 * Math.log(sc.beta0() / (2 * Math.PI)) + 0.5 * eld - 0.5 * sc.beta0() * (quad(el, dm) + spread);
            } else {
                RealMatrix s0 = mat(((NormalPrior.MvMeanPrior.Covariance) mv.meanPrior()).s0());
                RealMatrix s0inv = MatrixUtils.inverse(s0);
                total += -d / 2.0 * Math.log(2 * Math.PI) - 0.5 * logDet(s0) - 0.5 * (quad(s0inv, dm) + trace(s0inv.multiply(mat(q.s[j]))));
            }
            if (mv.precision() instanceof NormalPrior.MvPrecision.Wishart w) {
                RealMatrix w0 = mat(w.w0());
                total += -w.nu0() * d / 2 * Math.log(2) - w.nu0() / 2 * logDet(w0) - logMultiGamma(w.nu0() / 2, d)
                        + (w.nu0() - d - 1) / 2 * eld - 0.5 * trace(MatrixUtils.inverse(w0).multiply(el));
                total += q.nu[j] / 2 * logDet(mat(q.w[j])) + q.nu[j] * d / 2 * Math.log(2) + logMultiGamma(q.nu[j] / 2, d)
                        - (q.nu[j] - d - 1) / 2 * eld + q.nu[j] * d / 2;
            }
            if (mv.joint()) total += d / 2.0 * (1 + Math.log(2 * Math.PI)) - d / 2.0 * Math.log(q.beta[j]) - 0.5 * eld;
            else total += d / 2.0 * (1 + Math.log(2 * Math.PI)) + 0.5 * logDet(mat(q.s[j]));
        }
        double[] a0 = ((Mixture.Weights.Dirichlet) mix.weights()).alpha0();
        total += Gamma.logGamma(Arrays.stream(a0).sum()) - Arrays.stream(a0).map(Gamma::logGamma).sum()
                - Gamma.logGamma(Arrays.stream(q.alpha).sum()) + Arrays.stream(q.alpha).map(Gamma::logGamma).sum();
        for (int j = 0; j < k; j++) total += (a0[j] - q.alpha[j]) * elp[j];
        return total;
    }

    interface Setter { void set(Q q, double h); }

    /** d ELBO / d(parameter) by central differences, times a typical size: dimensionless. */
    static double slope(Mixture mix, double[] x, double[][] phi, Q at, double size, Setter bump) {
        double h = 1e-6 * Math.max(size, 1e-3);
        Q up = at.copy(), down = at.copy();
        bump.set(up, h);
        bump.set(down, -h);
        return (elbo(mix, x, phi, up) - elbo(mix, x, phi, down)) / (2 * h) * Math.max(size, 1e-3);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void everyMultivariateUpdateIsStationary(int which) {
        Mixture mix = Models.compile(MODELS[which]).plan().mixture();
        Mixture.Components.MvNormal mv = (Mixture.Components.MvNormal) mix.components();
        SplittableRandom rng = new SplittableRandom(40 + which);
        double[] x = new double[2 * 160];
        for (int i = 0; i < 160; i++) {
            double c = i % 3 == 0 ? -2 : 2;
            x[2 * i] = c + rng.nextGaussian();
            x[2 * i + 1] = 0.5 * c + 0.7 * rng.nextGaussian() + 0.3 * x[2 * i];
        }
        CaviState s = Fitter.start(mix, x, rng);
        s.sweep();
        Q old = Q.of(s.posterior());
        double[][] phi = phi(mix, x, old);
        double fused = s.sweep();
        Q now = Q.of(s.posterior());
        double scale = 1e-6 * Math.abs(fused);
        assertEquals(elbo(mix, x, phi, now), fused, 1e-9 * Math.abs(fused), "the fused ELBO");

        boolean meanField = !mv.joint() && now.w != null;
        Q meansStep = now.copy();
        if (meanField) { meansStep.nu = old.nu; meansStep.w = old.w; }
        for (int j = 0; j < mix.k(); j++) {
            final int jj = j;
            for (int a = 0; a < 2; a++) {
                final int aa = a;
                assertTrue(Math.abs(slope(mix, x, phi, meansStep, 1, (q, h) -> q.m[jj][aa] += h)) < scale, "m[" + j + "][" + a + "]");
                for (int b = a; b < 2; b++) {
                    final int bb = b;
                    Setter sym = (q, h) -> { q.w[jj][aa][bb] += h; if (aa != bb) q.w[jj][bb][aa] += h; };
                    if (now.w != null) assertTrue(Math.abs(slope(mix, x, phi, now, now.w[j][a][a], sym)) < scale, "W[" + j + "]");
                    Setter symS = (q, h) -> { q.s[jj][aa][bb] += h; if (aa != bb) q.s[jj][bb][aa] += h; };
                    if (now.s != null) assertTrue(Math.abs(slope(mix, x, phi, meansStep, meansStep.s[j][a][a], symS)) < scale, "S[" + j + "]");
                }
            }
            if (now.beta != null) assertTrue(Math.abs(slope(mix, x, phi, now, now.beta[j], (q, h) -> q.beta[jj] += h)) < scale, "beta");
            if (now.nu != null) assertTrue(Math.abs(slope(mix, x, phi, now, now.nu[j], (q, h) -> q.nu[jj] += h)) < scale, "nu");
            assertTrue(Math.abs(slope(mix, x, phi, now, now.alpha[j], (q, h) -> q.alpha[jj] += h)) < scale, "alpha");
        }
    }
}

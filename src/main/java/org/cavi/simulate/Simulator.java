package org.cavi.simulate;

import org.cavi.family.NormalPrior;
import java.util.SplittableRandom;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.cavi.family.Dense;
import org.cavi.family.PositiveFamily;
import org.cavi.family.Wishart;
import org.cavi.plan.Mixture;

/**
 * Draws data from the model's generative process; latents fixed with --set stay fixed. Gamma
 * and Beta draws (precisions, rates, Dirichlet and stick-breaking weights) and the linear
 * likelihoods' data come from the units in {@code family}; the Normal and MvNormal arithmetic
 * (and the Wishart's Bartlett decomposition) is here.
 */
public final class Simulator {
    private Simulator() {}

    public static double[] simulate(Mixture mix, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        // Gamma and Poisson draws come from a second stream, so the Normal draws are the same
        // whatever else the model has
        RandomGenerator well = new Well19937c(seed ^ 0x9E3779B97F4A7C15L);
        int k = mix.k();
        double[] pi = weights(mix, k, rng, well);
        double[] c = mix.selector().flatMap(mix::fixedValue).orElse(null);
        if (mix.components() instanceof Mixture.Components.MvNormal mv) return multivariate(mix, mv, n, pi, c, rng, well);
        double[] x = new double[n];
        if (mix.components() instanceof Mixture.Components.Normal nc) {
            double[] tau = new double[k];
            if (nc.precision() instanceof NormalPrior.Precision.Gamma g) {
                tau = mix.fixedValue(g.name()).orElse(null);
                if (tau == null) {
                    tau = new double[k];
                    for (int j = 0; j < k; j++) tau[j] = PositiveFamily.GAMMA.sample(g.a0(), g.b0(), well);
                }
            } else {
                java.util.Arrays.fill(tau, ((NormalPrior.Precision.Known) nc.precision()).tau());
            }
            double[] mu = mix.fixedValue(nc.mean()).orElse(null);
            if (mu == null) {
                mu = new double[k];
                for (int j = 0; j < k; j++) {
                    double v = nc.meanPrior() instanceof NormalPrior.MeanPrior.Variance var ? var.v()
                            : 1 / (((NormalPrior.MeanPrior.Scaled) nc.meanPrior()).beta0() * tau[j]);
                    mu[j] = nc.m0() + Math.sqrt(v) * rng.nextGaussian();
                }
            }
            for (int i = 0; i < n; i++) {
                int j = component(c, i, pi, rng);
                x[i] = mu[j] + rng.nextGaussian() / Math.sqrt(tau[j]);
            }
        } else if (mix.components() instanceof Mixture.Components.Linear lin) {
            // each unit draws its parameter from its prior and its data given the parameter
            double[] theta = mix.fixedValue(lin.parameter()).orElse(null);
            if (theta == null) {
                theta = new double[k];
                for (int j = 0; j < k; j++) theta[j] = lin.likelihood().prior().sample(lin.a0(), lin.b0(), well);
            }
            for (int i = 0; i < n; i++) {
                double u = lin.likelihood().byInversion() ? rng.nextDouble() : 0;
                x[i] = lin.likelihood().sample(theta[component(c, i, pi, rng)], u, well);
            }
        }
        return x;
    }

    /** Row-major points: Lambda_k from Wishart (Bartlett), mu_k from its prior, x from MvNormal(mu, inv(Lambda)). */
    private static double[] multivariate(Mixture mix, Mixture.Components.MvNormal mv, int n, double[] pi, double[] c,
                                         SplittableRandom rng, RandomGenerator well) {
        int k = mix.k(), d = mv.d();
        double[][][] lowerOfLambda = new double[k][][];
        for (int j = 0; j < k; j++) {
            double[][] lambda = mv.precision() instanceof NormalPrior.MvPrecision.Known kn ? kn.lambda()
                    : Wishart.sample(((NormalPrior.MvPrecision.Wishart) mv.precision()).nu0(), ((NormalPrior.MvPrecision.Wishart) mv.precision()).w0(), rng, well);
            lowerOfLambda[j] = Dense.lowerOfSymmetric(lambda);
        }
        double[] fixed = mix.fixedValue(mv.mean()).orElse(null);
        double[][] mu = new double[k][d];
        double[] m0 = mv.m0();
        for (int j = 0; j < k; j++) {
            if (fixed != null) {
                System.arraycopy(fixed, j * d, mu[j], 0, d);
            } else if (mv.meanPrior() instanceof NormalPrior.MvMeanPrior.Covariance cov) {
                double[][] l = Dense.lowerOfSymmetric(cov.s0());
                double[] z = normals(d, rng);
                for (int a = 0; a < d; a++) {
                    mu[j][a] = m0[a];
                    for (int b = 0; b <= a; b++) mu[j][a] += l[a][b] * z[b];
                }
            } else {
                double beta0 = ((NormalPrior.MvMeanPrior.Scaled) mv.meanPrior()).beta0();
                double[] y = solveUpper(lowerOfLambda[j], normals(d, rng));
                for (int a = 0; a < d; a++) mu[j][a] = m0[a] + y[a] / Math.sqrt(beta0);
            }
        }
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) {
            int j = component(c, i, pi, rng);
            double[] y = solveUpper(lowerOfLambda[j], normals(d, rng));
            for (int a = 0; a < d; a++) x[i * d + a] = mu[j][a] + y[a];
        }
        return x;
    }

    private static double[] normals(int d, SplittableRandom rng) {
        double[] z = new double[d];
        for (int a = 0; a < d; a++) z[a] = rng.nextGaussian();
        return z;
    }

    /** Solves Lᵀ y = z for lower-triangular L: y ~ MvNormal(0, inv(L Lᵀ)) when z is standard Normal. */
    private static double[] solveUpper(double[][] l, double[] z) {
        int d = z.length;
        double[] y = new double[d];
        for (int a = d - 1; a >= 0; a--) {
            double s = z[a];
            for (int b = a + 1; b < d; b++) s -= l[b][a] * y[b];
            y[a] = s / l[a][a];
        }
        return y;
    }

    private static double[] weights(Mixture mix, int k, SplittableRandom rng, RandomGenerator well) {
        if (mix.weights() instanceof Mixture.Weights.Fixed f) {
            double[] lp = f.logPi();
            for (int j = 0; j < k; j++) lp[j] = Math.exp(lp[j]);
            return lp;
        }
        if (mix.weights() instanceof Mixture.Weights.Dirichlet d) {
            double[] fixed = mix.fixedValue(d.name()).orElse(null);
            if (fixed != null) return fixed;
            double[] a = d.alpha0();
            double[] g = new double[k];
            double total = 0;
            for (int j = 0; j < k; j++) { g[j] = PositiveFamily.GAMMA.sample(a[j], 1, well); total += g[j]; }
            for (int j = 0; j < k; j++) g[j] /= total;
            return g;
        }
        if (mix.weights() instanceof Mixture.Weights.StickBreaking sb) {
            double[] fixed = mix.fixedValue(sb.name()).orElse(null);
            if (fixed != null) return fixed;
            // v[k] ~ Beta(1, alpha), pi[k] = v[k]·Π_{j<k}(1 − v[j]); the mass left after K sticks
            // (the components past the truncation, which q never uses) goes to the last component
            double[] pi = new double[k];
            double rest = 1;
            for (int j = 0; j < k; j++) {
                double v = j < k - 1 ? PositiveFamily.BETA.sample(1, sb.alpha(), well) : 1;
                pi[j] = rest * v;
                rest *= 1 - v;
            }
            return pi;
        }
        return new double[] {1};
    }

    private static int component(double[] fixedC, int i, double[] pi, SplittableRandom rng) {
        if (fixedC != null) return (int) fixedC[i] - 1;
        if (pi.length == 1) return 0;
        double u = rng.nextDouble(), run = 0;
        for (int j = 0; j < pi.length - 1; j++) {
            run += pi[j];
            if (u < run) return j;
        }
        return pi.length - 1;
    }
}

package org.cavi.simulate;

import org.cavi.family.NormalPrior;
import java.util.SplittableRandom;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.cavi.family.NormalGammaComponents;
import org.cavi.family.NormalWishartComponents;
import org.cavi.family.PositiveFamily;
import org.cavi.plan.Mixture;

/**
 * Draws data from the model's generative process; latents fixed with --set stay fixed. Every draw
 * of a parameter or a data point is a family unit's ({@code family}); here are the weights, the
 * assignments and the order of the draws.
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
            double[] fixedTau = nc.precision() instanceof NormalPrior.Precision.Gamma g ? mix.fixedValue(g.name()).orElse(null) : null;
            double[][] theta = NormalGammaComponents.sampleParameters(nc.m0(), nc.meanPrior(), nc.precision(), k,
                    mix.fixedValue(nc.mean()).orElse(null), fixedTau, rng, well);
            for (int i = 0; i < n; i++) {
                int j = component(c, i, pi, rng);
                x[i] = NormalGammaComponents.sample(theta[0][j], theta[1][j], rng);
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

    /** Row-major points: the components' parameters from the Normal family's unit, then x from MvNormal(mu, inv(Lambda)). */
    private static double[] multivariate(Mixture mix, Mixture.Components.MvNormal mv, int n, double[] pi, double[] c,
                                         SplittableRandom rng, RandomGenerator well) {
        int d = mv.d();
        NormalWishartComponents.Draw theta = NormalWishartComponents.sampleParameters(mv.m0(), mv.meanPrior(), mv.precision(), mix.k(),
                mix.fixedValue(mv.mean()).orElse(null), rng, well);
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) {
            int j = component(c, i, pi, rng);
            NormalWishartComponents.sample(theta.mu()[j], theta.lowerOfLambda()[j], rng, x, i * d);
        }
        return x;
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

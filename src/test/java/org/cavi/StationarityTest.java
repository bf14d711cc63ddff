package org.cavi;

import org.cavi.family.NormalPrior;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.special.Gamma;
import org.cavi.driver.Driver;
import org.cavi.family.Posterior;
import org.cavi.infer.Fitter;
import org.cavi.plan.Mixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each coordinate update is a stationary point of the ELBO in its own coordinates. The ELBO
 * here is written out afresh over an explicit n×K matrix phi, from the textbook expectations,
 * and differentiated numerically; it must also equal the runtime's fused ELBO.
 */
class StationarityTest {
    static final String BASE = """
            const K = 3
            data x[n]
            """;
    static final String[] MODELS = {
        // known variance, fixed weights
        BASE + "mu[k] ~ Normal(1, 20) for k in 1..K\nc[i] ~ Categorical(K) for i in 1..n\nx[i] ~ Normal(mu[c[i]], 0.8) for i in 1..n\n",
        // Dirichlet weights, mean-field Gamma precisions
        BASE + "pi ~ Dirichlet([1, 2, 0.5])\nmu[k] ~ Normal(1, 20) for k in 1..K\ntau[k] ~ Gamma(2, 1.5) for k in 1..K\n"
                + "c[i] ~ Categorical(pi) for i in 1..n\nx[i] ~ Normal(mu[c[i]], 1/tau[c[i]]) for i in 1..n\n",
        // Normal-Gamma prior, mean-field (Bishop 10.1.3 per component)
        BASE + "pi ~ Dirichlet(1.5, K)\ntau[k] ~ Gamma(2, 1.5) for k in 1..K\nmu[k] ~ Normal(1, 1/(0.5*tau[k])) for k in 1..K\n"
                + "c[i] ~ Categorical(pi) for i in 1..n\nx[i] ~ Normal(mu[c[i]], 1/tau[c[i]]) for i in 1..n\n",
        // Normal-Gamma prior, joint q(mu, tau)
        BASE + "pi ~ Dirichlet(1.5, K)\ntau[k] ~ Gamma(2, 1.5) for k in 1..K\nmu[k] ~ Normal(1, 1/(0.5*tau[k])) for k in 1..K\n"
                + "c[i] ~ Categorical(pi) for i in 1..n\nx[i] ~ Normal(mu[c[i]], 1/tau[c[i]]) for i in 1..n\nq(mu[k], tau[k])\n",
    };

    /** Every variational parameter of the Normal-family q, in one mutable bag. */
    static final class Q {
        double[] m, s2, beta, a, b, alpha;

        Q copy() {
            Q q = new Q();
            q.m = m.clone();
            q.s2 = s2 == null ? null : s2.clone();
            q.beta = beta == null ? null : beta.clone();
            q.a = a == null ? null : a.clone();
            q.b = b == null ? null : b.clone();
            q.alpha = alpha == null ? null : alpha.clone();
            return q;
        }

        static Q of(Posterior p, Mixture mix) {
            Mixture.Components.Normal nc = mix.normal().orElseThrow();
            Q q = new Q();
            Posterior.Block mu = p.block(nc.mean());
            q.m = mu.field("mean");
            if (nc.joint()) q.beta = mu.field("beta");
            else q.s2 = Arrays.stream(mu.field("sd")).map(v -> v * v).toArray();
            if (nc.precision() instanceof NormalPrior.Precision.Gamma g) {
                q.a = p.block(g.name()).field("shape");
                q.b = p.block(g.name()).field("rate");
            }
            if (mix.weights() instanceof Mixture.Weights.Dirichlet d) q.alpha = p.block(d.name()).field("alpha");
            return q;
        }
    }

    /** The ELBO from its definition: every term, with phi given explicitly. */
    static double elbo(Mixture mix, double[] x, double[][] phi, Q q) {
        Mixture.Components.Normal nc = mix.normal().orElseThrow();
        int k = mix.k(), n = x.length;
        double[] elogPi = elogPi(mix, q);
        double total = 0;
        for (int j = 0; j < k; j++) {
            double et = eTau(nc, q, j), elt = eLogTau(nc, q, j);
            for (int i = 0; i < n; i++) {
                double p = phi[i][j];
                double d = x[i] - q.m[j];
                double etSq = nc.joint() ? et * d * d + 1 / q.beta[j] : et * (d * d + q.s2[j]);
                total += p * (elogPi[j] + 0.5 * elt - 0.5 * Math.log(2 * Math.PI) - 0.5 * etSq);
                if (p > 0) total -= p * Math.log(p);
            }
            double dm = q.m[j] - nc.m0();
            if (nc.meanPrior() instanceof NormalPrior.MeanPrior.Scaled s) {
                double spread = nc.joint() ? 1 / q.beta[j] : et * q.s2[j];
                total += 0.5 * Math.log(s.beta0() / (2 * Math.PI)) + 0.5 * elt - 0.5 * s.beta0() * (et * dm * dm + spread);
            } else {
                double v = ((NormalPrior.MeanPrior.Variance) nc.meanPrior()).v();
                total += -0.5 * Math.log(2 * Math.PI * v) - (dm * dm + q.s2[j]) / (2 * v);
            }
            if (nc.precision() instanceof NormalPrior.Precision.Gamma g) {
                total += g.a0() * Math.log(g.b0()) - Gamma.logGamma(g.a0()) + (g.a0() - 1) * elt - g.b0() * et;
                total += q.a[j] - Math.log(q.b[j]) + Gamma.logGamma(q.a[j]) + (1 - q.a[j]) * Gamma.digamma(q.a[j]);
            }
            if (nc.joint()) total += 0.5 * Math.log(2 * Math.PI * Math.E / q.beta[j]) - 0.5 * elt;
            else total += 0.5 * Math.log(2 * Math.PI * Math.E * q.s2[j]);
        }
        if (mix.weights() instanceof Mixture.Weights.Dirichlet d) {
            double[] a0 = d.alpha0();
            total += logNorm(a0) - logNorm(q.alpha);
            for (int j = 0; j < k; j++) total += (a0[j] - q.alpha[j]) * elogPi[j];
        }
        return total;
    }

    static double logNorm(double[] a) {
        return Gamma.logGamma(Arrays.stream(a).sum()) - Arrays.stream(a).map(Gamma::logGamma).sum();
    }

    static double eTau(Mixture.Components.Normal nc, Q q, int j) {
        return nc.precision() instanceof NormalPrior.Precision.Known kn ? kn.tau() : q.a[j] / q.b[j];
    }

    static double eLogTau(Mixture.Components.Normal nc, Q q, int j) {
        return nc.precision() instanceof NormalPrior.Precision.Known kn ? Math.log(kn.tau())
                : Gamma.digamma(q.a[j]) - Math.log(q.b[j]);
    }

    static double[] elogPi(Mixture mix, Q q) {
        if (mix.weights() instanceof Mixture.Weights.Fixed f) return f.logPi();
        double s = Gamma.digamma(Arrays.stream(q.alpha).sum());
        return Arrays.stream(q.alpha).map(v -> Gamma.digamma(v) - s).toArray();
    }

    /** The textbook phi: ∝ exp(E[log pi_k] + E[log Normal(x_i | mu_k, 1/tau_k)]). */
    static double[][] phi(Mixture mix, double[] x, Q q) {
        Mixture.Components.Normal nc = mix.normal().orElseThrow();
        int k = mix.k();
        double[] elogPi = elogPi(mix, q);
        double[][] phi = new double[x.length][k];
        for (int i = 0; i < x.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                double d = x[i] - q.m[j], et = eTau(nc, q, j);
                double etSq = nc.joint() ? et * d * d + 1 / q.beta[j] : et * (d * d + q.s2[j]);
                phi[i][j] = elogPi[j] + 0.5 * eLogTau(nc, q, j) - 0.5 * etSq;
                max = Math.max(max, phi[i][j]);
            }
            double z = 0;
            for (int j = 0; j < k; j++) z += phi[i][j] = Math.exp(phi[i][j] - max);
            for (int j = 0; j < k; j++) phi[i][j] /= z;
        }
        return phi;
    }

    interface Setter { void set(Q q, double v); }

    /** Central difference of the ELBO along one parameter, times the parameter: dimensionless. */
    static double slope(Mixture mix, double[] x, double[][] phi, Q at, double value, Setter set) {
        double h = 1e-6 * Math.max(Math.abs(value), 1e-3);
        Q up = at.copy(), down = at.copy();
        set.set(up, value + h);
        set.set(down, value - h);
        return (elbo(mix, x, phi, up) - elbo(mix, x, phi, down)) / (2 * h) * Math.max(Math.abs(value), 1e-3);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void everyUpdateIsStationaryInItsOwnCoordinates(int which) {
        Driver.Compiled c = Models.compile(MODELS[which]);
        Mixture mix = c.plan().mixture();
        SplittableRandom rng = new SplittableRandom(which + 10);
        double[] x = new double[240];
        for (int i = 0; i < x.length; i++) x[i] = new double[] {-4, 1, 5}[i % 3] + (1 + i % 3 * 0.5) * rng.nextGaussian();
        Mixture.Components.Normal nc = mix.normal().orElseThrow();
        org.cavi.infer.CaviState s = Fitter.start(mix, x, rng);
        for (int warm = 0; warm < 2; warm++) s.sweep(); // away from the start, not yet converged
        Q old = Q.of(s.posterior(), mix);
        double[][] phi = phi(mix, x, old);
        double fused = s.sweep();
        Q now = Q.of(s.posterior(), mix);
        double scale = 1e-6 * Math.abs(fused);

        assertEquals(elbo(mix, x, phi, now), fused, 1e-9 * Math.abs(fused), "the fused ELBO");

        // phi[i] maximises the ELBO given the old q: no gain along any direction in the simplex
        for (int i = 0; i < x.length; i += 37) {
            for (int j = 1; j < mix.k(); j++) {
                final int ii = i, jj = j;
                double h = 1e-7;
                double[][] up = Arrays.stream(phi).map(double[]::clone).toArray(double[][]::new);
                double[][] down = Arrays.stream(phi).map(double[]::clone).toArray(double[][]::new);
                double room = Math.min(Math.min(phi[ii][0], phi[ii][jj]), 1e-3);
                if (room < 1e-9) continue;
                up[ii][jj] += h * room; up[ii][0] -= h * room;
                down[ii][jj] -= h * room; down[ii][0] += h * room;
                double g = (elbo(mix, x, up, old) - elbo(mix, x, down, old)) / (2 * h);
                assertTrue(Math.abs(g) < scale, "phi[" + i + "] slope " + g);
            }
        }
        // the component means: stationary given the precisions they were updated with
        Q meansStep = now.copy();
        if (nc.precision() instanceof NormalPrior.Precision.Gamma && !nc.joint()) {
            meansStep.a = old.a;
            meansStep.b = old.b;
        }
        for (int j = 0; j < mix.k(); j++) {
            final int jj = j;
            assertTrue(Math.abs(slope(mix, x, phi, meansStep, meansStep.m[j], (q, v) -> q.m[jj] = v)) < scale, "m[" + j + "]");
            if (nc.joint()) {
                assertTrue(Math.abs(slope(mix, x, phi, now, now.beta[j], (q, v) -> q.beta[jj] = v)) < scale, "beta[" + j + "]");
            } else {
                assertTrue(Math.abs(slope(mix, x, phi, meansStep, meansStep.s2[j], (q, v) -> q.s2[jj] = v)) < scale, "s2[" + j + "]");
            }
            if (now.a != null) {
                assertTrue(Math.abs(slope(mix, x, phi, now, now.a[j], (q, v) -> q.a[jj] = v)) < scale, "a[" + j + "]");
                assertTrue(Math.abs(slope(mix, x, phi, now, now.b[j], (q, v) -> q.b[jj] = v)) < scale, "b[" + j + "]");
            }
            if (now.alpha != null) {
                assertTrue(Math.abs(slope(mix, x, phi, now, now.alpha[j], (q, v) -> q.alpha[jj] = v)) < scale, "alpha[" + j + "]");
            }
        }
    }
}

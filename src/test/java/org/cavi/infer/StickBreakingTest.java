package org.cavi.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;
import org.cavi.family.StickBreakingWeights;
import org.cavi.family.SuffStats;
import org.junit.jupiter.api.Test;

/**
 * The truncated stick-breaking weights of {@link StickBreakingWeights}: E[log pi] and the ELBO terms
 * against Monte Carlo and against the exact evidence of the conjugate Beta sticks, and the
 * update as the exact coordinate optimum.
 */
class StickBreakingTest {
    static final double ALPHA = 1.7;

    static StickBreakingWeights state(int k, double alpha, double[] a, double[] b) {
        StickBreakingWeights w = new StickBreakingWeights("pi", alpha, k, 100);
        w.set(a, b);
        return w;
    }

    static SuffStats stats(double... n) {
        SuffStats s = new SuffStats(n.length);
        System.arraycopy(n, 0, s.n, 0, n.length);
        return s;
    }

    @Test
    void elogPiAndTheElboTermsAgreeWithMonteCarlo() {
        double[] a = {3.5, 1.2, 7.0, 2.0}, b = {9.0, 4.4, 2.5, 1.7};
        int k = a.length, draws = 400_000;
        StickBreakingWeights w = state(k, ALPHA, a, b);
        SuffStats s = stats(12.3, 0.4, 30.0, 5.5);
        BetaDistribution[] q = new BetaDistribution[k];
        for (int j = 0; j < k; j++) q[j] = new BetaDistribution(new Well19937c(17 + j), a[j], b[j]);
        BetaDistribution prior = new BetaDistribution(1, ALPHA);
        double[] sum = new double[k], sq = new double[k];
        double rest = 0, restSq = 0, ent = 0, entSq = 0, assign = 0, assignSq = 0;
        for (int t = 0; t < draws; t++) {
            double logRest = 0, lp = 0, lq = 0, la = 0;
            for (int j = 0; j < k; j++) {
                double v = q[j].sample();
                double logPi = Math.log(v) + logRest; // pi[j] = v[j]·Π_{i<j}(1 − v[i]), built by multiplying
                sum[j] += logPi;
                sq[j] += logPi * logPi;
                la += s.n[j] * logPi;
                logRest += Math.log1p(-v);
                lp += prior.logDensity(v);
                lq += q[j].logDensity(v);
            }
            double term = lp - lq; // E[log p(v)] + H[q(v)]
            rest += term;
            restSq += term * term;
            assign += la;
            assignSq += la * la;
        }
        for (int j = 0; j < k; j++) {
            double mean = sum[j] / draws, se = Math.sqrt((sq[j] / draws - mean * mean) / draws);
            assertEquals(mean, w.elogPi()[j], 5 * se, "E[log pi[" + j + "]]");
        }
        double mc = rest / draws + assign / draws;
        double se = Math.sqrt((restSq / draws - Math.pow(rest / draws, 2)) / draws)
                + Math.sqrt((assignSq / draws - Math.pow(assign / draws, 2)) / draws);
        assertEquals(mc, w.elbo(s), 5 * se, "Σ N E[log pi] + E[log p(v)] + H[q(v)]");
    }

    /**
     * At the update, q(v) is the exact posterior of the sticks given N, so the weights' ELBO is the
     * log evidence log E_prior[Π pi_k^N_k] = Σ_k log B(1 + N_k, alpha + Σ_{j>k} N_j) − log B(1, alpha),
     * exactly, for any K (for K = 1: log B(1 + N, alpha) − log B(1, alpha)).
     */
    @Test
    void theUpdatedElboIsTheExactLogEvidenceOfTheSticks() {
        double[][] ns = {{42.0}, {0.0}, {3.25, 0.0, 17.5}, {10, 20, 30, 0.5, 0.001}};
        for (double[] n : ns) {
            int k = n.length;
            StickBreakingWeights w = new StickBreakingWeights("pi", ALPHA, k, 60);
            SuffStats s = stats(n);
            w.update(s);
            double evidence = 0, tail = 0;
            for (int j = k - 1; j >= 0; j--) {
                evidence += Beta.logBeta(1 + n[j], ALPHA + tail) - Beta.logBeta(1, ALPHA);
                tail += n[j];
            }
            assertEquals(evidence, w.elbo(s), 1e-10 * Math.max(1, Math.abs(evidence)), java.util.Arrays.toString(n));
            if (k == 1) {
                assertEquals(1 + n[0], w.a()[0], 0);
                assertEquals(ALPHA, w.b()[0], 0);
                assertEquals(Gamma.digamma(1 + n[0]) - Gamma.digamma(1 + n[0] + ALPHA), w.elogPi()[0], 1e-14);
            }
        }
    }

    @Test
    void theUpdateMatchesScikitLearnsSticks() {
        double[] n = {5, 0, 12, 3};
        StickBreakingWeights w = new StickBreakingWeights("pi", ALPHA, 4, 20);
        w.update(stats(n));
        // sklearn: (1 + nk, alpha + hstack((cumsum(nk[::-1])[-2::-1], 0)))
        double[] b = {ALPHA + 15, ALPHA + 15, ALPHA + 3, ALPHA};
        for (int j = 0; j < 4; j++) {
            assertEquals(1 + n[j], w.a()[j], 0);
            assertEquals(b[j], w.b()[j], 1e-12);
        }
        // E[pi] = E[v_k] Π_{j<k} E[1 − v_j]
        double[] mean = w.means();
        double rest = 1;
        for (int j = 0; j < 4; j++) {
            assertEquals(rest * w.a()[j] / (w.a()[j] + w.b()[j]), mean[j], 1e-15);
            rest *= w.b()[j] / (w.a()[j] + w.b()[j]);
        }
    }

    /** Every stick parameter moved either way from the update lowers the ELBO: the update is the coordinate optimum. */
    @Test
    void theUpdateIsTheCoordinateOptimum() {
        SuffStats s = stats(7.5, 0.2, 40.0, 2.0, 0.0);
        StickBreakingWeights w = new StickBreakingWeights("pi", ALPHA, 5, 50);
        w.update(s);
        double best = w.elbo(s);
        double[] a = w.a().clone(), b = w.b().clone();
        for (int j = 0; j < 5; j++) {
            for (double eps : new double[] {-1e-3, 1e-3, -0.3, 0.3}) {
                for (int which = 0; which < 2; which++) {
                    double[] pa = a.clone(), pb = b.clone();
                    if (which == 0) pa[j] += eps; else pb[j] += eps;
                    double e = state(5, ALPHA, pa, pb).elbo(s);
                    assertTrue(e < best, "stick " + j + (which == 0 ? " a" : " b") + " moved by " + eps + ": " + e + " ≥ " + best);
                }
            }
        }
        // and the gradient vanishes there (central differences)
        for (int j = 0; j < 5; j++) {
            double h = 1e-5;
            double[] up = a.clone(), down = a.clone();
            up[j] += h;
            down[j] -= h;
            double g = (state(5, ALPHA, up, b).elbo(s) - state(5, ALPHA, down, b).elbo(s)) / (2 * h);
            assertEquals(0, g, 1e-5, "dELBO/da[" + j + "]");
        }
    }
}

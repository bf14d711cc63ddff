package org.cavi.infer;

import java.util.SplittableRandom;
import org.cavi.plan.GaussianMixture;

/**
 * Runs the plan's sweep for the Gaussian mixture: all phi[i] (never stored), then all
 * (m[k], s2[k]), and the exact ELBO at the new q, in one fused pass over the data.
 *
 * <p>The pass works with d = x[i] − m[k] rather than x[i]·m[k]: the softmax is the same
 * (the two exponents differ by x[i]²/(2λ), constant in k), and the sums stay accurate
 * when |x| is huge. It accumulates per component N = Σφ, D = Σφd and Q = Σφd², plus
 * Σ_i LSE_i, which is all the updates and the ELBO need.
 */
public final class Sweeper {
    /** Points per chunk: partial sums are formed per chunk, then added in chunk order. */
    static final int CHUNK = 4096;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final GaussianMixture gm;
    private final double[] x;
    private final int k;
    private final double[] logPi;
    private final boolean fixed;
    private final double[] m;
    private final double[] s2;
    private final double[] weights;
    // scratch, O(K)
    private final double[] e;
    private final double[] chunkAcc;
    private final double[] acc;
    private final double[] bias;

    public Sweeper(GaussianMixture gm, double[] x, double[] m0, double[] s20) {
        this.gm = gm;
        this.x = x;
        this.k = gm.k();
        this.logPi = gm.logPi();
        this.fixed = gm.fixedMeans().isPresent();
        this.m = m0.clone();
        this.s2 = s20.clone();
        this.weights = new double[k];
        this.e = new double[k];
        this.chunkAcc = new double[3 * k + 1];
        this.acc = new double[3 * k + 1];
        this.bias = new double[k];
    }

    /** A seeded k-means++-style start: centres drawn with probability ∝ squared distance. */
    public static Sweeper init(GaussianMixture gm, double[] x, SplittableRandom rng) {
        int k = gm.k();
        double[] m;
        double[] s2 = new double[k];
        if (gm.fixedMeans().isPresent()) {
            m = gm.fixedMeans().get();
        } else {
            m = kmeansPlusPlus(x, k, rng);
            double start = 1 / (1 / gm.priorVariance() + ((double) x.length / k) / gm.noiseVariance());
            java.util.Arrays.fill(s2, start);
        }
        return new Sweeper(gm, x, m, s2);
    }

    static double[] kmeansPlusPlus(double[] x, int k, SplittableRandom rng) {
        int n = x.length;
        double[] centres = new double[k];
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : x) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        // distances in units of the data's range, so squares cannot overflow
        double scale = hi > lo ? (hi - lo) : 1;
        centres[0] = x[rng.nextInt(n)];
        for (int j = 1; j < k; j++) {
            double total = 0;
            for (int i = 0; i < n; i++) total += nearest(x[i], centres, j, scale);
            double u = rng.nextDouble() * total;
            int pick = n - 1;
            if (total > 0) {
                double run = 0;
                for (int i = 0; i < n; i++) {
                    run += nearest(x[i], centres, j, scale);
                    if (run > u) { pick = i; break; }
                }
            } else {
                pick = rng.nextInt(n);
            }
            centres[j] = x[pick];
        }
        return centres;
    }

    private static double nearest(double xi, double[] centres, int count, double scale) {
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < count; j++) {
            double d = (xi - centres[j]) / scale;
            best = Math.min(best, d * d);
        }
        return best;
    }

    /** One sweep; returns the full ELBO at the updated q. */
    public double sweep() {
        double inv2Lambda = 1 / (2 * gm.noiseVariance());
        for (int j = 0; j < k; j++) bias[j] = logPi[j] - s2[j] * inv2Lambda;
        java.util.Arrays.fill(acc, 0);
        int n = x.length;
        for (int from = 0; from < n; from += CHUNK) {
            java.util.Arrays.fill(chunkAcc, 0);
            pass(from, Math.min(n, from + CHUNK), inv2Lambda);
            for (int j = 0; j < acc.length; j++) acc[j] += chunkAcc[j];
        }
        double[] mOld = m.clone();
        double[] s2Old = s2.clone();
        if (!fixed) {
            double invSigma2 = 1 / gm.priorVariance();
            double invLambda = 1 / gm.noiseVariance();
            for (int j = 0; j < k; j++) {
                double nk = acc[j];
                double sk = acc[k + j] + nk * mOld[j]; // Σ φ x
                s2[j] = 1 / (invSigma2 + nk * invLambda);
                m[j] = s2[j] * (gm.priorMean() * invSigma2 + sk * invLambda);
            }
        }
        for (int j = 0; j < k; j++) weights[j] = acc[j] / n;
        return elbo(mOld, s2Old);
    }

    /** The fused pass over x[from, to): phi per point, folded into the chunk's sums. */
    private void pass(int from, int to, double inv2Lambda) {
        final double[] x = this.x, m = this.m, bias = this.bias, e = this.e, a = chunkAcc;
        final int k = this.k;
        // Σ_i log(sum_i) is taken as the log of products of up to `block` sums, each sum in [1, K]:
        // one logarithm per block instead of one per point, and no overflow (K^block < e^700).
        final int block = (int) Math.max(1, Math.min(64, 700 / Math.log(Math.max(2, k))));
        double lse = 0;
        double product = 1;
        int pending = 0;
        for (int i = from; i < to; i++) {
            double xi = x[i];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                double d = xi - m[j];
                double ej = bias[j] - d * d * inv2Lambda;
                e[j] = ej;
                if (ej > max) max = ej;
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                double p = Math.exp(e[j] - max);
                e[j] = p;
                sum += p;
            }
            lse += max;
            product *= sum;
            if (++pending == block) {
                lse += Math.log(product);
                product = 1;
                pending = 0;
            }
            double inv = 1 / sum;
            for (int j = 0; j < k; j++) {
                double p = e[j] * inv;
                double d = xi - m[j];
                double pd = p * d;
                a[j] += p;
                a[k + j] += pd;
                a[2 * k + j] += pd * d;
            }
        }
        a[3 * k] += lse + Math.log(product);
    }

    /** The full ELBO: φ from this sweep's pass, (m, s2) after this sweep's update. */
    private double elbo(double[] mOld, double[] s2Old) {
        int n = x.length;
        double sigma2 = gm.priorVariance(), lambda = gm.noiseVariance(), mu0 = gm.priorMean();
        double priorMu = 0, entropyMu = 0, priorC = 0, lik = -0.5 * n * (LOG_2PI + Math.log(lambda));
        double crossOld = 0;
        for (int j = 0; j < k; j++) {
            double nk = acc[j], dk = acc[k + j], qk = acc[2 * k + j];
            double dm = m[j] - mu0;
            priorMu += -0.5 * (LOG_2PI + Math.log(sigma2)) - (dm * dm + s2[j]) / (2 * sigma2);
            if (!fixed) entropyMu += 0.5 * (LOG_2PI + 1 + Math.log(s2[j]));
            priorC += nk * logPi[j];
            double delta = mOld[j] - m[j];
            double qNew = qk + 2 * delta * dk + nk * delta * delta; // Σ φ (x − m_new)²
            lik -= (qNew + nk * s2[j]) / (2 * lambda);
            crossOld += nk * logPi[j] - (qk + nk * s2Old[j]) / (2 * lambda);
        }
        double entropyC = acc[3 * k] - crossOld;
        return priorMu + entropyMu + priorC + lik + entropyC;
    }

    public double[] means() { return m.clone(); }
    public double[] variances() { return s2.clone(); }
    /** The mean of phi over the data, per component, from the last sweep. */
    public double[] weights() { return weights.clone(); }
    public int size() { return x.length; }
}

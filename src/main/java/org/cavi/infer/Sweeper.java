package org.cavi.infer;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.cavi.plan.Mixture;

/**
 * Runs the plan's sweep: all phi[i] (never stored), then q(pi), then the component
 * latents, and the exact ELBO at the new q, from one fused pass over the data.
 *
 * <p>For a Normal likelihood the pass works with d = x[i] − r[k], r the current means,
 * rather than with x[i]·m[k]: the softmax is the same (the exponents differ by a term
 * constant in k), and the sums stay accurate when |x| is huge. It accumulates per
 * component N = Σφ, D = Σφd and Q = Σφd², plus Σ_i LSE_i, which is all the updates and
 * the ELBO need.
 */
public final class Sweeper implements CaviState {
    /** Points per chunk: partial sums are formed per chunk, then added in chunk order. */
    static final int CHUNK = 4096;
    /**
     * The data are cut into this many blocks whatever the number of threads; block sums are
     * added in block order, so any number of threads gives the same bits.
     */
    static final int BLOCKS = 64;

    private final Mixture mix;
    private final double[] x;
    private final int k;
    private final WeightsState weights;
    private final ComponentModel comps;
    private final Stats stats;
    // scratch, O(K)
    private final double[] bias, halfA, r, slope;
    private final double[][] blockSums;
    private final Parallel parallel;

    private Sweeper(Mixture mix, double[] x, WeightsState weights, ComponentModel comps, Parallel parallel) {
        this.mix = mix;
        this.x = x;
        this.k = mix.k();
        this.weights = weights;
        this.comps = comps;
        this.stats = new Stats(k);
        this.bias = new double[k];
        this.halfA = new double[k];
        this.r = new double[k];
        this.slope = new double[k];
        this.blockSums = new double[BLOCKS][3 * k + 1];
        this.parallel = parallel;
    }

    /** A seeded k-means++-style start: centres drawn with probability ∝ squared distance. */
    public static Sweeper init(Mixture mix, double[] x, SplittableRandom rng, Parallel parallel) {
        int k = mix.k();
        double[] centres = kmeansPlusPlus(x, k, rng);
        return new Sweeper(mix, x, new WeightsState(mix.weights(), k, x.length), components(mix, x, centres), parallel);
    }

    private static ComponentModel components(Mixture mix, double[] x, double[] centres) {
        if (mix.components() instanceof Mixture.Components.Normal n) {
            double[] fixed = mix.fixedValue(n.mean()).orElse(null);
            return new NormalComponents(n, mix.k(), centres, fixed, x.length, variance(x));
        }
        return new CountComponents(mix.components(), mix.k(), centres, x.length, x);
    }

    private static double variance(double[] x) {
        double mean = 0;
        for (double v : x) mean += v;
        mean /= x.length;
        double ss = 0;
        for (double v : x) ss += (v - mean) * (v - mean);
        return ss / x.length;
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

    /** The exponents' coefficients from the current q. */
    private void prepare() {
        comps.coefficients(bias, halfA, r, slope);
        for (int j = 0; j < k; j++) bias[j] += weights.elogPi[j];
    }

    @Override
    public Assigned assignments() {
        prepare();
        int n = x.length;
        int[] best = new int[n];
        double[] prob = new double[n];
        double[] e = new double[k];
        boolean quadratic = comps.quadratic();
        for (int i = 0; i < n; i++) {
            double xi = x[i], max = Double.NEGATIVE_INFINITY;
            int arg = 0;
            for (int j = 0; j < k; j++) {
                double d = xi - r[j];
                e[j] = quadratic ? bias[j] - d * d * halfA[j] : bias[j] + slope[j] * xi;
                if (e[j] > max) { max = e[j]; arg = j; }
            }
            best[i] = arg;
            prob[i] = 1 / exponentiate(e, k, max);
        }
        return new Assigned(best, prob);
    }

    @Override
    public double sweep() {
        prepare();
        Arrays.fill(stats.n, 0);
        Arrays.fill(stats.d, 0);
        Arrays.fill(stats.q, 0);
        System.arraycopy(comps.quadratic() ? r : new double[k], 0, stats.r, 0, k);
        stats.lse = 0;
        int n = x.length;
        boolean quadratic = comps.quadratic();
        parallel.forEach(BLOCKS, (long) n * k, b -> block(b, n, quadratic));
        for (double[] sums : blockSums) {
            for (int j = 0; j < k; j++) {
                stats.n[j] += sums[j];
                stats.d[j] += sums[k + j];
                stats.q[j] += sums[2 * k + j];
            }
            stats.lse += sums[3 * k];
        }
        // Σ_i Σ_k φ e with the exponents of this pass; the entropy of q(c) is lse minus it
        double phiE = 0;
        for (int j = 0; j < k; j++) {
            phiE += stats.n[j] * bias[j] + (quadratic ? -halfA[j] * stats.q[j] : slope[j] * stats.d[j]);
        }
        double entropyC = k == 1 ? 0 : stats.lse - phiE;
        weights.update(stats);
        comps.update(stats);
        return weights.elbo(stats) + comps.elbo(stats) + entropyC;
    }

    /** One block of the data, chunk by chunk, into its own slot. */
    private void block(int b, int n, boolean quadratic) {
        int from = (int) ((long) n * b / BLOCKS), to = (int) ((long) n * (b + 1) / BLOCKS);
        double[] sums = blockSums[b];
        Arrays.fill(sums, 0);
        double[] e = new double[k], chunk = new double[3 * k + 1];
        for (int c = from; c < to; c += CHUNK) {
            Arrays.fill(chunk, 0);
            if (quadratic) quadraticPass(c, Math.min(to, c + CHUNK), e, chunk);
            else linearPass(c, Math.min(to, c + CHUNK), e, chunk);
            for (int t = 0; t < sums.length; t++) sums[t] += chunk[t];
        }
    }

    /** e[j] ← exp(e[j] − max) for j < k; returns their sum, which is at least 1. */
    static double exponentiate(double[] e, int k, double max) {
        double sum = 0;
        for (int j = 0; j < k; j++) {
            double t = e[j] - max;
            // exp(t) below 2^-57 could not change the sum (at least 1) by a bit: phi is 0 there
            double p = t < NEGLIGIBLE ? 0 : FastExp.exp(t);
            e[j] = p;
            sum += p;
        }
        return sum;
    }

    /** log(2^-57): exp of anything lower is less than a quarter of the last bit of 1. */
    static final double NEGLIGIBLE = -57 * Math.log(2);

    /** e_k(x) = bias_k − halfA_k (x − r_k)², softmax, and the sums N, Σφd, Σφd² into chunk. */
    private void quadraticPass(int from, int to, double[] e, double[] a) {
        final double[] x = this.x, r = this.r, bias = this.bias, halfA = this.halfA;
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
                double d = xi - r[j];
                double ej = bias[j] - d * d * halfA[j];
                e[j] = ej;
                if (ej > max) max = ej;
            }
            double sum = exponentiate(e, k, max);
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
                double d = xi - r[j];
                double pd = p * d;
                a[j] += p;
                a[k + j] += pd;
                a[2 * k + j] += pd * d;
            }
        }
        a[3 * k] += lse + Math.log(product);
    }

    /** e_k(x) = bias_k + slope_k x, softmax, and the sums N, Σφx into chunk. */
    private void linearPass(int from, int to, double[] e, double[] a) {
        final double[] x = this.x, bias = this.bias, slope = this.slope;
        final int k = this.k;
        double lse = 0;
        for (int i = from; i < to; i++) {
            double xi = x[i];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                double ej = bias[j] + slope[j] * xi;
                e[j] = ej;
                if (ej > max) max = ej;
            }
            double sum = exponentiate(e, k, max);
            lse += max + Math.log(sum);
            double inv = 1 / sum;
            for (int j = 0; j < k; j++) {
                double p = e[j] * inv;
                a[j] += p;
                a[k + j] += p * xi;
            }
        }
        a[3 * k] += lse;
    }

    /** The current q, components in model order (FitResult sorts them). */
    @Override
    public Posterior posterior() {
        Map<String, Posterior.Block> blocks = new LinkedHashMap<>();
        comps.report(blocks);
        weights.report(blocks);
        return new Posterior(java.util.List.copyOf(blocks.values()));
    }

    /** The posterior mean of the key latent per component. */
    @Override
    public double[] key() { return comps.key(); }

    /** The mean of phi over the data, per component, from the last sweep. */
    @Override
    public double[] weights() {
        double[] w = new double[k];
        for (int j = 0; j < k; j++) w[j] = stats.n[j] / x.length;
        return w;
    }

}

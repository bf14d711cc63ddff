package org.cavi.infer;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.cavi.data.Points;
import org.cavi.family.Posterior;
import org.cavi.family.SuffStats;
import org.cavi.family.Weights;
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
 *
 * <p>The pass has two forms with the same arithmetic but for the exponential's: for data of
 * {@link #POINTWISE} point·components or more, a chunk of points at a time, along the points,
 * so that the JIT vectorises it, exponentials included ({@link FastExp#terms}); below that,
 * point by point with the table-driven {@link FastExp#exp}, which is quicker before the JIT has
 * compiled anything, where a run of such small data spends most of its time.
 */
public final class Sweeper implements CaviState {
    /** Points per chunk: the pass's buffers hold a chunk, and its sums one lane per point of a chunk. */
    static final int CHUNK = 128;
    /**
     * The data are cut into this many blocks whatever the number of threads; block sums are
     * added in block order, so any number of threads gives the same bits.
     */
    static final int BLOCKS = 64;

    private final Mixture mix;
    private final Points x;
    private final int n;
    private final int k;
    private final Weights weights;
    private final ComponentModel comps;
    private final SuffStats stats;
    // scratch, O(K)
    private final double[] bias, halfA, r, slope;
    private final double[][] blockSums;
    private final Engine engine;
    /** The reduced sums of the last pass: N (k), Σφd (k), Σφd² (k), Σ LSE. */
    private final double[] total;

    private final long pointwiseBelow;
    /** The plan's updates after the pass, in the plan's order. */
    private final List<List<String>> updates;

    private Sweeper(Mixture mix, Points x, Weights weights, ComponentModel comps, Parallel parallel, long pointwiseBelow) {
        this.pointwiseBelow = pointwiseBelow;
        this.mix = mix;
        this.x = x;
        this.n = (int) x.size();
        this.k = mix.k();
        this.weights = weights;
        this.comps = comps;
        this.stats = new SuffStats(k);
        this.bias = new double[k];
        this.halfA = new double[k];
        this.r = new double[k];
        this.slope = new double[k];
        this.blockSums = new double[BLOCKS][3 * k + 1];
        this.engine = parallel;
        this.total = new double[3 * k + 1];
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(this.k));
        this.updates = ComponentModel.afterPass(mix);
    }

    /** A seeded k-means++-style start: centres drawn with probability ∝ squared distance. */
    public static Sweeper init(Mixture mix, Points x, SplittableRandom rng, Parallel parallel) {
        return init(mix, x, rng, parallel, POINTWISE);
    }

    /** As {@link #init(Mixture, Points, SplittableRandom, Parallel)}, with the size below which sweeps run point by point. */
    static Sweeper init(Mixture mix, Points x, SplittableRandom rng, Parallel parallel, long pointwiseBelow) {
        int k = mix.k();
        double[] centres = new double[k];
        double[][] seeds = KMeansPlusPlus.centres(x, 1, k, rng);
        for (int j = 0; j < k; j++) centres[j] = seeds[j][0];
        return new Sweeper(mix, x, WeightsState.of(mix.weights(), k, x.size()), components(mix, x, centres), parallel,
                pointwiseBelow);
    }

    private static ComponentModel components(Mixture mix, Points x, double[] centres) {
        if (mix.components() instanceof Mixture.Components.Normal n) {
            double[] fixed = mix.fixedValue(n.mean()).orElse(null);
            return new NormalComponents(n, mix.k(), centres, fixed, x.size(), variance(x));
        }
        Mixture.Components.Linear lin = (Mixture.Components.Linear) mix.components();
        return new LinearComponents(lin.likelihood(), lin.parameter(), lin.a0(), lin.b0(), mix.k(), centres, x.size(), x);
    }

    private static double variance(Points x) {
        long n = x.size();
        double mean = 0;
        for (long i = 0; i < n; i++) mean += x.get(i);
        mean /= n;
        double ss = 0;
        for (long i = 0; i < n; i++) ss += (x.get(i) - mean) * (x.get(i) - mean);
        return ss / n;
    }

    /** The exponents' coefficients from the current q. */
    private void prepare() {
        comps.coefficients(bias, halfA, r, slope);
        for (int j = 0; j < k; j++) bias[j] += weights.elogPi()[j];
    }

    @Override
    public void assignments(Assignee to) {
        prepare();
        double[] e = new double[k];
        boolean quadratic = comps.quadratic();
        for (int i = 0; i < n; i++) {
            double xi = x.get(i), max = Double.NEGATIVE_INFINITY;
            int arg = 0;
            for (int j = 0; j < k; j++) {
                double d = xi - r[j];
                e[j] = quadratic ? bias[j] - d * d * halfA[j] : bias[j] + slope[j] * xi;
                if (e[j] > max) { max = e[j]; arg = j; }
            }
            to.assign(arg, 1 / exponentiate(e, k, max));
        }
    }

    /**
     * One sweep: the pass (q(c) when the model has assignments, and the sums), then the plan's
     * other updates in the plan's order, then the exact ELBO at the new q.
     */
    @Override
    public double sweep(double rho) {
        double entropyC = pass();
        for (List<String> step : updates) {
            if (weights.sets(step)) {
                ComponentModel.step(rho, weights::natural, () -> weights.update(stats), weights::setNatural);
            } else {
                ComponentModel.step(rho, () -> comps.natural(step), () -> comps.update(step, stats), eta -> comps.setNatural(step, eta));
            }
        }
        double w = weights.elbo(stats), c = comps.elbo(stats);
        // H[q(c)] = Σ LSE − Σ φ·e: the two large sums it is the difference of
        magnitude[0] = Math.abs(w) + Math.abs(c) + (k == 1 ? 0 : Math.abs(stats.lse) + Math.abs(stats.lse - entropyC));
        return w + c + entropyC;
    }

    /**
     * The last sweep's ELBO magnitude (see {@link CaviState#elboMagnitude}). An array, not a double
     * field: a mutable double field in this class made the 1-D pass 15% slower (bench/sweep.sh:
     * 3.85 → 4.5 ns per point·component, measured alternately several times), by some effect on
     * the JIT's code we did not pin down.
     */
    private final double[] magnitude = new double[1];

    @Override
    public double elboMagnitude() { return magnitude[0]; }

    /**
     * The pass: the kernel mapped over the fixed blocks of the data, the block sums reduced in block
     * order (any number of threads gives the same bits). Returns the entropy of the new q(c).
     */
    private double pass() {
        prepare();
        Arrays.fill(stats.n, 0);
        Arrays.fill(stats.d, 0);
        Arrays.fill(stats.q, 0);
        System.arraycopy(comps.quadratic() ? r : new double[k], 0, stats.r, 0, k);
        stats.lse = 0;
        boolean quadratic = comps.quadratic();
        engine.pass(blockSums, 3 * k + 1, (long) n * k, (b, sums) -> block(b, sums, n, quadratic), total);
        for (int j = 0; j < k; j++) {
            stats.n[j] = total[j];
            stats.d[j] = total[k + j];
            stats.q[j] = total[2 * k + j];
        }
        stats.lse = total[3 * k];
        // Σ_i Σ_k φ e with the exponents of this pass; the entropy of q(c) is lse minus it
        double phiE = 0;
        for (int j = 0; j < k; j++) {
            phiE += stats.n[j] * bias[j] + (quadratic ? -halfA[j] * stats.q[j] : slope[j] * stats.d[j]);
        }
        return k == 1 ? 0 : stats.lse - phiE;
    }

    /**
     * A thread's buffers, made once per thread. The pass works on a chunk at a time with one
     * array per component, indexed from 0, so that its loops run along the points and the JIT
     * vectorises them (all but the exponentials). Its sums go into per-point lanes, added lane by
     * lane along the chunks of a block and only then across lanes: no loop carries a sum from one
     * point to the next.
     */
    private record Scratch(double[] xs, double[][] e, double[] max, double[] sum, double[] powers, double[] keep,
                           double[][] laneN, double[][] laneD, double[][] laneQ, double[] laneMax, double[] laneLog, double[] laneProduct) {
        Scratch(int k) {
            this(new double[CHUNK], new double[k][CHUNK], new double[CHUNK], new double[CHUNK], new double[CHUNK], new double[CHUNK],
                    new double[k][CHUNK], new double[k][CHUNK], new double[k][CHUNK], new double[CHUNK], new double[CHUNK], new double[CHUNK]);
        }

        /** Clears the first `lanes` lanes, all a block of that many points or more uses. */
        void clear(int lanes) {
            for (int j = 0; j < laneN.length; j++) {
                Arrays.fill(laneN[j], 0, lanes, 0);
                Arrays.fill(laneD[j], 0, lanes, 0);
                Arrays.fill(laneQ[j], 0, lanes, 0);
            }
            Arrays.fill(laneMax, 0, lanes, 0);
            Arrays.fill(laneLog, 0, lanes, 0);
            Arrays.fill(laneProduct, 0, lanes, 1);
        }
    }

    private final ThreadLocal<Scratch> scratch;

    /** Below this many point·components a sweep runs point by point (see the class comment). */
    static final long POINTWISE = 1 << 18;

    /** One block of the data, chunk by chunk, into its own slot: N (k), Σφd (k), Σφd² (k), Σ LSE. */
    private void block(int b, double[] sums, int n, boolean quadratic) {
        int from = (int) ((long) n * b / BLOCKS), to = (int) ((long) n * (b + 1) / BLOCKS);
        if ((long) n * k < pointwiseBelow) {
            pointwiseBlock(sums, from, to, quadratic);
            return;
        }
        Scratch w = scratch.get();
        int lanes = Math.min(CHUNK, to - from);
        w.clear(lanes);
        // each lane multiplies in one sum in [1, K] per chunk: a logarithm once every `logEvery`
        // chunks instead of once per point, and no overflow (K^logEvery < e^700)
        int logEvery = (int) Math.max(1, Math.min(64, 700 / Math.log(Math.max(2, k))));
        int pending = 0;
        for (int c = from; c < to; c += CHUNK) {
            pass(c, Math.min(CHUNK, to - c), quadratic, w);
            if (++pending == logEvery) {
                takeLogs(w, lanes);
                pending = 0;
            }
        }
        takeLogs(w, lanes);
        Arrays.fill(sums, 0);
        for (int j = 0; j < k; j++) {
            sums[j] = sumOf(w.laneN[j], lanes);
            sums[k + j] = sumOf(w.laneD[j], lanes);
            sums[2 * k + j] = sumOf(w.laneQ[j], lanes);
        }
        sums[3 * k] = sumOf(w.laneMax, lanes) + sumOf(w.laneLog, lanes);
    }

    private void pointwiseBlock(double[] sums, int from, int to, boolean quadratic) {
        Arrays.fill(sums, 0);
        double[] e = new double[k], xs = new double[Math.min(to - from, POINTWISE_CHUNK)];
        for (int c = from; c < to; c += xs.length) {
            int len = Math.min(xs.length, to - c);
            x.read(c, xs, 0, len);
            if (quadratic) quadraticPass(xs, len, e, sums);
            else linearPass(xs, len, e, sums);
        }
    }

    /** Points the pointwise pass reads from the data at a time. */
    private static final int POINTWISE_CHUNK = 4096;

    /** Point by point: e_k(x) = bias_k − halfA_k (x − r_k)², softmax, and the sums N, Σφd, Σφd² into a. */
    private void quadraticPass(double[] x, int len, double[] e, double[] a) {
        final double[] r = this.r, bias = this.bias, halfA = this.halfA;
        final int k = this.k;
        // Σ_i log(sum_i) is taken as the log of products of up to `block` sums, each sum in [1, K]:
        // one logarithm per block instead of one per point, and no overflow (K^block < e^700).
        final int block = (int) Math.max(1, Math.min(64, 700 / Math.log(Math.max(2, k))));
        double lse = 0;
        double product = 1;
        int pending = 0;
        for (int i = 0; i < len; i++) {
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

    /** Point by point: e_k(x) = bias_k + slope_k x, softmax, and the sums N, Σφx into a. */
    private void linearPass(double[] x, int len, double[] e, double[] a) {
        final double[] bias = this.bias, slope = this.slope;
        final int k = this.k;
        double lse = 0;
        for (int i = 0; i < len; i++) {
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

    private static void takeLogs(Scratch w, int lanes) {
        for (int i = 0; i < lanes; i++) {
            w.laneLog[i] += Math.log(w.laneProduct[i]);
            w.laneProduct[i] = 1;
        }
    }

    private static double sumOf(double[] lanes, int count) {
        double s = 0;
        for (int i = 0; i < count; i++) s += lanes[i];
        return s;
    }

    /** e[j] ← exp(e[j] − max) for j < k; returns their sum, which is at least 1. */
    static double exponentiate(double[] e, int k, double max) {
        double sum = 0;
        for (int j = 0; j < k; j++) {
            double t = e[j] - max;
            double p = FastExp.exp(t);
            e[j] = p;
            sum += p;
        }
        return sum;
    }


    /**
     * Points [from, from + len): the exponents e_k (bias_k − halfA_k (x − r_k)², or bias_k + slope_k x),
     * their softmax φ, and φ, φd, φd² (d = x − r_k; x for the linear form) into the lanes.
     */
    private void pass(int from, int len, boolean quadratic, Scratch w) {
        final int k = this.k;
        final double[] xs = w.xs, max = w.max, sum = w.sum;
        final double[][] e = w.e;
        x.read(from, xs, 0, len);
        for (int j = 0; j < k; j++) {
            double[] ej = e[j];
            double bj = bias[j];
            if (quadratic) {
                double rj = r[j], hj = halfA[j];
                for (int i = 0; i < len; i++) {
                    double d = xs[i] - rj;
                    ej[i] = bj - d * d * hj;
                }
            } else {
                double sj = slope[j];
                for (int i = 0; i < len; i++) ej[i] = bj + sj * xs[i];
            }
        }
        FastExp.softmaxTerms(e, k, len, max, sum, w.powers, w.keep);
        double[] laneMax = w.laneMax, laneProduct = w.laneProduct;
        for (int i = 0; i < len; i++) {
            laneMax[i] += max[i];
            laneProduct[i] *= sum[i];
            sum[i] = 1 / sum[i];
        }
        for (int j = 0; j < k; j++) {
            double[] ej = e[j], n = w.laneN[j], dd = w.laneD[j];
            if (quadratic) {
                double[] q = w.laneQ[j];
                double rj = r[j];
                for (int i = 0; i < len; i++) {
                    double p = ej[i] * sum[i];
                    double d = xs[i] - rj;
                    double pd = p * d;
                    n[i] += p;
                    dd[i] += pd;
                    q[i] += pd * d;
                }
            } else {
                for (int i = 0; i < len; i++) {
                    double p = ej[i] * sum[i];
                    n[i] += p;
                    dd[i] += p * xs[i];
                }
            }
        }
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
        for (int j = 0; j < k; j++) w[j] = stats.n[j] / n;
        return w;
    }

}

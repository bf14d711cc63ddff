package org.cavi.infer;

import java.util.Arrays;
import org.cavi.data.Points;

/**
 * The one-dimensional sweep's pass kernel ({@link Sweeper}), with its inputs explicit: the
 * exponents' coefficients from the current q (e_k(x) = bias_k − halfA_k (x − r_k)², or
 * bias_k + slope_k x), which {@link Sweeper} sets before each pass, and the rows it is handed.
 * Serialisable: a distributed engine ships it, O(K) numbers, to where the blocks are. For each
 * block: N (k), Σφd (k), Σφd² (k) and Σ LSE, d = x − r_k (x for the linear form).
 *
 * <p>Two forms with the same arithmetic but for the exponential's (see {@link Sweeper}): along
 * the points a chunk at a time, or point by point below {@link #POINTWISE} point·components of
 * the whole data, a choice made once for the data, so that every block takes the same one.
 */
final class ScalarPass implements Engine.BlockPass {
    private static final long serialVersionUID = 1L;

    /** Points per chunk: the pass's buffers hold a chunk, and its sums one lane per point of a chunk. */
    static final int CHUNK = 128;

    /** Below this many point·components a sweep runs point by point (see the class comment). */
    static final long POINTWISE = 1 << 18;

    private final int k;
    private final boolean quadratic, pointwise;
    /** The snapshot of q, set by the sweeper before each pass. */
    final double[] bias, halfA, r, slope;

    ScalarPass(int k, boolean quadratic, boolean pointwise) {
        this.k = k;
        this.quadratic = quadratic;
        this.pointwise = pointwise;
        this.bias = new double[k];
        this.halfA = new double[k];
        this.r = new double[k];
        this.slope = new double[k];
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

    /** A thread's buffers, for this K: made once per thread (and again only when K changes). */
    private static final ThreadLocal<Scratch> SCRATCH = new ThreadLocal<>();

    /** One block of the data, chunk by chunk, into its own slot: N (k), Σφd (k), Σφd² (k), Σ LSE. */
    @Override
    public void accumulate(Points x, int from, int to, double[] sums) {
        if (pointwise) {
            pointwiseBlock(x, sums, from, to, quadratic);
            return;
        }
        Scratch w = SCRATCH.get();
        if (w == null || w.e().length != k) {
            w = new Scratch(k);
            SCRATCH.set(w);
        }
        int lanes = Math.min(CHUNK, to - from);
        w.clear(lanes);
        // each lane multiplies in one sum in [1, K] per chunk: a logarithm once every `logEvery`
        // chunks instead of once per point, and no overflow (K^logEvery < e^700)
        int logEvery = (int) Math.max(1, Math.min(64, 700 / Math.log(Math.max(2, k))));
        int pending = 0;
        for (int c = from; c < to; c += CHUNK) {
            int len = Math.min(CHUNK, to - c);
            if (quadratic) quadraticChunk(x, c, len, w);
            else linearChunk(x, c, len, w);
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

    private void pointwiseBlock(Points x, double[] sums, int from, int to, boolean quadratic) {
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
            double sum = Sweeper.exponentiate(e, k, max);
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
            double sum = Sweeper.exponentiate(e, k, max);
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

    /**
     * Points [from, from + len): the exponents e_k = bias_k − halfA_k (x − r_k)², their softmax φ
     * (left in e), and φ, φd, φd² (d = x − r_k) into the lanes.
     */
    private void quadraticChunk(Points x, int from, int len, Scratch w) {
        final int k = this.k;
        final double[] bias = this.bias, r = this.r, halfA = this.halfA;
        final double[] xs = w.xs, max = w.max, sum = w.sum;
        final double[][] e = w.e;
        x.read(from, xs, 0, len);
        for (int j = 0; j < k; j++) {
            double[] ej = e[j];
            double bj = bias[j], rj = r[j], hj = halfA[j];
            for (int i = 0; i < len; i++) {
                double d = xs[i] - rj;
                ej[i] = bj - d * d * hj;
            }
        }
        softmax(w, len);
        // Two loops (φ into e and N; then φd and φd²), not one: JDK 17's C2 compiles the single
        // loop (six loads, three stores a point) here as scalar code, unrolled but not vectorised,
        // on incidental details of the graph (it did vectorise it in Sweeper before the kernel was
        // split out), and vectorises these two in every form tried (K = 2 to 30, -Xbatch or not,
        // with or without compressed oops). The same operations on the same values: the same bits.
        for (int j = 0; j < k; j++) {
            double[] ej = e[j], n = w.laneN[j], dd = w.laneD[j], q = w.laneQ[j];
            double rj = r[j];
            for (int i = 0; i < len; i++) {
                double p = ej[i] * sum[i];
                ej[i] = p;
                n[i] += p;
            }
            for (int i = 0; i < len; i++) {
                double d = xs[i] - rj;
                double pd = ej[i] * d;
                dd[i] += pd;
                q[i] += pd * d;
            }
        }
    }

    /** Points [from, from + len): the exponents e_k = bias_k + slope_k x, their softmax φ, and φ, φx into the lanes. */
    private void linearChunk(Points x, int from, int len, Scratch w) {
        final int k = this.k;
        final double[] bias = this.bias, slope = this.slope;
        final double[] xs = w.xs, sum = w.sum;
        final double[][] e = w.e;
        x.read(from, xs, 0, len);
        for (int j = 0; j < k; j++) {
            double[] ej = e[j];
            double bj = bias[j], sj = slope[j];
            for (int i = 0; i < len; i++) ej[i] = bj + sj * xs[i];
        }
        softmax(w, len);
        for (int j = 0; j < k; j++) {
            double[] ej = e[j], n = w.laneN[j], dd = w.laneD[j];
            for (int i = 0; i < len; i++) {
                double p = ej[i] * sum[i];
                n[i] += p;
                dd[i] += p * xs[i];
            }
        }
    }

    /** e ← the unnormalised softmax terms; each lane takes its point's max and sum; sum ← 1/sum. */
    private void softmax(Scratch w, int len) {
        final double[] max = w.max, sum = w.sum;
        FastExp.softmaxTerms(w.e, k, len, max, sum, w.powers, w.keep);
        double[] laneMax = w.laneMax, laneProduct = w.laneProduct;
        for (int i = 0; i < len; i++) {
            laneMax[i] += max[i];
            laneProduct[i] *= sum[i];
            sum[i] = 1 / sum[i];
        }
    }
}

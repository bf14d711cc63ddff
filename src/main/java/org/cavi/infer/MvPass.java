package org.cavi.infer;

import java.util.Arrays;
import org.cavi.data.Points;

/**
 * The multivariate sweep's pass kernels ({@link MvSweeper}), with their inputs explicit: a
 * snapshot of the current q, which {@link MvSweeper} sets before each pass, and the rows they are
 * handed. The shared-moments form reads the data's mean c and each exponent's coefficients on
 * (1, y, y_a·y_b), y = x − c (K·(1 + D + D(D+1)/2) numbers); the exact-centring form reads the
 * biases, the references r = the current means and the Cholesky factors Uᵀ of E[Lambda_k]
 * (K·(1 + D + D²) numbers). Serialisable: a distributed engine ships them to where the blocks are.
 */
final class MvPass implements Engine.BlockPass {
    private static final long serialVersionUID = 1L;

    static final int CHUNK = 2048;
    /** Points per chunk of the shared-moments pass: its buffers (about 2·(D²/2)·chunk values) stay in L2. */
    static final int SHARED_CHUNK = 128;

    private final boolean shared;
    private final int d, k, p;
    /** The snapshot of q, shared with the sweeper, which sets it before each pass. */
    private final double[] centre, coef, upper, bias, r;

    private MvPass(boolean shared, int d, int k, double[] centre, double[] coef, double[] upper, double[] bias, double[] r) {
        this.shared = shared;
        this.d = d;
        this.k = k;
        this.p = 1 + d + d * (d + 1) / 2;
        this.centre = centre;
        this.coef = coef;
        this.upper = upper;
        this.bias = bias;
        this.r = r;
    }

    /** The shared-moments kernel: per component (N, Σφy, Σφ y_a·y_b), then Σ LSE. */
    static MvPass shared(int d, int k, double[] centre, double[] coef) {
        return new MvPass(true, d, k, centre, coef, null, null, null);
    }

    /** The exact-centring kernel: N (k), Σφ(x − r) (k·d), Σφ(x − r)(x − r)ᵀ (k·d·d), Σ LSE. */
    static MvPass exact(int d, int k, double[] upper, double[] bias, double[] r) {
        return new MvPass(false, d, k, null, null, upper, bias, r);
    }

    @Override
    public void accumulate(Points x, int from, int to, double[] sums) {
        if (shared) sharedBlock(x, from, to, sums);
        else block(x, from, to, sums);
    }

    /** One block of the data by the exact-centring pass, chunk by chunk, into its own slot: N (k), Σφd (k·d), Σφddᵀ (k·d·d), Σ LSE. */
    private void block(Points x, int from, int to, double[] sums) {
        Arrays.fill(sums, 0);
        int kd = k * d, kdd = k * d * d;
        double[] cN = new double[k], cD = new double[kd], cQ = new double[kdd], e = new double[k], diff = new double[kd];
        double[] rows = new double[Math.min(CHUNK, to - from) * d];
        for (int c = from; c < to; c += CHUNK) {
            Arrays.fill(cN, 0);
            Arrays.fill(cD, 0);
            Arrays.fill(cQ, 0);
            int len = Math.min(CHUNK, to - c);
            x.read((long) c * d, rows, 0, len * d);
            double l = pass(rows, len, cN, cD, cQ, e, diff);
            for (int j = 0; j < k; j++) sums[j] += cN[j];
            for (int t = 0; t < kd; t++) sums[k + t] += cD[t];
            for (int t = 0; t < kdd; t++) sums[k + kd + t] += cQ[t];
            sums[k + kd + kdd] += l;
        }
    }

    /** One block of the data by the shared-moments pass, chunk by chunk, into its own slot: per component (N, Σφy, Σφ y_a·y_b), then Σ LSE. */
    private void sharedBlock(Points x, int from, int to, double[] sums) {
        Arrays.fill(sums, 0);
        Scratch scratch = SCRATCH.get();
        if (scratch == null || scratch.e().length != k || scratch.values().length != p || scratch.data().length != SHARED_CHUNK * d) {
            scratch = new Scratch(d, p, k);
            SCRATCH.set(scratch);
        }
        double[][] values = scratch.values, e = scratch.e, acc = scratch.acc, rows = scratch.rows;
        double lseSum = 0;
        for (int c = from; c < to; c += SHARED_CHUNK) {
            for (double[] a : acc) Arrays.fill(a, 0);
            int len = Math.min(SHARED_CHUNK, to - c);
            x.read((long) c * d, scratch.data, 0, len * d);
            valuesOf(scratch.data, len, values);
            exponents(len, values, e);
            lseSum += softmax(len, e, scratch);
            accumulate(len, values, e, rows, acc);
            for (int j = 0; j < k; j++) for (int t = 0; t < p; t++) sums[j * p + t] += acc[j][t];
        }
        sums[k * p] = lseSum;
    }

    /**
     * A thread's buffers for the shared pass, made once per thread rather than per block. One
     * array per row, indexed from 0: the JIT vectorises a loop only over such simple indices.
     */
    private record Scratch(double[] data, double[][] values, double[][] e, double[][] acc, double[][] rows,
                           double[] max, double[] sum, double[] powers, double[] keep) {
        Scratch(int d, int p, int k) {
            this(new double[SHARED_CHUNK * d], new double[p][SHARED_CHUNK], new double[k][SHARED_CHUNK], new double[k][p], new double[POINTS][p],
                    new double[SHARED_CHUNK], new double[SHARED_CHUNK], new double[SHARED_CHUNK], new double[SHARED_CHUNK]);
            Arrays.fill(values[0], 1);
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = new ThreadLocal<>();

    /** Row t of {@code values} ← value t (1, y_a, then y_a·y_b for a ≤ b) of the len points (row by row) in data, y = x − c. */
    private void valuesOf(double[] data, int len, double[][] values) {
        for (int a = 0; a < d; a++) {
            double[] ya = values[1 + a];
            double ca = centre[a];
            for (int i = 0; i < len; i++) ya[i] = data[i * d + a] - ca;
        }
        int t = 1 + d;
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++, t++) {
                double[] ya = values[1 + a], yb = values[1 + b], yt = values[t];
                for (int i = 0; i < len; i++) yt[i] = ya[i] * yb[i];
            }
        }
    }

    /** e_k ← Σ_t coef_kt · values_t along the points, two components and two values at a time. */
    private void exponents(int len, double[][] values, double[][] e) {
        int j = 0;
        for (; j + 1 < k; j += 2) {
            double[] e0 = e[j], e1 = e[j + 1];
            int c0 = j * p, c1 = c0 + p;
            Arrays.fill(e0, 0, len, coef[c0]);
            Arrays.fill(e1, 0, len, coef[c1]);
            int s = 1;
            for (; s + 1 < p; s += 2) {
                double a0 = coef[c0 + s], a1 = coef[c0 + s + 1], b0 = coef[c1 + s], b1 = coef[c1 + s + 1];
                double[] v0 = values[s], v1 = values[s + 1];
                for (int i = 0; i < len; i++) {
                    double x0 = v0[i], x1 = v1[i];
                    e0[i] = Math.fma(a1, x1, Math.fma(a0, x0, e0[i]));
                    e1[i] = Math.fma(b1, x1, Math.fma(b0, x0, e1[i]));
                }
            }
            for (; s < p; s++) {
                double a0 = coef[c0 + s], b0 = coef[c1 + s];
                double[] v0 = values[s];
                for (int i = 0; i < len; i++) {
                    e0[i] = Math.fma(a0, v0[i], e0[i]);
                    e1[i] = Math.fma(b0, v0[i], e1[i]);
                }
            }
        }
        if (j < k) {
            double[] e0 = e[j];
            int c0 = j * p;
            Arrays.fill(e0, 0, len, coef[c0]);
            for (int s = 1; s < p; s++) {
                double a0 = coef[c0 + s];
                double[] v0 = values[s];
                for (int i = 0; i < len; i++) e0[i] = Math.fma(a0, v0[i], e0[i]);
            }
        }
    }

    /** e_k[i] ← φ_ik, the softmax over k of each point's exponents, along the points; returns Σ_i LSE_i. */
    private double softmax(int len, double[][] e, Scratch w) {
        double[] max = w.max, sum = w.sum;
        FastExp.softmaxTerms(e, k, len, max, sum, w.powers, w.keep);
        double lsePart = 0;
        for (int i = 0; i < len; i++) {
            lsePart += max[i] + Math.log(sum[i]);
            sum[i] = 1 / sum[i];
        }
        for (int j = 0; j < k; j++) {
            double[] ej = e[j];
            for (int i = 0; i < len; i++) ej[i] *= sum[i];
        }
        return lsePart;
    }

    /** Points handled together by {@link #accumulate}: each load and store of acc serves this many. */
    private static final int POINTS = 4;

    /** acc_k += Σ_i φ_ik · (point i's values), along the values, POINTS points at a time. */
    private void accumulate(int len, double[][] values, double[][] phi, double[][] rows, double[][] acc) {
        double[] r0 = rows[0], r1 = rows[1], r2 = rows[2], r3 = rows[3];
        int i = 0;
        for (; i + POINTS <= len; i += POINTS) {
            for (int t = 0; t < p; t++) {
                double[] vt = values[t];
                r0[t] = vt[i];
                r1[t] = vt[i + 1];
                r2[t] = vt[i + 2];
                r3[t] = vt[i + 3];
            }
            for (int j = 0; j < k; j++) {
                double[] pj = phi[j];
                double f0 = pj[i], f1 = pj[i + 1], f2 = pj[i + 2], f3 = pj[i + 3];
                if (f0 == 0 && f1 == 0 && f2 == 0 && f3 == 0) continue;
                double[] aj = acc[j];
                for (int v = 0; v < p; v++) {
                    aj[v] = Math.fma(f3, r3[v], Math.fma(f2, r2[v], Math.fma(f1, r1[v], Math.fma(f0, r0[v], aj[v]))));
                }
            }
        }
        for (; i < len; i++) {
            for (int t = 0; t < p; t++) r0[t] = values[t][i];
            for (int j = 0; j < k; j++) {
                double f0 = phi[j][i];
                if (f0 == 0) continue;
                double[] aj = acc[j];
                for (int v = 0; v < p; v++) aj[v] = Math.fma(f0, r0[v], aj[v]);
            }
        }
    }

    /** The fused pass over the len points (row by row) in x: returns Σ LSE, accumulates the sums into cN, cD, cQ. */
    private double pass(double[] x, int len, double[] cN, double[] cD, double[] cQ, double[] e, double[] diff) {
        final double[] upper = this.upper, bias = this.bias, r = this.r;
        final int d = this.d, k = this.k, dd = d * d;
        double lsePart = 0;
        for (int i = 0; i < len; i++) {
            int xi = i * d;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                int rj = j * d;
                for (int a = 0; a < d; a++) diff[rj + a] = x[xi + a] - r[rj + a];
                int uj = j * dd;
                double q = 0;
                for (int a = 0; a < d; a++) {
                    double y = 0;
                    int row = uj + a * d;
                    for (int b = a; b < d; b++) y += upper[row + b] * diff[rj + b];
                    q += y * y;
                }
                double ej = bias[j] - 0.5 * q;
                e[j] = ej;
                if (ej > max) max = ej;
            }
            double sum = Sweeper.exponentiate(e, k, max);
            lsePart += max + Math.log(sum);
            double inv = 1 / sum;
            for (int j = 0; j < k; j++) {
                double p = e[j] * inv;
                cN[j] += p;
                int rj = j * d, qj = j * dd;
                for (int a = 0; a < d; a++) {
                    double pa = p * diff[rj + a];
                    cD[rj + a] += pa;
                    int row = qj + a * d;
                    for (int b = a; b < d; b++) cQ[row + b] += pa * diff[rj + b];
                }
            }
        }
        return lsePart;
    }

}

package org.cavi.infer;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.cavi.data.Points;
import org.cavi.family.Dense;
import org.cavi.family.MvSuffStats;
import org.cavi.family.NormalPrior;
import org.cavi.family.NormalWishartComponents;
import org.cavi.family.Posterior;
import org.cavi.family.SuffStats;
import org.cavi.family.Weights;
import org.cavi.plan.Mixture;

/**
 * The sweep of a multivariate Normal mixture (Bishop 2006, §10.2): x ~ MvNormal(mu_k, inv(Lambda_k))
 * with q(mu_k) MvNormal or the joint Normal-Wishart q(mu_k, Lambda_k), Lambda_k known or Wishart.
 *
 * <p>One fused pass costs O(n·K·D²) and accumulates, per component, N, Σφ(x − r) and
 * Σφ(x − r)(x − r)ᵀ about a reference r; no n×K (or n×K×D) array is ever made. It takes one of
 * two forms, chosen afresh each sweep:
 * <ul>
 * <li>shared moments (the usual one): with y = x − c, c the data's mean, every exponent is a
 * linear function of the same values (1, y, y_a·y_b), so a chunk of points costs two small
 * matrix products whose inner loops run along the points or the values (the JIT vectorises
 * them), and r = c for every component;
 * <li>exact centring: each exponent is ‖Uᵀ(x − m_k)‖² with U the Cholesky factor of E[Lambda_k],
 * and r = the current means. It is used when some mean lies so far from c, in units of its
 * precision or of the scatter the shared pass found, that the shared form would cancel away
 * more than six digits ({@code SHARED_LIMIT}); once the scatter test fails, for good.
 * </ul>
 */
public final class MvSweeper implements CaviState {
    static final int CHUNK = 2048;
    /** Points per chunk of the shared-moments pass: its buffers (about 2·(D²/2)·chunk values) stay in L2. */
    static final int SHARED_CHUNK = 128;
    /**
     * The shared pass is used while every (m_k − c)ᵀ E[Lambda_k] (m_k − c) is at most this: the
     * terms it subtracts are then at most 10⁶ times the ones it keeps, so it loses at most six of
     * the sixteen digits.
     */
    static final double SHARED_LIMIT = 1e6;
    static final int BLOCKS = Sweeper.BLOCKS;

    private final Mixture mix;
    private final Mixture.Components.MvNormal spec;
    private final Points x;
    private final int n, d, k;
    private final Weights weights;
    /** q of the components: the Normal family's unit. */
    final NormalWishartComponents q;
    // per sweep
    private final double[] bias;
    private final double[] upper;  // K blocks of D×D: Uᵀ with U lower Cholesky of E[Lambda_k]
    /** The pass's sums, and the reference points r they are taken about. */
    private final MvSuffStats st;
    private final double[] stN, stD, stQ, r;
    /** Shared pass: values per point (1, y, y_a·y_b for a ≤ b), the data's mean c, and each exponent's coefficients on those values. */
    private final int p;
    private final double[] centre, coef;
    private boolean shared;
    /** Set once the shared pass has been found too inaccurate for these data: from then on, exact centring. */
    private boolean sharedFailed;
    /** Per block: N (k), Σφd (k·d), Σφddᵀ (k·d·d), lse (1). */
    private final double[][] blockSums;
    private final Engine engine;
    /** The reduced sums of the last pass, in the layout of the pass that ran. */
    private final double[] total;
    /** The plan's updates after the pass, in the plan's order. */
    private final List<List<String>> updates;
    private double lse;

    private final double sharedLimit;

    private MvSweeper(Mixture mix, Points x, double[][] centres, Parallel parallel, double sharedLimit) {
        this.sharedLimit = sharedLimit;
        this.mix = mix;
        this.spec = (Mixture.Components.MvNormal) mix.components();
        this.x = x;
        this.d = spec.d();
        this.n = (int) (x.size() / d);
        this.k = mix.k();
        this.weights = WeightsState.of(mix.weights(), k, n);
        double[] fixed = mix.fixedValue(spec.mean()).orElse(null);
        double[][] start = new double[k][];
        for (int j = 0; j < k; j++) start[j] = fixed != null ? Arrays.copyOfRange(fixed, j * d, (j + 1) * d) : centres[j];
        q = new NormalWishartComponents(spec.mean(), spec.m0(), spec.meanPrior(), spec.precision(), spec.joint(), k, start,
                fixed != null, n, startPrecision(spec.precision()));
        bias = new double[k];
        upper = new double[k * d * d];
        st = new MvSuffStats(k, d);
        stN = st.n;
        stD = st.d;
        stQ = st.q;
        r = st.r;
        p = 1 + d + d * (d + 1) / 2;
        centre = new double[d];
        for (int i = 0; i < n; i++) for (int a = 0; a < d; a++) centre[a] += x.get((long) i * d + a);
        for (int a = 0; a < d; a++) centre[a] /= n;
        coef = new double[k * p];
        int values = p;
        scratch = ThreadLocal.withInitial(() -> new Scratch(d, values, k));
        blockSums = new double[BLOCKS][Math.max(k + k * d + k * d * d, k * p) + 1];
        this.engine = parallel;
        this.total = new double[blockSums[0].length];
        this.updates = ComponentModel.afterPass(mix);
    }

    /** E[Lambda] to start from: known, or the data's precision made K^(2/D) times tighter. */
    private double[][] startPrecision(NormalPrior.MvPrecision precision) {
        if (precision instanceof NormalPrior.MvPrecision.Known kn) return kn.lambda();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) for (int a = 0; a < d; a++) mean[a] += x.get((long) i * d + a) / n;
        double[][] cov = new double[d][d];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) {
                cov[a][b] += (x.get((long) i * d + a) - mean[a]) * (x.get((long) i * d + b) - mean[b]) / n;
            }
        }
        double trace = 0;
        for (int a = 0; a < d; a++) trace += cov[a][a];
        double ridge = trace > 0 ? 1e-6 * trace / d : 1;
        for (int a = 0; a < d; a++) cov[a][a] += ridge;
        return Dense.scaled(Dense.inverse(cov), Math.pow(k, 2.0 / d));
    }

    public static MvSweeper init(Mixture mix, Points x, SplittableRandom rng, Parallel parallel) {
        return init(mix, x, rng, parallel, SHARED_LIMIT);
    }

    /** As {@link #init(Mixture, Points, SplittableRandom, Parallel)}, with the shared pass's limit: −1 never uses it, +∞ always. */
    static MvSweeper init(Mixture mix, Points data, SplittableRandom rng, Parallel parallel, double sharedLimit) {
        double[][] centres = KMeansPlusPlus.centres(data, mix.dimension(), mix.k(), rng);
        return new MvSweeper(mix, data, centres, parallel, sharedLimit);
    }

    /**
     * The exponents' coefficients from the current q, in both forms: e_k(x) = bias_k − ½‖Uᵀ(x − m_k)‖²
     * = coef_k · (1, y, y_a·y_b). Sets r = m.
     */
    private void prepare() {
        shared = true;
        double[] mu = new double[d];
        for (int j = 0; j < k; j++) {
            double[][] eLam = q.eLambda(j);
            double[][] l = Dense.cholesky(eLam);
            for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) upper[j * d * d + a * d + b] = b >= a ? l[b][a] : 0;
            bias[j] = weights.elogPi()[j] + 0.5 * q.eLogDet(j) - 0.5 * q.spread(j, eLam);
            System.arraycopy(q.m[j], 0, r, j * d, d);
            // −½(y − mu)ᵀA(y − mu) = −½ muᵀA mu + (A mu)ᵀy − ½ Σ_a A_aa y_a² − Σ_{a<b} A_ab y_a y_b
            for (int a = 0; a < d; a++) mu[a] = q.m[j][a] - centre[a];
            double[] aMu = Dense.times(eLam, mu);
            double muAMu = 0;
            for (int a = 0; a < d; a++) muAMu += mu[a] * aMu[a];
            shared &= muAMu <= sharedLimit;
            int t = j * p;
            coef[t++] = bias[j] - 0.5 * muAMu;
            for (int a = 0; a < d; a++) coef[t++] = aMu[a];
            for (int a = 0; a < d; a++) for (int b = a; b < d; b++) coef[t++] = a == b ? -0.5 * eLam[a][a] : -eLam[a][b];
        }
    }

    @Override
    public void assignments(Assignee to) {
        prepare();
        double[] e = new double[k], diff = new double[d];
        int dd = d * d;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            int arg = 0;
            for (int j = 0; j < k; j++) {
                for (int a = 0; a < d; a++) diff[a] = x.get((long) i * d + a) - r[j * d + a];
                double q = 0;
                for (int a = 0; a < d; a++) {
                    double y = 0;
                    for (int b = a; b < d; b++) y += upper[j * dd + a * d + b] * diff[b];
                    q += y * y;
                }
                e[j] = bias[j] - 0.5 * q;
                if (e[j] > max) { max = e[j]; arg = j; }
            }
            to.assign(arg, 1 / Sweeper.exponentiate(e, k, max));
        }
    }

    @Override
    public double sweep(double rho) {
        prepare();
        if (!(shared && !sharedFailed && sumShared())) {
            if (shared) sharedFailed = true;
            shared = false;
            sumExact();
        }
        double phiE = 0;
        for (int j = 0; j < k; j++) {
            // Σ_i φ (x − m)ᵀ A (x − m) = tr(A Q), Q about m
            phiE += stN[j] * bias[j] - 0.5 * Dense.traceProduct(q.eLambda(j), st.squaresAbout(j, q.m[j]));
        }
        double entropyC = k == 1 ? 0 : lse - phiE;
        SuffStats counts = new SuffStats(k);
        System.arraycopy(stN, 0, counts.n, 0, k);
        // the plan's other updates, in the plan's order
        for (List<String> step : updates) {
            if (weights.sets(step)) {
                ComponentModel.step(rho, weights::natural, () -> weights.update(counts), weights::setNatural);
            } else {
                ComponentModel.step(rho, () -> q.natural(step), () -> q.update(step, st), eta -> q.setNatural(step, eta));
            }
        }
        double w = weights.elbo(counts), c = q.elbo(st);
        magnitude[0] = Math.abs(w) + Math.abs(c) + (k == 1 ? 0 : Math.abs(lse) + Math.abs(phiE));
        return w + c + entropyC;
    }

    /** See {@link CaviState#elboMagnitude}: for the stop rule's rounding bound. */
    private final double[] magnitude = new double[1]; // an array, as in Sweeper: a double field slowed the pass

    @Override
    public double elboMagnitude() { return magnitude[0]; }

    private void clearSums() {
        Arrays.fill(stN, 0);
        Arrays.fill(stD, 0);
        Arrays.fill(stQ, 0);
        lse = 0;
    }

    /**
     * The sums by the shared-moments pass, about r = c. Returns false, and the sums are not to be
     * used, when some component's scatter is so much smaller than its distance from c that
     * recentring it would cancel more than SHARED_LIMIT's digits: a test on what the pass found,
     * because early on E[Lambda] can be far broader than the clusters it will settle on.
     */
    private boolean sumShared() {
        clearSums();
        for (int j = 0; j < k; j++) System.arraycopy(centre, 0, r, j * d, d);
        engine.pass(blockSums, k * p + 1, (long) n * k * d, this::sharedBlock, total);
        for (int j = 0; j < k; j++) {
            int t = j * p;
            stN[j] = total[t++];
            for (int a = 0; a < d; a++) stD[j * d + a] = total[t++];
            for (int a = 0; a < d; a++) for (int b = a; b < d; b++) stQ[j * d * d + a * d + b] = total[t++];
        }
        lse = total[k * p];
        for (int j = 0; j < k && sharedLimit < Double.POSITIVE_INFINITY; j++) {
            if (!(stN[j] > 0)) continue;
            for (int a = 0; a < d; a++) {
                // Σφy² about c against Σφ(y − ȳ)², the scatter about the component's own mean
                double about = stQ[j * d * d + a * d + a], dj = stD[j * d + a];
                if (!(about <= sharedLimit * (about - dj * dj / stN[j]))) {
                    for (int i = 0; i < k; i++) System.arraycopy(q.m[i], 0, r, i * d, d);
                    return false;
                }
            }
        }
        return true;
    }

    /** The sums by the exact-centring pass, about r = m. */
    private void sumExact() {
        clearSums();
        int kd = k * d, kdd = k * d * d;
        engine.pass(blockSums, k + kd + kdd + 1, (long) n * k * d, this::block, total);
        System.arraycopy(total, 0, stN, 0, k);
        System.arraycopy(total, k, stD, 0, kd);
        System.arraycopy(total, k + kd, stQ, 0, kdd);
        lse = total[k + kd + kdd];
    }

    /** One block of the data, chunk by chunk, into its own slot. */
    private void block(int b, double[] sums) {
        int from = (int) ((long) n * b / BLOCKS), to = (int) ((long) n * (b + 1) / BLOCKS);
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
    private void sharedBlock(int b, double[] sums) {
        int from = (int) ((long) n * b / BLOCKS), to = (int) ((long) n * (b + 1) / BLOCKS);
        Arrays.fill(sums, 0);
        Scratch scratch = this.scratch.get();
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

    private final ThreadLocal<Scratch> scratch;

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

    @Override
    public Posterior posterior() {
        Map<String, Posterior.Block> blocks = new LinkedHashMap<>();
        q.report(blocks);
        weights.report(blocks);
        return new Posterior(List.copyOf(blocks.values()));
    }

    /** Whether the last sweep took the shared-moments pass. */
    boolean sharedLastSweep() { return shared; }

    @Override
    public double[] key() {
        double[] key = new double[k];
        for (int j = 0; j < k; j++) key[j] = q.m[j][0];
        return key;
    }

    @Override
    public double[] weights() {
        double[] out = new double[k];
        for (int j = 0; j < k; j++) out[j] = stN[j] / n;
        return out;
    }
}

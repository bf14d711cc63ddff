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
    static final int CHUNK = MvPass.CHUNK;
    static final int SHARED_CHUNK = MvPass.SHARED_CHUNK;
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
    /** The pass's two kernels, reading the snapshot of q above (centre, coef; upper, bias, r). */
    private final MvPass sharedKernel, exactKernel;
    /** The reduced sums of the last pass, in the layout of the pass that ran. */
    private final double[] total;
    /** The plan's updates after the pass, in the plan's order. */
    private final List<List<String>> updates;
    private double lse;

    private final double sharedLimit;

    private MvSweeper(Mixture mix, Points x, double[][] centres, Engine engine, double sharedLimit) {
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
        this.engine = engine;
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
        centre = DataMoments.mean(engine, x, d);
        coef = new double[k * p];
        sharedKernel = MvPass.shared(d, k, centre, coef);
        exactKernel = MvPass.exact(d, k, upper, bias, r);
        blockSums = new double[BLOCKS][Math.max(k + k * d + k * d * d, k * p) + 1];
        this.total = new double[blockSums[0].length];
        this.updates = ComponentModel.afterPass(mix);
    }

    /** E[Lambda] to start from: known, or the data's precision made K^(2/D) times tighter. */
    private double[][] startPrecision(NormalPrior.MvPrecision precision) {
        if (precision instanceof NormalPrior.MvPrecision.Known kn) return kn.lambda();
        double[][] cov = DataMoments.covariance(engine, x, d, DataMoments.mean(engine, x, d));
        double trace = 0;
        for (int a = 0; a < d; a++) trace += cov[a][a];
        double ridge = trace > 0 ? 1e-6 * trace / d : 1;
        for (int a = 0; a < d; a++) cov[a][a] += ridge;
        return Dense.scaled(Dense.inverse(cov), Math.pow(k, 2.0 / d));
    }

    public static MvSweeper init(Mixture mix, Points x, SplittableRandom rng, Engine engine) {
        return init(mix, x, rng, engine, SHARED_LIMIT);
    }

    /** As {@link #init(Mixture, Points, SplittableRandom, Engine)}, with the shared pass's limit: −1 never uses it, +∞ always. */
    static MvSweeper init(Mixture mix, Points data, SplittableRandom rng, Engine engine, double sharedLimit) {
        double[][] centres = KMeansPlusPlus.centres(data, mix.dimension(), mix.k(), rng);
        return new MvSweeper(mix, data, centres, engine, sharedLimit);
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
        engine.label(x, d, labels(), to);
    }

    @Override
    public void assignments(double[] rows, Assignee to) {
        Engine.labelHere(Points.of(rows), d, labels(), to);
    }

    /** The labelling kernel with a snapshot of the current q. */
    private Labels labels() {
        prepare();
        return new Labels(d, k, bias.clone(), upper.clone(), r.clone());
    }

    /** Each row's most probable component and its probability: e_k = bias_k − ½‖Uᵀ(x − r_k)‖². */
    record Labels(int d, int k, double[] bias, double[] upper, double[] r) implements Engine.RowLabels {
        @Override
        public void label(Points x, int from, int to, int[] component, double[] probability) {
            double[] e = new double[k], diff = new double[d];
            int dd = d * d;
            for (int i = from; i < to; i++) {
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
                component[i - from] = arg;
                probability[i - from] = 1 / Sweeper.exponentiate(e, k, max);
            }
        }
    }

    @Override
    public double sweep(double rho) {
        return sweep(rho, null);
    }

    @Override
    public double sweep(UpdateListener to) {
        return sweep(1, to);
    }

    private double sweep(double rho, UpdateListener to) {
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
        entropyOfC[0] = entropyC;
        if (to != null && mix.selector().isPresent()) to.after(List.of(mix.selector().get()), elboTerms());
        SuffStats counts = new SuffStats(k);
        System.arraycopy(stN, 0, counts.n, 0, k);
        // the plan's other updates, in the plan's order
        for (List<String> step : updates) {
            if (weights.sets(step)) {
                ComponentModel.step(rho, weights::natural, () -> weights.update(counts), weights::setNatural);
            } else {
                ComponentModel.step(rho, () -> q.natural(step), () -> q.update(step, st), eta -> q.setNatural(step, eta));
            }
            if (to != null) to.after(step, elboTerms());
        }
        double w = weights.elbo(counts), c = q.elbo(st);
        magnitude[0] = Math.abs(w) + Math.abs(c) + (k == 1 ? 0 : Math.abs(lse) + Math.abs(phiE));
        return w + c + entropyC;
    }

    /** See {@link CaviState#elboMagnitude}: for the stop rule's rounding bound. */
    private final double[] magnitude = new double[1]; // an array, as in Sweeper: a double field slowed the pass

    @Override
    public double elboMagnitude() { return magnitude[0]; }

    /** The last sweep's H[q(c)], for {@link #elboTerms}. */
    private final double[] entropyOfC = new double[1];

    @Override
    public java.util.Map<String, Double> elboTerms() {
        java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
        q.terms(st, ComponentModel.likelihoodLabel(mix), out);
        mix.selector().ifPresent(c -> {
            SuffStats counts = new SuffStats(k);
            System.arraycopy(stN, 0, counts.n, 0, k);
            weights.terms(counts, c, out);
            out.put("H[q(" + c + ")]", entropyOfC[0]);
        });
        return out;
    }

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
        engine.pass(x, d, sharedKernel, blockSums, k * p + 1, (long) n * k * d, total);
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
        engine.pass(x, d, exactKernel, blockSums, k + kd + kdd + 1, (long) n * k * d, total);
        System.arraycopy(total, 0, stN, 0, k);
        System.arraycopy(total, k, stD, 0, kd);
        System.arraycopy(total, k + kd, stQ, 0, kdd);
        lse = total[k + kd + kdd];
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

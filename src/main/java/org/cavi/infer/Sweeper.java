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
 * {@link ScalarPass#POINTWISE} point·components or more, a chunk of points at a time, along the points,
 * so that the JIT vectorises it, exponentials included ({@link FastExp#terms}); below that,
 * point by point with the table-driven {@link FastExp#exp}, which is quicker before the JIT has
 * compiled anything, where a run of such small data spends most of its time.
 */
public final class Sweeper implements CaviState {
    /**
     * The data are cut into this many blocks whatever the number of threads; block sums are
     * added in block order, so any number of threads gives the same bits.
     */
    static final int BLOCKS = Engine.BLOCKS;

    private final Mixture mix;
    private final Points x;
    private final int n;
    private final int k;
    private final Weights weights;
    private final ComponentModel comps;
    private final SuffStats stats;
    /** The pass's kernel and its snapshot of q: the exponents' coefficients, O(K). */
    private final ScalarPass kernel;
    private final double[] bias, halfA, r, slope;
    private final double[][] blockSums;
    private final Engine engine;
    /** The reduced sums of the last pass: N (k), Σφd (k), Σφd² (k), Σ LSE. */
    private final double[] total;

    /** The plan's updates after the pass, in the plan's order. */
    private final List<List<String>> updates;

    private Sweeper(Mixture mix, Points x, Weights weights, ComponentModel comps, Engine engine, long pointwiseBelow) {
        this.mix = mix;
        this.x = x;
        this.n = (int) x.size();
        this.k = mix.k();
        this.weights = weights;
        this.comps = comps;
        this.stats = new SuffStats(k);
        this.kernel = new ScalarPass(k, comps.quadratic(), (long) n * k < pointwiseBelow);
        this.bias = kernel.bias;
        this.halfA = kernel.halfA;
        this.r = kernel.r;
        this.slope = kernel.slope;
        this.blockSums = new double[BLOCKS][3 * k + 1];
        this.engine = engine;
        this.total = new double[3 * k + 1];
        this.updates = ComponentModel.afterPass(mix);
    }

    /** A seeded k-means++-style start: centres drawn with probability ∝ squared distance. */
    public static Sweeper init(Mixture mix, Points x, SplittableRandom rng, Engine engine) {
        return init(mix, x, rng, engine, ScalarPass.POINTWISE);
    }

    /** As {@link #init(Mixture, Points, SplittableRandom, Engine)}, with the size below which sweeps run point by point. */
    static Sweeper init(Mixture mix, Points x, SplittableRandom rng, Engine engine, long pointwiseBelow) {
        int k = mix.k();
        double[] centres = new double[k];
        double[][] seeds = KMeansPlusPlus.centres(x, 1, k, rng);
        for (int j = 0; j < k; j++) centres[j] = seeds[j][0];
        return new Sweeper(mix, x, WeightsState.of(mix.weights(), k, x.size()), components(mix, x, centres, engine), engine,
                pointwiseBelow);
    }

    private static ComponentModel components(Mixture mix, Points x, double[] centres, Engine engine) {
        if (mix.components() instanceof Mixture.Components.Normal n) {
            double[] fixed = mix.fixedValue(n.mean()).orElse(null);
            double variance = DataMoments.covariance(engine, x, 1, DataMoments.mean(engine, x, 1))[0][0];
            return new NormalComponents(n, mix.k(), centres, fixed, x.size(), variance);
        }
        Mixture.Components.Linear lin = (Mixture.Components.Linear) mix.components();
        org.cavi.family.LinearLikelihood lik = lin.likelihood();
        double logBase = lik.hasBase() ? DataMoments.sumOf(engine, x, lik::logBase) : 0;
        return new LinearComponents(lik, lin.parameter(), lin.a0(), lin.b0(), mix.k(), centres, x.size(), logBase);
    }

    /** The exponents' coefficients from the current q. */
    private void prepare() {
        comps.coefficients(bias, halfA, r, slope);
        for (int j = 0; j < k; j++) bias[j] += weights.elogPi()[j];
    }

    @Override
    public void assignments(Assignee to) {
        engine.label(x, 1, labels(), to);
    }

    @Override
    public void assignments(double[] rows, Assignee to) {
        Engine.labelHere(Points.of(rows), 1, labels(), to);
    }

    /** The labelling kernel with a snapshot of the current q. */
    private Labels labels() {
        prepare();
        return new Labels(k, comps.quadratic(), bias.clone(), halfA.clone(), r.clone(), slope.clone());
    }

    /** Each row's most probable component and its probability under a snapshot of q's exponents. */
    record Labels(int k, boolean quadratic, double[] bias, double[] halfA, double[] r, double[] slope) implements Engine.RowLabels {
        @Override
        public void label(Points x, int from, int to, int[] component, double[] probability) {
            double[] e = new double[k];
            for (int i = from; i < to; i++) {
                double xi = x.get(i), max = Double.NEGATIVE_INFINITY;
                int arg = 0;
                for (int j = 0; j < k; j++) {
                    double d = xi - r[j];
                    e[j] = quadratic ? bias[j] - d * d * halfA[j] : bias[j] + slope[j] * xi;
                    if (e[j] > max) { max = e[j]; arg = j; }
                }
                component[i - from] = arg;
                probability[i - from] = 1 / exponentiate(e, k, max);
            }
        }
    }

    /**
     * One sweep: the pass (q(c) when the model has assignments, and the sums), then the plan's
     * other updates in the plan's order, then the exact ELBO at the new q.
     */
    @Override
    public double sweep(double rho) {
        return sweep(rho, null);
    }

    @Override
    public double sweep(UpdateListener to) {
        return sweep(1, to);
    }

    private double sweep(double rho, UpdateListener to) {
        double entropyC = pass();
        entropyOfC[0] = entropyC;
        if (to != null && mix.selector().isPresent()) to.after(List.of(mix.selector().get()), elboTerms());
        for (List<String> step : updates) {
            if (weights.sets(step)) {
                ComponentModel.step(rho, weights::natural, () -> weights.update(stats), weights::setNatural);
            } else {
                ComponentModel.step(rho, () -> comps.natural(step), () -> comps.update(step, stats), eta -> comps.setNatural(step, eta));
            }
            if (to != null) to.after(step, elboTerms());
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

    /** The last sweep's H[q(c)], for {@link #elboTerms} (an array, as {@link #magnitude}). */
    private final double[] entropyOfC = new double[1];

    @Override
    public java.util.Map<String, Double> elboTerms() {
        java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
        comps.terms(stats, ComponentModel.likelihoodLabel(mix), out);
        mix.selector().ifPresent(c -> {
            weights.terms(stats, c, out);
            out.put("H[q(" + c + ")]", entropyOfC[0]);
        });
        return out;
    }

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
        engine.pass(x, 1, kernel, blockSums, 3 * k + 1, (long) n * k, total);
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

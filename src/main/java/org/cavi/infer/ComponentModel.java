package org.cavi.infer;

import java.util.List;
import java.util.Map;
import org.cavi.family.Posterior;
import org.cavi.family.SuffStats;
import org.cavi.plan.Mixture;

/**
 * The q of the per-component parameters of one likelihood family: the exponents they give
 * each data point, their coordinate updates from the pass's sums, and their ELBO terms.
 */
abstract class ComponentModel {

    final int k;

    ComponentModel(int k) { this.k = k; }

    /** Whether the exponent is quadratic in x (Normal) or linear (Bernoulli, Poisson). */
    abstract boolean quadratic();

    /**
     * The exponents, up to a term constant in k:
     * quadratic: e_k(x) = bias_k − halfA_k (x − r_k)²; linear: e_k(x) = bias_k + slope_k x.
     */
    abstract void coefficients(double[] bias, double[] halfA, double[] r, double[] slope);

    /**
     * One coordinate update of the plan: the latents in {@code step} (one, or both of a joint
     * factor) from one pass's sums. A step that names a latent this model does not hold is a
     * compiler bug, not bad input.
     */
    abstract void update(List<String> step, SuffStats s);

    /** The ELBO's terms of the components, named as the plan names them (see {@link CaviState#elboTerms}). */
    abstract void terms(SuffStats s, String likelihood, java.util.Map<String, Double> out);

    /** The likelihood's term as the plan names it: "E[log p(x | c, mu, tau)]". */
    static String likelihoodLabel(Mixture mix) {
        List<String> given = new java.util.ArrayList<>();
        mix.selector().ifPresent(given::add);
        if (mix.components() instanceof Mixture.Components.Normal n) {
            given.add(n.mean());
            if (n.precision() instanceof org.cavi.family.NormalPrior.Precision.Gamma g) given.add(g.name());
        } else if (mix.components() instanceof Mixture.Components.MvNormal mv) {
            given.add(mv.mean());
            if (mv.precision() instanceof org.cavi.family.NormalPrior.MvPrecision.Wishart w) given.add(w.name());
        } else {
            given.add(mix.components().key());
        }
        return "E[log p(" + mix.data() + " | " + String.join(", ", given) + ")]";
    }

    /**
     * The plan's updates after the pass, in the plan's order. The pass is the update of q(c), and
     * must come first: every other update reads its sums.
     */
    static List<List<String>> afterPass(Mixture mix) {
        List<List<String>> steps = mix.schedule();
        if (mix.selector().isEmpty()) return steps;
        if (steps.isEmpty() || !steps.get(0).equals(List.of(mix.selector().get()))) {
            throw new IllegalStateException("the plan must update the assignments " + mix.selector().get() + " first: " + steps);
        }
        return steps.subList(1, steps.size());
    }

    /**
     * The natural parameters η of the factors {@code step} sets, concatenated (per component, in
     * an order each model fixes): what a step size blends, η ← (1 − ρ)η + ρη̂, for stochastic VI.
     */
    abstract double[] natural(List<String> step);

    /** Sets the factors of {@code step} from natural parameters laid out as {@link #natural} gives them. */
    abstract void setNatural(List<String> step, double[] eta);

    /**
     * Runs one update of the plan with step size ρ: ρ = 1 is the CAVI update itself (and leaves it
     * untouched, bit for bit); 0 < ρ < 1 moves η a fraction ρ of the way from the old q to it.
     */
    static void step(double rho, java.util.function.Supplier<double[]> natural, Runnable update,
                     java.util.function.Consumer<double[]> setNatural) {
        if (rho == 1) {
            update.run();
            return;
        }
        double[] before = natural.get();
        update.run();
        double[] target = natural.get();
        for (int i = 0; i < target.length; i++) target[i] = (1 - rho) * before[i] + rho * target[i];
        setNatural.accept(target);
    }

    static IllegalStateException unknown(List<String> step) {
        return new IllegalStateException("the plan updates " + step + ", which this model does not hold");
    }

    /** E[log p(x | c, θ)] + E[log p(θ)] + H[q(θ)] at the current q. */
    abstract double elbo(SuffStats s);

    /** The posterior mean of the key latent per component: what orders the components. */
    abstract double[] key();

    abstract void report(Map<String, Posterior.Block> out);
}

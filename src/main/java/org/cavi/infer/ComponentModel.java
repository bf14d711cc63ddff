package org.cavi.infer;

import org.cavi.family.SuffStats;

import org.cavi.family.Posterior;
import java.util.Map;

/**
 * The q of the per-component parameters of one likelihood family: the exponents they give
 * each data point, their coordinate updates from the pass's sums, and their ELBO terms.
 */
abstract class ComponentModel {
    static final double LOG_2PI = Math.log(2 * Math.PI);

    final int k;

    ComponentModel(int k) { this.k = k; }

    /** Whether the exponent is quadratic in x (Normal) or linear (Bernoulli, Poisson). */
    abstract boolean quadratic();

    /**
     * The exponents, up to a term constant in k:
     * quadratic: e_k(x) = bias_k − halfA_k (x − r_k)²; linear: e_k(x) = bias_k + slope_k x.
     */
    abstract void coefficients(double[] bias, double[] halfA, double[] r, double[] slope);

    /** The coordinate updates of every component latent, in the plan's order, from one pass's sums. */
    abstract void update(SuffStats s);

    /** E[log p(x | c, θ)] + E[log p(θ)] + H[q(θ)] at the current q. */
    abstract double elbo(SuffStats s);

    /** The posterior mean of the key latent per component: what orders the components. */
    abstract double[] key();

    abstract void report(Map<String, Posterior.Block> out);
}

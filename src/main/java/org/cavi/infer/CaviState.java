package org.cavi.infer;

import org.cavi.family.Posterior;

/** The current q of one restart: what a sweep changes and what a report reads. */
public interface CaviState {
    /** One sweep; returns the full ELBO at the updated q. */
    default double sweep() { return sweep(1); }

    /**
     * One sweep whose every update moves q's natural parameters a fraction rho of the way to the
     * coordinate optimum (rho = 1: CAVI). The seam for stochastic VI; returns the ELBO at the new q.
     */
    double sweep(double rho);

    /**
     * The magnitude of the terms the last sweep's ELBO was summed from (the sum of their absolute
     * values, at least |ELBO|): its rounding error scales with this, not with |ELBO|, which
     * cancellation can make small. The stop rule's rounding bound is taken from it.
     */
    double elboMagnitude();

    /**
     * The last sweep's ELBO term by term, named and ordered as the plan prints them
     * ("E[log p(x | c, mu)]", …, "H[q(c)]"), each evaluated as its own formula: they add up to
     * the sweep's ELBO up to rounding (the sweep gathers like terms first, for vague priors).
     */
    java.util.Map<String, Double> elboTerms();

    /**
     * One sweep, exactly as {@link #sweep()}, telling {@code to} the ELBO's terms after each of its
     * updates: q(c) by the pass (for a mixture), then each of the plan's updates in the plan's
     * order. For the REPL's :step, which says which update moved which term.
     */
    double sweep(UpdateListener to);

    /** Told each update of a sweep (its latents) and the ELBO's terms just after it. */
    @FunctionalInterface
    interface UpdateListener {
        void after(java.util.List<String> update, java.util.Map<String, Double> terms);
    }

    /** The current q, components in model order. */
    Posterior posterior();

    /** What orders the components: the posterior mean of the key latent (its first coordinate). */
    double[] key();

    /** The mean of phi over the data, per component, from the last sweep. */
    double[] weights();

    /**
     * Each point's most probable component under the current q (model order) and its
     * probability, point by point in data order: nothing of size n is held.
     */
    void assignments(Assignee to);

    /** As {@link #assignments(Assignee)}, for the given rows (D values a row) rather than the data: a picture's sample. */
    void assignments(double[] rows, Assignee to);

    /** Told each point's assignment in turn. */
    @FunctionalInterface
    interface Assignee {
        void assign(int component, double probability);
    }
}

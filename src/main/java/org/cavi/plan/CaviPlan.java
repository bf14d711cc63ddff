package org.cavi.plan;

import java.util.List;

/**
 * A CAVI plan: the variational factors, the coordinate updates in the order a sweep
 * runs them, and the terms of the ELBO. Plain data: printers and the runtime read it.
 *
 * @param mixture the numbers the runtime needs to execute the updates
 */
public record CaviPlan(String model, String pattern, String reference, List<QFactor> factors,
                       List<Update> updates, List<ElboTerm> elbo, List<Derivation> derivations, Mixture mixture) {

    /** One variational factor, e.g. q(mu[k]) = Normal(m[k], s2[k]) for k in 1..K. */
    public record QFactor(String latent, String family, String parameters, String plate, boolean fixed) {}

    /**
     * One coordinate update: the rule that produced it and its equations in the model's names.
     * {@code latent} is as printed ("mu[k], tau[k]"); {@link #targets} are the latents it sets.
     */
    public record Update(int step, String latent, String rule, List<String> equations) {
        public List<String> targets() {
            return java.util.Arrays.stream(latent.split(",")).map(t -> t.strip().replaceAll("\\[.*", "")).toList();
        }
    }

    /**
     * How one update follows from the model: the factors of the latent's complete conditional,
     * its exponential-family form (sufficient statistics, natural parameters from each factor),
     * and the update that results (the plan's own equations).
     *
     * @param conditional the complete conditional, then one line per contributing factor
     * @param natural     one line per factor: its contribution to the natural parameters
     */
    public record Derivation(int step, String latent, List<String> conditional, String family, String stats,
                             List<String> natural, List<String> update, String note) {}

    /** One term of the ELBO, written in the model's names. */
    public record ElboTerm(String name, String formula) {}
}

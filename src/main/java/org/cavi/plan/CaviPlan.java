package org.cavi.plan;

import java.util.List;

/**
 * A CAVI plan: the variational factors, the coordinate updates in the order a sweep
 * runs them, and the terms of the ELBO. Plain data: printers and the runtime read it.
 *
 * @param mixture the numbers the runtime needs to execute the updates
 */
public record CaviPlan(String model, String pattern, String reference, List<QFactor> factors,
                       List<Update> updates, List<ElboTerm> elbo, Mixture mixture) {

    /** One variational factor, e.g. q(mu[k]) = Normal(m[k], s2[k]) for k in 1..K. */
    public record QFactor(String latent, String family, String parameters, String plate, boolean fixed) {}

    /** One coordinate update: the rule that produced it and its equations in the model's names. */
    public record Update(int step, String latent, String rule, List<String> equations) {}

    /** One term of the ELBO, written in the model's names. */
    public record ElboTerm(String name, String formula) {}
}

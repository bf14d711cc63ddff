package org.cavi.family;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The words a family unit writes its part of the plan in: the model's own names and constants as
 * written, and the plan's symbols for q's parameters, already indexed by the component (m[k]) and
 * primed where they clash with a model name (m'[k]). The compiler fills it from the model; a unit
 * only composes these words into its updates, ELBO terms and factors.
 *
 * @param comp       the component latent, mu; {@code compAt} is mu[k]
 * @param prec       the precision latent (tau, Lambda), or null when it is known; {@code precAt} is tau[k]
 * @param known      the likelihood's known variance or covariance as written, in parentheses when needed
 * @param m0         the prior mean as written; {@code v0} the prior variance (covariance) in parentheses
 *                   when needed, {@code s0} as written; {@code beta0} the Normal-Gamma (Normal-Wishart) scale
 * @param a0         the Gamma prior's shape and {@code b0} its rate; {@code nu0}, {@code w0} a Wishart prior's
 * @param nk         N[k] (or n), {@code sk} S[k] (or Σ_i x[i]); {@code sums} what defines them when no pass does
 * @param sumPhi     φ[i,k]· inside a sum over i, or "" for a single component
 * @param phiSum     the sum over the data of the likelihood's term: Σ_i Σ_k φ[i,k]· or Σ_i
 * @param sumK       Σ_k over a component's term, or the term alone for a single component
 * @param meanRule   the rule that matched the mean's prior; {@code precRule} the precision's
 */
public record PlanSymbols(String x, String xi, String i, String n, String given,
                          String comp, String compAt, String prec, String precAt, String known,
                          String m0, String v0, String s0, String beta0, String a0, String b0, String nu0, String w0,
                          String m, String s2, String v, String a, String b, String beta, String nu, String w,
                          String nk, String sk, List<String> sums, String sumPhi, String phiSum, UnaryOperator<String> sumK,
                          String meanRule, String precRule) {

    /** One update of the plan: the latents it sets, as written, the rule that gives it, and its equations. */
    public record Step(String latent, String rule, List<String> equations) {
        public Step { equations = List.copyOf(equations); }
    }

    /** One term of the ELBO (or a "where" line that defines its expectations). */
    public record Term(String name, String formula) {}

    /** One factor of q: the latents, the family, its parameters, and whether it is fixed with --set. */
    public record Factor(String latent, String family, String parameters, boolean fixed) {}
}

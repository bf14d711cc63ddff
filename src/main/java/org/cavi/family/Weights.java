package org.cavi.family;

import java.util.List;
import java.util.Map;

/**
 * The q of a mixture's weights pi, as the runtime runs it: what the assignments see (E[log pi]),
 * its update from the pass's N, its part of the ELBO (E[log p(c | pi)] + E[log p(pi)] + H[q(pi)]),
 * its natural parameters and its report. One unit per kind: fixed, Dirichlet, stick-breaking.
 */
public sealed interface Weights permits Weights.Fixed, DirichletWeights, StickBreakingWeights {
    /** E[log pi_k] under the current q: live, read by the pass. */
    double[] elogPi();

    /** Whether this plan step is the update of q(pi). */
    boolean sets(List<String> step);

    /** The coordinate update of q(pi) from the pass's N. */
    void update(SuffStats s);

    /** E[log p(c | pi)] + E[log p(pi)] + H[q(pi)] at the current q, with the pass's N. */
    double elbo(SuffStats s);

    /**
     * The same terms one by one, named as the plan names them ("E[log p(c)]", "E[log p(pi)]",
     * "H[q(pi)]"), each as its own formula: their sum is {@link #elbo} up to rounding (elbo gathers
     * like terms first, for vague priors).
     */
    void terms(SuffStats s, String selector, Map<String, Double> out);

    /** The natural parameters of q(pi) (none for fixed weights). */
    double[] natural();

    void setNatural(double[] eta);

    /** The report's block for pi, if it is a latent. */
    void report(Map<String, Posterior.Block> out);

    /** Constant weights, as logs: Categorical(K), Categorical(p), or one component (log 1 = 0, and no term). */
    final class Fixed implements Weights {
        private final double[] logPi;
        private final boolean mixture;

        public Fixed(double[] logPi, boolean mixture) {
            this.logPi = logPi.clone();
            this.mixture = mixture;
        }

        public double[] elogPi() { return logPi; }
        public boolean sets(List<String> step) { return false; }
        public void update(SuffStats s) {}
        public double elbo(SuffStats s) {
            if (!mixture) return 0;
            double e = 0;
            for (int j = 0; j < logPi.length; j++) e += s.n[j] * logPi[j];
            return e;
        }
        public void terms(SuffStats s, String selector, Map<String, Double> out) {
            if (mixture) out.put("E[log p(" + selector + ")]", elbo(s));
        }
        public double[] natural() { return new double[0]; }
        public void setNatural(double[] eta) {}
        public void report(Map<String, Posterior.Block> out) {}
    }
}

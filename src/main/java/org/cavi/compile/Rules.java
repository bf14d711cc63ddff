package org.cavi.compile;

import java.util.Optional;
import org.cavi.ast.Stmt;

/**
 * The conjugacy rules: one per (prior family, role). A rule says which prior
 * family a role needs; a latent whose prior differs gets a diagnostic naming
 * the latent, the factor and the reason. New models add rules here.
 */
final class Rules {
    private Rules() {}

    /** A conjugate pairing, and the update it contributes. */
    record Rule(String prior, Class<? extends Role> role, String name) {}

    static final Rule NORMAL_MIXTURE_MEAN = new Rule("Normal", Role.MixtureMean.class,
            "Normal prior × mean of a Normal likelihood, weighted by the assignment's phi");
    static final Rule CATEGORICAL_SELECTOR = new Rule("Categorical", Role.Selector.class,
            "Categorical prior × index of the mixture component of a Normal likelihood");

    private static final Rule[] ALL = {NORMAL_MIXTURE_MEAN, CATEGORICAL_SELECTOR};

    static Optional<Rule> find(String priorFamily, Role role) {
        for (Rule r : ALL) {
            if (r.prior().equals(priorFamily) && r.role().isInstance(role)) return Optional.of(r);
        }
        return Optional.empty();
    }

    /** Why no rule covers this latent in this role. */
    static String whyNot(String latent, String family, Role role) {
        String factor = factorText(role.factor());
        if (role instanceof Role.MixtureMean || role instanceof Role.PlainMean) {
            String base = latent + " has a " + family + " prior but is the mean of a Normal likelihood; "
                    + "a Gaussian-mixture CAVI plan needs a Normal prior here";
            if (family.equals("Normal") && role instanceof Role.PlainMean) {
                return latent + " is the mean of " + factor + " without a mixture assignment; "
                        + "the Gaussian-mixture CAVI plan needs the mean picked by an assignment, like mu[c[i]]";
            }
            return base;
        }
        if (role instanceof Role.Selector) {
            return latent + " has a " + family + " prior but picks the mixture component in " + factor
                    + "; an assignment needs a Categorical prior";
        }
        if (role instanceof Role.Variance) {
            return latent + " appears in the variance of " + factor
                    + "; a Gaussian-mixture CAVI plan needs a constant variance here (unknown variances are not supported yet)";
        }
        if (role instanceof Role.PriorParameter) {
            return latent + " is a parameter of the prior in " + factor
                    + "; a Gaussian-mixture CAVI plan needs constant prior parameters";
        }
        return latent + " in " + factor + ": " + ((Role.Unsupported) role).why();
    }

    static String factorText(Stmt.Tilde t) {
        return t.target().span().text() + " ~ " + t.dist().span().text();
    }
}

package org.cavi.compile;

import java.util.List;
import java.util.Optional;
import org.cavi.ast.Stmt;
import org.cavi.family.LinearLikelihood;
import org.cavi.family.PositiveFamily;
import org.cavi.family.Registry;
import org.cavi.source.Plural;

/**
 * The conjugacy rules: one per (prior family, role). A rule contributes natural parameters
 * to the latent's q from the factor, in expected sufficient statistics of the other factors;
 * a latent whose prior differs gets a diagnostic naming the latent, the factor and the reason.
 * New models add rules here.
 */
final class Rules {
    private Rules() {}

    /**
     * A conjugate pairing: the prior family of the latent, its role in a factor, what the update
     * gets from it, and for derivations the sufficient statistics of q and the natural parameters
     * the factor contributes. Templates name things with {lat} (the latent), {x}, {phi}, {N}, {S},
     * {Eprec} (the precision's expectation), {w} (phi[i,k], or 1), {ell}, {mean} (the mean latent), {m0}, {beta0} and {lik}.
     */
    record Rule(String prior, Class<? extends Role> role, boolean multivariate, String name, String stats,
                String contribution) {}

    static final List<Rule> ALL = List.of(
            new Rule("Normal", Role.Mean.class, false, "Normal prior × mean of a Normal likelihood: q is Normal; "
                    + "the factor adds E[tau]·Σφx to the first natural parameter and −E[tau]·N/2 to the second",
                    "({lat}, {lat}²)", "({Eprec}·Σ_i {phi}{x}, −{Eprec}·Σ_i {w}/2) = ({Eprec}·{S}, −{Eprec}·{N}/2)"),
            new Rule("Gamma", Role.Precision.class, false, "Gamma prior × precision of a Normal likelihood: q is Gamma; "
                    + "the factor adds N/2 to the shape and Σφ E[(x − mu)²]/2 to the rate",
                    "({lat}, log {lat})", "(−½·Σ_i {phi}E[({x} − {mean})²], Σ_i {w}/2) = (−½·Σ_i {phi}E[({x} − {mean})²], {N}/2)"),
            new Rule("Gamma", Role.PriorPrecision.class, false, "Gamma prior × precision of the means' Normal prior: "
                    + "adds 1/2 to the shape and beta0·E[(mu − m0)²]/2 to the rate",
                    "({lat}, log {lat})", "(−{beta0}/2·E[({mean} − {m0})²], 1/2)"),
            new Rule("MvNormal", Role.Mean.class, true, "MvNormal prior × mean of an MvNormal likelihood: q is MvNormal; "
                    + "the factor adds E[Lambda]·Σφx to the first natural parameter and −N·E[Lambda]/2 to the second",
                    "({lat}, {lat}{lat}ᵀ)", "({Eprec}·Σ_i {phi}{x}, −½·Σ_i {w}·{Eprec}) = ({Eprec}·{S}, −½·{N}·{Eprec})"),
            new Rule("Wishart", Role.Precision.class, true, "Wishart prior × precision of an MvNormal likelihood: q is Wishart; "
                    + "the factor adds N to nu and Σφ E[(x − mu)(x − mu)ᵀ] to inv(W)",
                    "({lat}, log|{lat}|)", "(−½·Σ_i {phi}E[({x} − {mean})({x} − {mean})ᵀ], {N}/2)"),
            new Rule("Wishart", Role.PriorPrecision.class, true, "Wishart prior × precision of the means' MvNormal prior: "
                    + "adds 1 to nu and beta0·E[(mu − m0)(mu − m0)ᵀ] to inv(W)",
                    "({lat}, log|{lat}|)", "(−{beta0}/2·E[({mean} − {m0})({mean} − {m0})ᵀ], 1/2)"),
            new Rule("Categorical", Role.Selector.class, false, "Categorical prior × index of the mixture component: "
                    + "q is Categorical; phi ∝ exp(E[log pi] + E[log p(x | component)])",
                    "(1[{lat} = 1], …, 1[{lat} = K])", "E[log {lik}({x} | component k)] = {ell} + const, for each k"),
            new Rule("Dirichlet", Role.Probabilities.class, false, "Dirichlet prior × probabilities of a Categorical: "
                    + "q is Dirichlet; alpha = alpha0 + N",
                    "(log {lat}[1], …, log {lat}[K])", "Σ_i {w} = {N}, for each k"),
            new Rule("StickBreaking", Role.Probabilities.class, false, "StickBreaking prior × probabilities of a Categorical: "
                    + "q of each stick is Beta; a[k] = 1 + N[k], b[k] = alpha + Σ_{j>k} N[j]",
                    "(log v[k], log(1 − v[k])) of each stick v[k]",
                    "(N[k], Σ_{j>k} N[j]) for stick k: log pi[j] holds log v[k] for j = k and log(1 − v[k]) for j > k"));

    static Optional<Rule> find(String priorFamily, Role role) {
        if (role instanceof Role.Parameter p) {
            return p.likelihood().prior().name().equals(priorFamily) ? Optional.of(linear(p.likelihood())) : Optional.empty();
        }
        return ALL.stream().filter(r -> r.prior().equals(priorFamily) && r.role().isInstance(role)
                && r.multivariate() == role.multivariate()).findFirst();
    }

    /**
     * The rule of a linear likelihood's parameter, from its unit: q is the conjugate family, and the
     * factor adds Σ_i φ·(u + v·x) to its natural parameters.
     */
    static Rule linear(LinearLikelihood lik) {
        PositiveFamily fam = lik.prior();
        String[] names = fam.parameterNames();
        String[] msg = {lik.messageText(0, "N", "Σφx"), lik.messageText(1, "N", "Σφx")};
        String[] contribution = new String[2], totals = new String[2];
        boolean pure = true;
        for (int m = 0; m < 2; m++) {
            double u = lik.u()[m], v = lik.v()[m];
            pure &= u == 0 || v == 0;
            String total = Registry.combination(u, "{N}", v, "{S}");
            totals[m] = total.isEmpty() ? "0" : total;
            String coef = Registry.coefficient(u, v, "{x}");
            boolean single = !coef.contains(" ");
            contribution[m] = coef.isEmpty() ? "0" : coef.equals("−1") ? "−Σ_i {w}" : coef.equals("1") ? "Σ_i {w}"
                    : single && coef.startsWith("−") ? "−Σ_i {phi}" + coef.substring(1)
                    : "Σ_i {phi}" + (single ? coef : "(" + coef + ")");
        }
        return new Rule(fam.name(), Role.Parameter.class, false, fam.name() + " prior × " + lik.parameter() + " of " + Plural.withArticle(lik.name())
                + " likelihood: q is " + fam.name() + "; " + names[0] + " = a0" + signed(msg[0]) + ", "
                + names[1] + " = b0" + signed(msg[1]),
                shown(fam, fam.statistics("{lat}")), shown(fam, contribution) + (pure ? " = " + shown(fam, totals) : ""));
    }

    private static String shown(PositiveFamily fam, String[] pair) {
        int[] o = fam.shownOrder();
        return "(" + pair[o[0]] + ", " + pair[o[1]] + ")";
    }

    private static String signed(String t) { return t.startsWith("−") ? " − " + t.substring(1) : " + " + t; }

    /** Why no rule covers this latent in this role. */
    static String whyNot(String latent, String family, Role role) {
        String factor = factorText(role.factor());
        String has = latent + " has a " + family + " prior but ";
        if (role instanceof Role.Mean mean) {
            return mean.multivariate() ? has + "is the mean of an MvNormal likelihood; it needs an MvNormal prior"
                    : has + "is the mean of a Normal likelihood; a Gaussian-mixture CAVI plan needs a Normal prior here";
        }
        if (role instanceof Role.Precision || role instanceof Role.PriorPrecision) {
            return has + "appears as a precision in " + factor + "; a precision needs a Gamma prior (Wishart for a matrix)";
        }
        if (role instanceof Role.Selector) {
            return has + "picks the mixture component in " + factor + "; an assignment needs a Categorical prior";
        }
        if (role instanceof Role.Probabilities) {
            return has + "gives the probabilities of " + factor + "; they need a Dirichlet or StickBreaking prior";
        }
        if (role instanceof Role.Parameter p) {
            return has + "is the " + p.likelihood().parameter() + " of " + Plural.withArticle(p.likelihood().name()) + " likelihood; it needs "
                    + Plural.withArticle(p.likelihood().prior().name()) + " prior";
        }
        return latent + " in " + factor + ": " + ((Role.Unsupported) role).why();
    }

    static String factorText(Stmt.Tilde t) {
        return t.target().span().text() + " ~ " + t.dist().span().text();
    }
}

package org.cavi.compile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cavi.ast.Expr;
import org.cavi.ast.Stmt;
import org.cavi.check.CheckedModel;
import org.cavi.check.Eval;
import org.cavi.check.Value;
import org.cavi.plan.CaviPlan;
import org.cavi.plan.GaussianMixture;
import org.cavi.source.Diagnostics;
import org.cavi.source.Span;

/**
 * The conjugacy matcher: builds each latent's roles from the model graph, finds the
 * rule for each (prior family, role), and schedules the updates into a CAVI plan.
 */
public final class Compiler {
    public static final String PATTERN = "Bayesian mixture of Gaussians";
    public static final String REFERENCE =
            "Blei, Kucukelbir & McAuliffe (2017), Variational inference: a review for statisticians, section 3, Algorithm 2";

    static final int MAX_COMPONENTS = 100_000;

    private final CheckedModel model;
    private final Diagnostics diags;

    private Compiler(CheckedModel model, Diagnostics diags) {
        this.model = model;
        this.diags = diags;
    }

    public static Optional<CaviPlan> compile(CheckedModel model, Diagnostics diags) {
        return new Compiler(model, diags).run();
    }

    private Optional<CaviPlan> run() {
        if (model.likelihoods().isEmpty()) {
            diags.error(firstSpan(), "the model has no likelihood: no data variable is modelled with ~");
            return Optional.empty();
        }
        if (model.likelihoods().size() > 1) {
            Stmt.Tilde second = model.likelihoods().get(1);
            diags.error(second.span(), "a Gaussian-mixture CAVI plan has one likelihood; this is a second one ("
                    + Rules.factorText(second) + ")");
            return Optional.empty();
        }
        Stmt.Tilde lik = model.likelihoods().get(0);
        Map<String, List<Role>> roles = roles(lik);
        for (Stmt.Tilde prior : model.latents().values()) priorRoles(prior, roles);

        Map<String, Rules.Rule> matched = new LinkedHashMap<>();
        for (Map.Entry<String, Stmt.Tilde> e : model.latents().entrySet()) {
            String name = e.getKey();
            Stmt.Tilde prior = e.getValue();
            String latent = prior.target().span().text();
            List<Role> rs = roles.getOrDefault(name, List.of());
            if (rs.isEmpty()) {
                diags.error(prior.target().span(), "latent " + latent
                        + " is not used by any likelihood, so CAVI has no data to update it from");
                continue;
            }
            for (Role r : rs) {
                Optional<Rules.Rule> rule = Rules.find(prior.dist().name(), r);
                if (rule.isPresent()) matched.put(name, rule.get());
                else diags.error(prior.dist().span(), Rules.whyNot(latent, prior.dist().name(), r));
            }
        }
        if (!lik.dist().name().equals("Normal")) {
            diags.error(lik.dist().nameSpan(), lik.target().span().text() + " has a " + lik.dist().name()
                    + " likelihood; a Gaussian-mixture CAVI plan needs a Normal likelihood");
        }
        if (diags.hasErrors()) return Optional.empty();
        return assemble(lik, roles, matched);
    }

    private Span firstSpan() {
        List<Stmt> s = model.program().statements();
        return s.isEmpty() ? model.program().source().span(0, 0) : s.get(0).span();
    }

    /** The roles latents play in the likelihood x[i] ~ D(args). */
    private Map<String, List<Role>> roles(Stmt.Tilde lik) {
        Map<String, List<Role>> roles = new LinkedHashMap<>();
        List<Expr> args = lik.dist().args();
        boolean normal = lik.dist().name().equals("Normal");
        for (int a = 0; a < args.size(); a++) {
            Expr arg = args.get(a);
            if (normal && a == 0) {
                meanRoles(arg, lik, roles);
            } else if (normal) {
                for (String l : latentsIn(arg)) add(roles, new Role.Variance(l, lik));
            } else {
                for (String l : latentsIn(arg)) {
                    add(roles, new Role.Unsupported(l, lik, "a " + lik.dist().name()
                            + " likelihood has no conjugate rule in a Gaussian-mixture CAVI plan"));
                }
            }
        }
        return roles;
    }

    private void meanRoles(Expr mean, Stmt.Tilde lik, Map<String, List<Role>> roles) {
        if (mean instanceof Expr.Index outer && model.latents().containsKey(outer.name())
                && outer.indices().size() == 1 && outer.indices().get(0) instanceof Expr.Index inner
                && model.latents().containsKey(inner.name())) {
            add(roles, new Role.MixtureMean(outer.name(), lik, inner.name()));
            add(roles, new Role.Selector(inner.name(), lik, outer.name()));
            return;
        }
        if (mean instanceof Expr.Name n && model.latents().containsKey(n.name())) {
            add(roles, new Role.PlainMean(n.name(), lik));
            return;
        }
        List<String> used = latentsIn(mean);
        if (used.isEmpty()) {
            diags.error(mean.span(), "the mean of " + Rules.factorText(lik) + " has no latent in it; "
                    + "a Gaussian-mixture CAVI plan needs a component mean picked by an assignment, like mu[c[i]]");
        }
        for (String l : used) {
            add(roles, new Role.Unsupported(l, lik, "the mean must be a component mean picked by an assignment, "
                    + "like mu[c[i]], not " + mean.span().text()));
        }
    }

    private void priorRoles(Stmt.Tilde prior, Map<String, List<Role>> roles) {
        for (Expr arg : prior.dist().args()) {
            for (String l : latentsIn(arg)) add(roles, new Role.PriorParameter(l, prior));
        }
    }

    private List<String> latentsIn(Expr e) {
        List<String> out = new ArrayList<>();
        collect(e, out);
        return out;
    }

    private void collect(Expr e, List<String> out) {
        if (e instanceof Expr.Name n && model.latents().containsKey(n.name()) && !out.contains(n.name())) out.add(n.name());
        else if (e instanceof Expr.Index i) {
            if (model.latents().containsKey(i.name()) && !out.contains(i.name())) out.add(i.name());
            i.indices().forEach(x -> collect(x, out));
        } else if (e instanceof Expr.Call c) c.args().forEach(x -> collect(x, out));
        else if (e instanceof Expr.Vector v) v.elems().forEach(x -> collect(x, out));
        else if (e instanceof Expr.Neg n) collect(n.operand(), out);
        else if (e instanceof Expr.Binary b) { collect(b.left(), out); collect(b.right(), out); }
    }

    private static void add(Map<String, List<Role>> roles, Role r) {
        roles.computeIfAbsent(r.latent(), k -> new ArrayList<>()).add(r);
    }

    /** Schedules the matched rules into the plan: all phi first, then all (m, s2), as in Algorithm 2. */
    private Optional<CaviPlan> assemble(Stmt.Tilde lik, Map<String, List<Role>> roles, Map<String, Rules.Rule> matched) {
        Role.MixtureMean meanRole = null;
        for (List<Role> rs : roles.values()) {
            for (Role r : rs) if (r instanceof Role.MixtureMean m) meanRole = m;
        }
        if (meanRole == null) return Optional.empty();
        String muName = meanRole.latent();
        String cName = meanRole.selector();
        Stmt.Tilde muPrior = model.latents().get(muName);
        Stmt.Tilde cPrior = model.latents().get(cName);
        String x = lik.target().name();
        String i = lik.target().indices().isEmpty() ? "i" : lik.target().indices().get(0);
        if (model.data().get(x).dims().size() != 1) {
            diags.error(lik.target().span(), "a Gaussian-mixture CAVI plan needs one-dimensional data; " + x
                    + " has " + model.data().get(x).dims().size() + " dimensions");
            return Optional.empty();
        }
        Eval eval = new Eval(model.constants(), diags);

        CheckedModel.Range muRange = model.ranges().get(muPrior).get(0);
        if (muRange.isDataSize()) {
            diags.error(muPrior.plates().get(0).hi().span(), "the number of components must be a constant, not the data size "
                    + muRange.sizeName());
            return Optional.empty();
        }
        int k = muRange.hiValue();
        if (k > MAX_COMPONENTS) {
            diags.error(muPrior.plates().get(0).hi().span(), muRange.hiText() + " = " + k + " components is more than cavi supports ("
                    + MAX_COMPONENTS + ")");
            return Optional.empty();
        }
        CheckedModel.Range cRange = model.ranges().get(cPrior).get(0);
        CheckedModel.Range xRange = model.ranges().get(lik).get(0);
        if (!cRange.hiText().equals(xRange.hiText())) {
            diags.error(cPrior.plates().get(0).hi().span(), cPrior.target().span().text() + " ranges over 1.."
                    + cRange.hiText() + " but picks a component for each of " + x + "[" + i + "], " + i + " in 1.." + xRange.hiText());
        }
        Expr.Index meanUse = (Expr.Index) lik.dist().args().get(0);
        Expr.Index cUse = (Expr.Index) meanUse.indices().get(0);
        if (!(cUse.indices().get(0) instanceof Expr.Name ci && ci.name().equals(i))) {
            diags.error(cUse.span(), "the assignment must be indexed by the data's own index: write "
                    + cName + "[" + i + "]");
        }

        Expr mu0Expr = muPrior.dist().args().get(0);
        Expr sigma2Expr = muPrior.dist().args().get(1);
        Expr lambdaExpr = lik.dist().args().get(1);
        Optional<Double> mu0 = eval.scalar(mu0Expr);
        Optional<Double> sigma2 = positive(eval.scalar(sigma2Expr), sigma2Expr, "the prior variance of " + muPrior.target().span().text());
        Optional<Double> lambda = positive(eval.scalar(lambdaExpr), lambdaExpr, "the variance of " + lik.target().span().text());
        Optional<double[]> logPi = logPi(cPrior, k, eval);
        Optional<double[]> fixedMu = fixedVector(muName, k, muPrior, 0);
        Optional<double[]> fixedC = Optional.empty();
        if (model.fixed().containsKey(cName)) fixedC = fixedVector(cName, -1, cPrior, k);
        if (diags.hasErrors() || mu0.isEmpty() || sigma2.isEmpty() || lambda.isEmpty() || logPi.isEmpty()) {
            return Optional.empty();
        }
        if (model.fixed().containsKey(muName) && fixedMu.isEmpty()) return Optional.empty();
        if (model.fixed().containsKey(cName) && fixedC.isEmpty()) return Optional.empty();

        GaussianMixture gm = new GaussianMixture(x, xRange.hiText(), muName, cName, k, mu0.get(), sigma2.get(),
                lambda.get(), logPi.get(), fixedMu, fixedC);
        Texts t = new Texts(muPrior, cPrior, lik, muRange, xRange, mu0Expr, sigma2Expr, lambdaExpr);
        return Optional.of(new CaviPlan(model.name(), PATTERN, REFERENCE, t.factors(gm), t.updates(gm, matched),
                t.elbo(gm), gm));
    }

    private Optional<Double> positive(Optional<Double> v, Expr at, String what) {
        if (v.isPresent() && !(v.get() > 0)) {
            diags.error(at.span(), what + " must be positive; " + at.span().text() + " = " + Value.format(v.get()));
            return Optional.empty();
        }
        return v;
    }

    private Optional<double[]> logPi(Stmt.Tilde cPrior, int k, Eval eval) {
        Expr arg = cPrior.dist().args().get(0);
        Optional<Value> v = eval.eval(arg);
        if (v.isEmpty()) return Optional.empty();
        double[] lp = new double[k];
        if (v.get() instanceof Value.Scalar s) {
            if (s.value() != k) {
                diags.error(arg.span(), "Categorical(" + arg.span().text() + ") has " + Value.format(s.value())
                        + " categories but there are " + k + " components");
                return Optional.empty();
            }
            java.util.Arrays.fill(lp, -Math.log(k));
            return Optional.of(lp);
        }
        double[] p = ((Value.Vec) v.get()).elems();
        if (p.length != k) {
            diags.error(arg.span(), "Categorical has " + p.length + " probabilities but there are " + k + " components");
            return Optional.empty();
        }
        double sum = 0;
        for (double q : p) {
            if (!(q > 0)) {
                diags.error(arg.span(), "every probability of a Categorical must be positive; found " + Value.format(q));
                return Optional.empty();
            }
            sum += q;
        }
        if (Math.abs(sum - 1) > 1e-9) {
            diags.error(arg.span(), "the probabilities of a Categorical must sum to 1; these sum to " + sum);
            return Optional.empty();
        }
        for (int j = 0; j < k; j++) lp[j] = Math.log(p[j]);
        return Optional.of(lp);
    }

    /** A latent fixed with --set: a vector of the latent's length; assignments (categories > 0) are whole numbers in 1..categories. */
    private Optional<double[]> fixedVector(String name, int length, Stmt.Tilde prior, int categories) {
        Value v = model.fixed().get(name);
        if (v == null) return Optional.empty();
        Span at = prior.target().span();
        double[] xs = v instanceof Value.Vec vec ? vec.elems() : new double[] {((Value.Scalar) v).value()};
        if (length >= 0 && xs.length != length) {
            diags.error(at, "--set " + name + " gives " + xs.length + " values but " + at.text() + " has " + length);
            return Optional.empty();
        }
        if (categories > 0) {
            for (double c : xs) {
                if (c != Math.rint(c) || c < 1 || c > categories) {
                    diags.error(at, "--set " + name + ": assignments are whole numbers in 1.." + categories + ", not " + Value.format(c));
                    return Optional.empty();
                }
            }
        }
        return Optional.of(xs);
    }
}

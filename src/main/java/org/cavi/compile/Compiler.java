package org.cavi.compile;

import org.cavi.family.NormalPrior;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.cavi.ast.Expr;
import org.cavi.ast.Stmt;
import org.cavi.check.CheckedModel;
import org.cavi.check.Eval;
import org.cavi.check.Value;
import org.cavi.family.LinearLikelihood;
import org.cavi.family.Registry;
import org.cavi.plan.CaviPlan;
import org.cavi.plan.Mixture;
import org.cavi.source.Diagnostics;
import org.cavi.source.Plural;
import org.cavi.source.Span;

/**
 * The conjugacy matcher. For each latent it collects the latent's prior and the role it plays
 * in every factor it appears in; each (prior family, role) must be a rule. The matched rules
 * are then scheduled into a CAVI plan: the assignments first, then the weights, then the
 * component latents, as in Blei et al.'s Algorithm 2.
 */
public final class Compiler {
    static final int MAX_COMPONENTS = 100_000;

    private final CheckedModel model;
    private final Diagnostics diags;
    private final Eval eval;

    private Compiler(CheckedModel model, Diagnostics diags) {
        this.model = model;
        this.diags = diags;
        this.eval = new Eval(model.constants(), diags);
    }

    public static Optional<CaviPlan> compile(CheckedModel model, Diagnostics diags) {
        return new Compiler(model, diags).run();
    }

    /** A latent referenced in a factor: mu, mu[c[i]] (selector c) or tau[k] (index k). */
    private record Ref(String latent, String selector, String index, Expr expr) {}

    private Optional<CaviPlan> run() {
        if (model.likelihoods().isEmpty()) {
            diags.error(firstSpan(), "the model has no likelihood: no data variable is modelled with ~");
            return Optional.empty();
        }
        if (model.likelihoods().size() > 1) {
            Stmt.Tilde second = model.likelihoods().get(1);
            diags.error(second.span(), "cavi fits models with one likelihood; this is a second one ("
                    + Rules.factorText(second) + ")");
            return Optional.empty();
        }
        Stmt.Tilde lik = model.likelihoods().get(0);
        Map<String, List<Role>> roles = roles(lik);
        Map<String, Rules.Rule> matched = match(roles, s -> true);
        if (diags.hasErrors()) return Optional.empty();
        return assemble(lik, roles, matched);
    }

    /**
     * The conjugacy errors of a model that did not check, as far as they can be told from it: the
     * likelihood's own, and for each latent whose prior checked cleanly, a prior family without a
     * rule for a part it plays in a statement that checked cleanly. What needs the whole model (a
     * missing or second likelihood, an unused latent, plates, assignments, the priors' values)
     * waits until it checks: from a broken model those would mostly echo its first errors.
     *
     * @param clean whether a statement checked without error
     */
    public static void matchCleanStatements(CheckedModel partial, Predicate<Stmt> clean, Diagnostics diags) {
        if (partial.likelihoods().size() != 1 || !clean.test(partial.likelihoods().get(0))) return;
        Compiler c = new Compiler(partial, diags);
        c.match(c.roles(partial.likelihoods().get(0)), clean);
    }

    /** Every part each latent plays: in the likelihood and in the other priors. */
    private Map<String, List<Role>> roles(Stmt.Tilde lik) {
        Map<String, List<Role>> roles = new LinkedHashMap<>();
        likelihoodRoles(lik, roles);
        for (Stmt.Tilde prior : model.latents().values()) priorRoles(prior, roles);
        return roles;
    }

    /**
     * Each latent's rule: its prior family's rule for every part it plays. Reports a latent that
     * plays none, and a part without a rule, judging only parts whose statements are {@code clean}
     * (an unused latent only when every statement is).
     */
    private Map<String, Rules.Rule> match(Map<String, List<Role>> roles, Predicate<Stmt> clean) {
        boolean allClean = model.program().statements().stream().allMatch(clean);
        Map<String, Rules.Rule> matched = new LinkedHashMap<>();
        for (Map.Entry<String, Stmt.Tilde> e : model.latents().entrySet()) {
            String name = e.getKey();
            Stmt.Tilde prior = e.getValue();
            String latent = prior.target().span().text();
            List<Role> rs = roles.getOrDefault(name, List.of());
            if (rs.isEmpty()) {
                if (allClean) {
                    diags.error(prior.target().span(), "latent " + latent
                            + " is not used by the likelihood or by another prior, so CAVI has nothing to update it from");
                }
                continue;
            }
            if (!clean.test(prior)) continue;
            for (Role r : rs) {
                Optional<Rules.Rule> rule = Rules.find(prior.dist().name(), r);
                if (rule.isPresent()) matched.putIfAbsent(name, rule.get());
                else if (clean.test(r.factor())) diags.error(prior.dist().span(), Rules.whyNot(latent, prior.dist().name(), r));
            }
        }
        return matched;
    }

    private Span firstSpan() {
        List<Stmt> s = model.program().statements();
        return s.isEmpty() ? model.program().source().span(0, 0) : s.get(0).span();
    }

    // ---- roles -------------------------------------------------------------

    /** mu, mu[c[i]] or tau[k]; empty if the expression is not a single latent reference. */
    private Optional<Ref> ref(Expr e) {
        if (e instanceof Expr.Name n && model.latents().containsKey(n.name())) {
            return Optional.of(new Ref(n.name(), null, null, e));
        }
        if (e instanceof Expr.Index i && model.latents().containsKey(i.name()) && i.indices().size() == 1) {
            Expr idx = i.indices().get(0);
            if (idx instanceof Expr.Index sel && model.latents().containsKey(sel.name())) {
                return Optional.of(new Ref(i.name(), sel.name(), null, e));
            }
            if (idx instanceof Expr.Name v) return Optional.of(new Ref(i.name(), null, v.name(), e));
        }
        return Optional.empty();
    }

    /** 1/E with E a latent reference, or a constant times one: the latent and the constant (or null). */
    private record PrecisionForm(Ref ref, Expr scale) {}

    private Optional<PrecisionForm> precisionForm(Expr variance) {
        Expr den;
        if (variance instanceof Expr.Binary b && b.op() == '/' && b.left() instanceof Expr.Num one && one.value() == 1) {
            den = b.right();
        } else if (variance instanceof Expr.Call c && c.fn().equals("inv") && c.args().size() == 1) {
            den = c.args().get(0);
        } else {
            return Optional.empty();
        }
        Optional<Ref> direct = ref(den);
        if (direct.isPresent()) return Optional.of(new PrecisionForm(direct.get(), null));
        if (den instanceof Expr.Binary m && m.op() == '*') {
            Optional<Ref> r = ref(m.right());
            if (r.isPresent() && latentsIn(m.left()).isEmpty()) return Optional.of(new PrecisionForm(r.get(), m.left()));
            Optional<Ref> l = ref(m.left());
            if (l.isPresent() && latentsIn(m.right()).isEmpty()) return Optional.of(new PrecisionForm(l.get(), m.right()));
        }
        return Optional.empty();
    }

    private void likelihoodRoles(Stmt.Tilde lik, Map<String, List<Role>> roles) {
        List<Expr> args = lik.dist().args();
        String family = lik.dist().name();
        boolean mv = family.equals("MvNormal");
        switch (family) {
            case "Normal", "MvNormal" -> {
                Optional<Ref> mean = ref(args.get(0));
                if (mean.isPresent() && mean.get().index() == null) {
                    add(roles, new Role.Mean(mean.get().latent(), lik, mean.get().selector(), mv));
                    selector(mean.get(), lik, roles);
                } else {
                    List<String> used = latentsIn(args.get(0));
                    if (used.isEmpty()) {
                        diags.error(args.get(0).span(), "the mean of " + Rules.factorText(lik) + " has no latent in it; "
                                + "cavi needs a latent mean here, like mu or a component mean picked by an assignment, mu[c[i]]");
                    }
                    for (String l : used) {
                        add(roles, new Role.Unsupported(l, lik, "the mean must be a latent or a component mean picked by "
                                + "an assignment, like mu[c[i]], not " + args.get(0).span().text()));
                    }
                }
                Expr variance = args.get(1);
                if (latentsIn(variance).isEmpty()) return;
                Optional<PrecisionForm> p = precisionForm(variance);
                if (p.isPresent() && p.get().scale() == null && p.get().ref().index() == null) {
                    String meanSel = mean.map(Ref::selector).orElse(null);
                    String sel = p.get().ref().selector();
                    if (sel == null ? meanSel != null : !sel.equals(meanSel)) {
                        add(roles, new Role.Unsupported(p.get().ref().latent(), lik, "the precision must be picked by the same "
                                + "assignment as the mean, like 1/tau[c[i]] with mu[c[i]]"));
                    } else {
                        add(roles, new Role.Precision(p.get().ref().latent(), lik, sel, mv));
                    }
                } else {
                    for (String l : outerLatents(variance)) {
                        add(roles, new Role.Unsupported(l, lik, mv
                                ? "the covariance of an MvNormal likelihood must be a constant matrix or inv(Lambda) with Lambda "
                                + "a precision latent, not " + variance.span().text()
                                : "the variance of a Normal likelihood must be a constant or "
                                + "1/tau with tau a precision latent, not " + variance.span().text()));
                    }
                }
            }
            default -> {
                Optional<LinearLikelihood> unit = Registry.linear(family);
                if (unit.isEmpty()) {
                    diags.error(lik.dist().nameSpan(), lik.target().span().text() + " has a " + family
                            + " likelihood; cavi has conjugate rules for " + String.join(", ", Registry.likelihoodNames())
                            + " likelihoods");
                    return;
                }
                Optional<Ref> r = ref(args.get(0));
                if (r.isPresent() && r.get().index() == null) {
                    add(roles, new Role.Parameter(r.get().latent(), lik, r.get().selector(), unit.get()));
                    selector(r.get(), lik, roles);
                } else {
                    String what = unit.get().parameter();
                    if (latentsIn(args.get(0)).isEmpty()) {
                        diags.error(args.get(0).span(), "the " + what + " of " + Rules.factorText(lik)
                                + " has no latent in it, so there is nothing to infer");
                    }
                    for (String l : latentsIn(args.get(0))) {
                        add(roles, new Role.Unsupported(l, lik, "the " + what + " must be a latent, or one picked by an "
                                + "assignment, not " + args.get(0).span().text()));
                    }
                }
            }
        }
    }

    private void selector(Ref r, Stmt.Tilde lik, Map<String, List<Role>> roles) {
        if (r.selector() != null) add(roles, new Role.Selector(r.selector(), lik));
    }

    /** Roles in priors: the precision in a Normal-Gamma prior, the probabilities of assignments. */
    private void priorRoles(Stmt.Tilde prior, Map<String, List<Role>> roles) {
        List<Expr> args = prior.dist().args();
        String family = prior.dist().name();
        for (int a = 0; a < args.size(); a++) {
            Expr arg = args.get(a);
            List<String> used = latentsIn(arg);
            if (used.isEmpty()) continue;
            if ((family.equals("Normal") || family.equals("MvNormal")) && a == 1) {
                Optional<PrecisionForm> p = precisionForm(arg);
                if (p.isPresent() && p.get().ref().selector() == null && sameIndex(p.get().ref(), prior)) {
                    add(roles, new Role.PriorPrecision(p.get().ref().latent(), prior, p.get().scale(), family.equals("MvNormal")));
                    continue;
                }
            }
            if (family.equals("Categorical") && arg instanceof Expr.Name n && model.latents().containsKey(n.name())) {
                add(roles, new Role.Probabilities(n.name(), prior));
                continue;
            }
            for (String l : used) {
                add(roles, new Role.Unsupported(l, prior, "a latent in this place of a prior has no conjugate rule; "
                        + "cavi knows Normal(m0, 1/(beta0*tau)) and Categorical(pi)"));
            }
        }
    }

    /** tau[k] in the prior of mu[k] (or tau in the prior of mu): the same plate. */
    private boolean sameIndex(Ref r, Stmt.Tilde prior) {
        List<String> idx = prior.target().indices();
        return idx.isEmpty() ? r.index() == null : idx.size() == 1 && idx.get(0).equals(r.index());
    }

    /** The latents of an expression, but not those only used as assignments inside an index. */
    private List<String> outerLatents(Expr e) {
        List<String> all = latentsIn(e);
        List<String> selectors = new ArrayList<>();
        collectSelectors(e, selectors);
        return all.stream().filter(l -> !selectors.contains(l)).toList();
    }

    private void collectSelectors(Expr e, List<String> out) {
        if (e instanceof Expr.Index i) {
            for (Expr idx : i.indices()) if (idx instanceof Expr.Index sel) out.add(sel.name());
        } else if (e instanceof Expr.Binary b) { collectSelectors(b.left(), out); collectSelectors(b.right(), out); }
        else if (e instanceof Expr.Neg n) collectSelectors(n.operand(), out);
        else if (e instanceof Expr.Call c) c.args().forEach(a -> collectSelectors(a, out));
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

    private static <R extends Role> Optional<R> first(Map<String, List<Role>> roles, Class<R> type) {
        return roles.values().stream().flatMap(List::stream).filter(type::isInstance).map(type::cast).findFirst();
    }

    // ---- the plan ----------------------------------------------------------

    private Optional<CaviPlan> assemble(Stmt.Tilde lik, Map<String, List<Role>> roles, Map<String, Rules.Rule> matched) {
        String x = lik.target().name();
        boolean mv = lik.dist().name().equals("MvNormal");
        Stmt.DataDecl xDecl = model.data().get(x);
        if (xDecl.dims().size() != (mv ? 2 : 1)) {
            diags.error(xDecl.span(), mv ? "an MvNormal likelihood needs data with points and coordinates: data " + x + "[n, D]"
                    : "a " + lik.dist().name() + " likelihood needs one value per point: data " + x + "[n]");
            return Optional.empty();
        }
        int d = 1;
        if (mv) {
            Optional<Double> dd = eval.scalar(xDecl.dims().get(1));
            if (dd.isEmpty()) return Optional.empty();
            if (dd.get() < 1 || dd.get() != Math.rint(dd.get()) || dd.get() > 1000) {
                diags.error(xDecl.dims().get(1).span(), "the dimension must be a whole number from 1 to 1000, not " + Value.format(dd.get()));
                return Optional.empty();
            }
            d = dd.get().intValue();
        }
        CheckedModel.Range xRange = model.ranges().get(lik).get(0);
        String i = xRange.var();

        // the component latent: the mean, the probability or the rate
        String compName = first(roles, Role.Mean.class).map(Role::latent)
                .or(() -> first(roles, Role.Parameter.class).map(Role::latent)).orElseThrow();
        Stmt.Tilde compPrior = model.latents().get(compName);
        String selector = first(roles, Role.Selector.class).map(Role::latent).orElse(null);

        int k = components(compPrior, selector);
        if (k < 0) return Optional.empty();

        Mixture.Weights weights = new Mixture.Weights.None();
        Stmt.Tilde cPrior = null;
        if (selector != null) {
            cPrior = model.latents().get(selector);
            CheckedModel.Range cRange = model.ranges().get(cPrior).isEmpty() ? null : model.ranges().get(cPrior).get(0);
            if (cRange == null || !cRange.hiText().equals(xRange.hiText())) {
                diags.error(cPrior.target().span(), cPrior.target().span().text() + " must range over 1.." + xRange.hiText()
                        + ": it picks a component for each of " + x + "[" + i + "]");
            }
            Expr use = findSelectorUse(lik.dist().args().get(0));
            if (use instanceof Expr.Index cu && !(cu.indices().get(0) instanceof Expr.Name ci && ci.name().equals(i))) {
                diags.error(cu.span(), "the assignment must be indexed by the data's own index: write " + selector + "[" + i + "]");
            }
            weights = weights(cPrior, k);
            if (weights == null) return Optional.empty();
        }

        Mixture.Components comps = switch (lik.dist().name()) {
            case "Normal" -> normal(lik, compPrior, roles);
            case "MvNormal" -> mvNormal(lik, compPrior, roles, d);
            default -> linear(compPrior, Registry.linear(lik.dist().name()).orElseThrow());
        };
        if (comps == null || diags.hasErrors()) return Optional.empty();
        checkJoints(comps);
        Map<String, double[]> fixed = fixedValues(k, selector, comps, weights, d);
        if (diags.hasErrors()) return Optional.empty();

        Mixture numbers = new Mixture(x, xRange.hiText(), k, Optional.ofNullable(selector), weights, comps, fixed, List.of());
        PlanText text = new PlanText(model, numbers, lik, compPrior, cPrior, matched, roles);
        List<CaviPlan.Update> updates = text.updates();
        // the runtime runs the updates the plan prints, in the printed order
        Mixture mix = numbers.withSchedule(updates.stream().map(CaviPlan.Update::targets).toList());
        return Optional.of(new CaviPlan(model.name(), text.pattern(), text.reference(), text.factors(), updates,
                text.elbo(), text.derivations(), mix));
    }

    private static Expr findSelectorUse(Expr mean) {
        return mean instanceof Expr.Index outer && outer.indices().get(0) instanceof Expr.Index inner ? inner : null;
    }

    /** K: the component latent's plate (a constant), or 1 when there is no assignment. */
    private int components(Stmt.Tilde compPrior, String selector) {
        List<CheckedModel.Range> rs = model.ranges().get(compPrior);
        String latent = compPrior.target().span().text();
        if (selector == null) {
            if (!rs.isEmpty()) {
                diags.error(compPrior.target().span(), latent + " has a plate but no assignment picks one of them per "
                        + "data point; write " + compPrior.target().name() + "[c[i]] with c[i] ~ Categorical(...)");
                return -1;
            }
            return 1;
        }
        if (rs.isEmpty()) {
            diags.error(compPrior.target().span(), latent + " is picked by an assignment, so it needs a plate: "
                    + compPrior.target().name() + "[k] ... for k in 1..K");
            return -1;
        }
        CheckedModel.Range r = rs.get(0);
        if (r.isDataSize()) {
            diags.error(compPrior.plates().get(0).hi().span(), "the number of components must be a constant, not the data size "
                    + r.sizeName());
            return -1;
        }
        if (r.hiValue() > MAX_COMPONENTS) {
            diags.error(compPrior.plates().get(0).hi().span(), r.hiText() + " = " + r.hiValue()
                    + " components is more than cavi supports (" + MAX_COMPONENTS + ")");
            return -1;
        }
        return r.hiValue();
    }

    private Mixture.Weights weights(Stmt.Tilde cPrior, int k) {
        Expr arg = cPrior.dist().args().get(0);
        if (arg instanceof Expr.Name n && model.latents().containsKey(n.name())) {
            Stmt.Tilde piPrior = model.latents().get(n.name());
            if (!piPrior.target().indices().isEmpty()) {
                diags.error(piPrior.target().span(), n.name() + " is a probability vector: declare it without a plate, "
                        + n.name() + " ~ " + (piPrior.dist().name().equals("StickBreaking") ? "StickBreaking" : "Dirichlet")
                        + "(alpha, K)");
                return null;
            }
            if (piPrior.dist().name().equals("StickBreaking")) {
                Double alpha = stickBreaking(piPrior, k);
                return alpha == null ? null : new Mixture.Weights.StickBreaking(n.name(), alpha);
            }
            double[] alpha = dirichlet(piPrior, k);
            return alpha == null ? null : new Mixture.Weights.Dirichlet(n.name(), alpha);
        }
        Optional<Value> v = eval.eval(arg);
        if (v.isEmpty()) return null;
        double[] lp = new double[k];
        if (v.get() instanceof Value.Scalar s) {
            if (s.value() != k) {
                diags.error(arg.span(), "Categorical(" + arg.span().text() + ") has " + Plural.of(s.value(), "category")
                        + " but there " + (k == 1 ? "is " : "are ") + Plural.of(k, "component"));
                return null;
            }
            java.util.Arrays.fill(lp, -Math.log(k));
            return new Mixture.Weights.Fixed(lp);
        }
        if (!(v.get() instanceof Value.Vec pv)) {
            diags.error(arg.span(), "Categorical takes a number of categories or a probability vector, not a matrix");
            return null;
        }
        double[] p = pv.elems();
        if (p.length != k) {
            diags.error(arg.span(), "Categorical has " + Plural.of(p.length, "probability") + " but there "
                    + (k == 1 ? "is " : "are ") + Plural.of(k, "component"));
            return null;
        }
        double sum = 0;
        for (double q : p) {
            if (!(q > 0)) {
                diags.error(arg.span(), "every probability of a Categorical must be positive; found " + Value.format(q));
                return null;
            }
            sum += q;
        }
        if (Math.abs(sum - 1) > 1e-9) {
            diags.error(arg.span(), "the probabilities of a Categorical must sum to 1; these sum to " + sum);
            return null;
        }
        for (int j = 0; j < k; j++) lp[j] = Math.log(p[j]);
        return new Mixture.Weights.Fixed(lp);
    }

    /** The largest total concentration of the weights' prior: q adds the counts to it, and digamma takes its sum. */
    static final double MAX_CONCENTRATION = 1e300;

    /** StickBreaking(alpha, K): the concentration alpha > 0, and K the number of components. */
    private Double stickBreaking(Stmt.Tilde piPrior, int k) {
        List<Expr> args = piPrior.dist().args();
        Optional<Double> alpha = eval.scalar(args.get(0));
        Optional<Double> size = eval.scalar(args.get(1));
        if (alpha.isEmpty() || size.isEmpty()) return null;
        if (!(alpha.get() > 0) || alpha.get().isInfinite()) {
            diags.error(args.get(0).span(), "the concentration of StickBreaking must be a positive number; "
                    + shown(args.get(0), alpha.get()));
            return null;
        }
        if (alpha.get() > MAX_CONCENTRATION) {
            diags.error(args.get(0).span(), "the concentration of StickBreaking is at most 1e300, beyond which the fit's "
                    + "arithmetic overflows; " + shown(args.get(0), alpha.get()));
            return null;
        }
        if (size.get() != k) {
            diags.error(args.get(1).span(), "StickBreaking(" + args.get(0).span().text() + ", " + args.get(1).span().text()
                    + ") has " + Plural.of(size.get(), "stick") + " but there " + (k == 1 ? "is " : "are ") + Plural.of(k, "component"));
            return null;
        }
        return alpha.get();
    }

    /** Dirichlet(alpha, K) (symmetric) or Dirichlet([a1, ..., aK]). */
    private double[] dirichlet(Stmt.Tilde piPrior, int k) {
        List<Expr> args = piPrior.dist().args();
        Optional<Value> a = eval.eval(args.get(0));
        if (a.isEmpty()) return null;
        double[] alpha;
        if (args.size() == 2) {
            Optional<Double> size = eval.scalar(args.get(1));
            if (!(a.get() instanceof Value.Scalar s)) {
                diags.error(args.get(0).span(), "Dirichlet(alpha, K) takes a number alpha; give a vector alone as Dirichlet([..])");
                return null;
            }
            if (size.isEmpty()) return null;
            if (size.get() != k) {
                diags.error(args.get(1).span(), "Dirichlet(" + args.get(0).span().text() + ", " + args.get(1).span().text()
                        + ") has " + Plural.of(size.get(), "category") + " but there " + (k == 1 ? "is " : "are ") + Plural.of(k, "component"));
                return null;
            }
            alpha = new double[k];
            java.util.Arrays.fill(alpha, s.value());
        } else {
            if (!(a.get() instanceof Value.Vec v)) {
                diags.error(args.get(0).span(), "Dirichlet with one argument takes a vector, Dirichlet([a1, ..., aK]); "
                        + "a symmetric one is Dirichlet(alpha, K)");
                return null;
            }
            alpha = v.elems();
            if (alpha.length != k) {
                diags.error(args.get(0).span(), "Dirichlet has " + Plural.of(alpha.length, "concentration") + " but there "
                        + (k == 1 ? "is " : "are ") + Plural.of(k, "component"));
                return null;
            }
        }
        double total = 0;
        for (double v : alpha) {
            if (!(v > 0)) {
                diags.error(piPrior.dist().span(), "the concentrations of a Dirichlet must be positive; found " + Value.format(v));
                return null;
            }
            total += v;
        }
        // q's concentrations are these plus the counts, and E[log pi] takes ψ of their sum
        if (!(total <= MAX_CONCENTRATION)) {
            diags.error(piPrior.dist().span(), "the concentrations of this Dirichlet add up to "
                    + (Double.isInfinite(total) ? "more than doubles hold" : Value.format(total))
                    + ", beyond what the fit's arithmetic takes (at most 1e300); weights that certain are fixed: "
                    + "write Categorical(K) for equal weights, or Categorical([p1, ..., pK])");
            return null;
        }
        return alpha;
    }

    private Mixture.Components normal(Stmt.Tilde lik, Stmt.Tilde muPrior, Map<String, List<Role>> roles) {
        String mu = muPrior.target().name();
        Expr m0Expr = muPrior.dist().args().get(0);
        Expr vExpr = muPrior.dist().args().get(1);
        Optional<Double> m0 = eval.scalar(m0Expr);
        Optional<Role.PriorPrecision> scaled = first(roles, Role.PriorPrecision.class);
        Optional<Role.Precision> precisionRole = first(roles, Role.Precision.class);
        Expr likVar = lik.dist().args().get(1);

        NormalPrior.Precision precision;
        if (precisionRole.isPresent()) {
            String tau = precisionRole.get().latent();
            Optional<double[]> ab = gammaParams(model.latents().get(tau));
            if (ab.isEmpty()) return null;
            if (scaled.isPresent() && !scaled.get().latent().equals(tau)) {
                diags.error(vExpr.span(), "the precision in the prior of " + muPrior.target().span().text() + " must be "
                        + tau + ", the likelihood's precision");
                return null;
            }
            if (!samePlate(model.latents().get(tau), muPrior)) return null;
            precision = new NormalPrior.Precision.Gamma(tau, ab.get()[0], ab.get()[1]);
        } else {
            Optional<Double> v = positive(eval.scalar(likVar), likVar, "the variance of " + lik.target().span().text());
            if (v.isEmpty()) return null;
            precision = new NormalPrior.Precision.Known(1 / v.get());
            if (scaled.isPresent()) {
                diags.error(vExpr.span(), scaled.get().latent() + " scales the prior of " + muPrior.target().span().text()
                        + " but is not the precision of the likelihood; write " + lik.target().span().text()
                        + " ~ Normal(..., 1/" + scaled.get().latent() + "...)");
                return null;
            }
        }
        NormalPrior.MeanPrior meanPrior;
        if (scaled.isPresent()) {
            Optional<Double> beta0 = beta0(scaled.get());
            if (beta0.isEmpty()) return null;
            meanPrior = new NormalPrior.MeanPrior.Scaled(beta0.get());
        } else {
            Optional<Double> v = positive(eval.scalar(vExpr), vExpr, "the prior variance of " + muPrior.target().span().text());
            if (v.isEmpty()) return null;
            meanPrior = new NormalPrior.MeanPrior.Variance(v.get());
        }
        if (m0.isEmpty()) return null;
        boolean joint = inJointFactor(mu);
        return new Mixture.Components.Normal(mu, m0.get(), meanPrior, precision, joint);
    }

    private Mixture.Components mvNormal(Stmt.Tilde lik, Stmt.Tilde muPrior, Map<String, List<Role>> roles, int d) {
        String mu = muPrior.target().name();
        if (!muPrior.dist().name().equals("MvNormal")) return null;
        Expr m0Expr = muPrior.dist().args().get(0);
        Expr covExpr = muPrior.dist().args().get(1);
        Optional<Role.PriorPrecision> scaled = first(roles, Role.PriorPrecision.class);
        Optional<Role.Precision> precisionRole = first(roles, Role.Precision.class);
        Optional<double[]> m0 = vectorOf(m0Expr, d, "the prior mean of " + muPrior.target().span().text());
        NormalPrior.MvPrecision precision;
        if (precisionRole.isPresent()) {
            String lam = precisionRole.get().latent();
            Stmt.Tilde lamPrior = model.latents().get(lam);
            Expr nuExpr = lamPrior.dist().args().get(0), wExpr = lamPrior.dist().args().get(1);
            Optional<Double> nu = eval.scalar(nuExpr);
            Optional<double[][]> w = spd(wExpr, d, "the scale matrix of " + lamPrior.target().span().text());
            if (nu.isEmpty() || w.isEmpty()) return null;
            if (!(nu.get() > d - 1)) {
                diags.error(nuExpr.span(), "a Wishart in " + d + " dimensions needs nu > " + (d - 1) + ", not " + shown(nuExpr, nu.get()));
                return null;
            }
            if (scaled.isPresent() && !scaled.get().latent().equals(lam)) {
                diags.error(covExpr.span(), "the precision in the prior of " + muPrior.target().span().text() + " must be "
                        + lam + ", the likelihood's precision");
                return null;
            }
            if (!samePlate(lamPrior, muPrior)) return null;
            precision = new NormalPrior.MvPrecision.Wishart(lam, nu.get(), w.get());
        } else {
            Expr cov = lik.dist().args().get(1);
            Optional<double[][]> sigma = spd(cov, d, "the covariance of " + lik.target().span().text());
            if (sigma.isEmpty()) return null;
            if (scaled.isPresent()) {
                diags.error(covExpr.span(), scaled.get().latent() + " scales the prior of " + muPrior.target().span().text()
                        + " but is not the precision of the likelihood");
                return null;
            }
            // the Cholesky inverse of the positive-definite covariance: Commons Math's LU inverse gave NaN for
            // 1e155*eye(2) and −1e-154·I for 1e154*eye(2) (its norms overflow)
            double[][] lambda = org.cavi.family.Dense.inverse(sigma.get());
            precision = new NormalPrior.MvPrecision.Known(lambda);
        }
        NormalPrior.MvMeanPrior meanPrior;
        if (scaled.isPresent()) {
            Optional<Double> beta0 = beta0(scaled.get());
            if (beta0.isEmpty()) return null;
            meanPrior = new NormalPrior.MvMeanPrior.Scaled(beta0.get());
        } else {
            Optional<double[][]> s0 = spd(covExpr, d, "the prior covariance of " + muPrior.target().span().text());
            if (s0.isEmpty()) return null;
            meanPrior = new NormalPrior.MvMeanPrior.Covariance(s0.get());
        }
        if (m0.isEmpty()) return null;
        boolean joint = inJointFactor(mu);
        return new Mixture.Components.MvNormal(mu, d, m0.get(), meanPrior, precision, joint);
    }

    /** beta0 of a prior Normal(m0, 1/(beta0*tau)): its constant, or 1 when written 1/tau. */
    private Optional<Double> beta0(Role.PriorPrecision scaled) {
        Expr b0 = scaled.beta0();
        return b0 == null ? Optional.of(1.0) : positive(eval.scalar(b0), b0, "beta0");
    }

    private boolean inJointFactor(String latent) {
        return model.joints().stream().anyMatch(j -> j.members().stream().anyMatch(t -> t.name().equals(latent)));
    }

    /** A constant vector of length d (a number stands for d copies of itself). */
    private Optional<double[]> vectorOf(Expr e, int d, String what) {
        Optional<Value> v = eval.eval(e);
        if (v.isEmpty()) return Optional.empty();
        if (v.get() instanceof Value.Scalar s) {
            double[] out = new double[d];
            java.util.Arrays.fill(out, s.value());
            return Optional.of(out);
        }
        if (v.get() instanceof Value.Vec vec && vec.length() == d) return Optional.of(vec.elems());
        diags.error(e.span(), what + " must be a vector of length " + d + ", like zeros(" + d + ")");
        return Optional.empty();
    }

    /** A constant symmetric positive-definite d×d matrix. */
    private Optional<double[][]> spd(Expr e, int d, String what) {
        Optional<Value> v = eval.eval(e);
        if (v.isEmpty()) return Optional.empty();
        if (!(v.get() instanceof Value.Mat m) || m.size() != d || m.rows()[0].length != d) {
            diags.error(e.span(), what + " must be a " + d + "×" + d + " matrix, like eye(" + d + ")");
            return Optional.empty();
        }
        double[][] a = m.rows();
        // both checks are relative to the matrix's scale: 1e-15·eye(2) is a valid scale matrix in
        // the units of large data, and numpy's inv(cov) is symmetric only to rounding
        double scale = 0;
        for (double[] row : a) for (double x : row) scale = Math.max(scale, Math.abs(x));
        if (!(scale > 0) || !Double.isFinite(scale)) {
            diags.error(e.span(), what + " must be positive definite" + (Double.isFinite(scale) ? "" : ", with finite entries"));
            return Optional.empty();
        }
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                if (Math.abs(a[i][j] - a[j][i]) > 1e-10 * scale) {
                    diags.error(e.span(), what + " must be symmetric; entries (" + (i + 1) + "," + (j + 1) + ") and (" + (j + 1) + ","
                            + (i + 1) + ") are " + Value.format(a[i][j]) + " and " + Value.format(a[j][i]));
                    return Optional.empty();
                }
            }
        }
        double[][] sym = org.cavi.family.Dense.symmetrised(a);
        try {
            new org.apache.commons.math3.linear.CholeskyDecomposition(new org.apache.commons.math3.linear.Array2DRowRealMatrix(sym),
                    1e-10, 1e-14 * scale);
        } catch (RuntimeException ex) {
            diags.error(e.span(), what + " must be positive definite");
            return Optional.empty();
        }
        a = sym;
        return Optional.of(a);
    }

    private boolean samePlate(Stmt.Tilde a, Stmt.Tilde b) {
        List<CheckedModel.Range> ra = model.ranges().get(a), rb = model.ranges().get(b);
        String ta = ra.isEmpty() ? "" : ra.get(0).hiText(), tb = rb.isEmpty() ? "" : rb.get(0).hiText();
        if (!ta.equals(tb)) {
            diags.error(a.target().span(), a.target().span().text() + " must have the same plate as "
                    + b.target().span().text() + (tb.isEmpty() ? " (none)" : " (1.." + tb + ")"));
            return false;
        }
        return true;
    }

    /** Gamma(shape, rate) with constant, positive parameters. */
    private Optional<double[]> gammaParams(Stmt.Tilde prior) {
        return positivePair(prior, "shape", "rate");
    }

    /** The conjugate prior of a linear likelihood's parameter: Beta(a, b), Gamma(shape, rate), … */
    private Mixture.Components linear(Stmt.Tilde prior, LinearLikelihood lik) {
        String[] names = lik.prior().parameterNames();
        Optional<double[]> ab = positivePair(prior, names[0], names[1]);
        if (ab.isEmpty()) return null;
        return new Mixture.Components.Linear(prior.target().name(), lik, ab.get()[0], ab.get()[1]);
    }

    /** A prior's two constant, positive parameters, named for the messages. */
    private Optional<double[]> positivePair(Stmt.Tilde prior, String first, String second) {
        // "the shape of the Gamma prior of rate", "the parameter a of the Beta prior of p": a bare
        // one-letter name ("the a of p") does not read as a parameter
        String of = " of the " + prior.dist().name() + " prior of " + prior.target().span().text();
        Optional<Double> a = positive(eval.scalar(prior.dist().args().get(0)), prior.dist().args().get(0), "the " + parameter(first) + of);
        Optional<Double> b = positive(eval.scalar(prior.dist().args().get(1)), prior.dist().args().get(1), "the " + parameter(second) + of);
        return a.isPresent() && b.isPresent() ? Optional.of(new double[] {a.get(), b.get()}) : Optional.empty();
    }

    private static String parameter(String name) {
        return name.length() == 1 ? "parameter " + name : name;
    }

    private Optional<Double> positive(Optional<Double> v, Expr at, String what) {
        if (v.isPresent() && !(v.get() > 0)) {
            String value = shown(at, v.get());
            // "must be positive, not -1"; an expression keeps its text: "must be positive; sigma^2 = 0"
            diags.error(at.span(), what + " must be positive" + (value.contains(" = ") ? "; " : ", not ") + value);
            return Optional.empty();
        }
        return v;
    }

    /** Why fixed values cannot come from a prior of this family, or null if they can. */
    private static String outsideSupport(String family, double[] v) {
        double sum = 0;
        for (double x : v) {
            if (!Double.isFinite(x)) return "values must be finite numbers";
            if (family.equals("Gamma") && !(x > 0)) return "a Gamma latent is positive, not " + Value.format(x);
            if (family.equals("Beta") && !(x >= 0 && x <= 1)) return "a Beta latent is in [0, 1], not " + Value.format(x);
            if ((family.equals("Dirichlet") || family.equals("StickBreaking")) && !(x > 0)) return "probabilities must be positive, not " + Value.format(x);
            sum += x;
        }
        if ((family.equals("Dirichlet") || family.equals("StickBreaking")) && Math.abs(sum - 1) > 1e-9) return "probabilities must sum to 1; these sum to " + sum;
        return null;
    }

    /** An expression and its value: "sigma^2 = 0", or just "0" when the text is the number. */
    private static String shown(Expr e, double v) {
        return e instanceof Expr.Num || e instanceof Expr.Neg n && n.operand() instanceof Expr.Num
                ? Value.format(v) : e.span().text() + " = " + Value.format(v);
    }

    /** Joint factors cavi can update as a block: q(mu, tau) under the Normal-Gamma (or Normal-Wishart) prior. */
    private void checkJoints(Mixture.Components comps) {
        for (Stmt.Joint j : model.joints()) {
            List<String> names = j.members().stream().map(Stmt.Target::name).sorted().toList();
            boolean normalGamma = comps instanceof Mixture.Components.Normal n && n.meanPrior() instanceof NormalPrior.MeanPrior.Scaled
                    && n.precision() instanceof NormalPrior.Precision.Gamma g
                    && names.equals(java.util.stream.Stream.of(n.mean(), g.name()).sorted().toList());
            boolean normalWishart = comps instanceof Mixture.Components.MvNormal n && n.meanPrior() instanceof NormalPrior.MvMeanPrior.Scaled
                    && n.precision() instanceof NormalPrior.MvPrecision.Wishart w
                    && names.equals(java.util.stream.Stream.of(n.mean(), w.name()).sorted().toList());
            if (!normalGamma && !normalWishart) {
                diags.error(j.span(), j.span().text() + " is not a block cavi can update jointly; a joint factor needs the "
                        + "Normal-Gamma prior: mu[k] ~ Normal(m0, 1/(beta0*tau[k])) with tau[k] ~ Gamma(a, b), and q(mu[k], tau[k]) "
                        + "(or its multivariate form with MvNormal(m0, inv(beta0*Lambda[k])) and Lambda[k] ~ Wishart(nu, W))");
            }
        }
    }

    /** Latents fixed with --set: vectors of the right length and range. */
    private Map<String, double[]> fixedValues(int k, String selector, Mixture.Components comps, Mixture.Weights weights, int d) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Value> e : model.fixed().entrySet()) {
            String name = e.getKey();
            Stmt.Tilde prior = model.latents().get(name);
            Span at = prior.target().span();
            if (comps instanceof Mixture.Components.MvNormal mvn) {
                if (mvn.precision() instanceof NormalPrior.MvPrecision.Wishart w && name.equals(w.name())) {
                    diags.error(at, "--set " + name + ": a precision matrix per component cannot be fixed; "
                            + "give the likelihood a constant covariance instead");
                    continue;
                }
                if (name.equals(mvn.mean())) {
                    if (!(e.getValue() instanceof Value.Mat mat) || mat.size() != k || mat.rows()[0].length != d) {
                        diags.error(at, "--set " + name + " needs a " + k + "×" + d + " matrix, one row per component: [[..], [..]]");
                        continue;
                    }
                    double[] flat = new double[k * d];
                    double[][] rows = mat.rows();
                    for (int j = 0; j < k; j++) System.arraycopy(rows[j], 0, flat, j * d, d);
                    out.put(name, flat);
                    continue;
                }
            }
            if (e.getValue() instanceof Value.Mat) {
                diags.error(at, "--set " + name + " takes a number or a vector, not a matrix");
                continue;
            }
            double[] v = e.getValue() instanceof Value.Vec vec ? vec.elems() : new double[] {((Value.Scalar) e.getValue()).value()};
            if (name.equals(selector)) {
                for (double c : v) {
                    if (c != Math.rint(c) || c < 1 || c > k) {
                        diags.error(at, "--set " + name + ": assignments are whole numbers in 1.." + k + ", not " + Value.format(c));
                        return out;
                    }
                }
                out.put(name, v);
                continue;
            }
            int want = weights instanceof Mixture.Weights.Dirichlet dir && dir.name().equals(name) ? k
                    : weights instanceof Mixture.Weights.StickBreaking sb && sb.name().equals(name) ? k
                    : prior.target().indices().isEmpty() ? 1 : k;
            if (v.length != want) {
                diags.error(at, "--set " + name + " gives " + Plural.of(v.length, "value") + " but " + at.text() + " has " + want);
                continue;
            }
            String bad = outsideSupport(prior.dist().name(), v);
            if (bad != null) {
                diags.error(at, "--set " + name + ": " + bad);
                continue;
            }
            out.put(name, v);
        }
        return out;
    }
}

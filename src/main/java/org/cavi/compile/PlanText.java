package org.cavi.compile;

import org.cavi.family.NormalPrior;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cavi.ast.Expr;
import org.cavi.ast.Stmt;
import org.cavi.check.CheckedModel;
import org.cavi.family.LinearLikelihood;
import org.cavi.family.NormalGammaComponents;
import org.cavi.family.NormalWishartComponents;
import org.cavi.family.PlanSymbols;
import org.cavi.family.PositiveFamily;
import org.cavi.family.Registry;
import org.cavi.plan.CaviPlan;
import org.cavi.plan.Mixture;

/** Writes the plan's factors, updates and ELBO terms with the model's own names and constants. */
final class PlanText {
    private final Mixture mix;
    private final Stmt.Tilde lik, compPrior, cPrior;
    private final Map<String, Rules.Rule> matched;
    private final Map<String, List<Role>> roles;
    private final CheckedModel model;
    private final String x, i, n, k, bigK, comp, c;
    private final boolean plate;
    /**
     * The plan's own symbols: the q's parameters (m, s2, V, a, b, beta, nu, W, alpha, phi), the
     * prior concentrations alpha0 and the sums N, S. A symbol that equals a name the model declares
     * (a constant, data, size, latent or plate index) gets a prime, m', which no model name can have.
     */
    private final String M, S2, V, A, B, BETA, NU, W, ALPHA, ALPHA0, PHI, N, S, G1, G2, VS;

    PlanText(CheckedModel model, Mixture mix, Stmt.Tilde lik, Stmt.Tilde compPrior, Stmt.Tilde cPrior,
             Map<String, Rules.Rule> matched, Map<String, List<Role>> roles) {
        this.roles = roles;
        this.model = model;
        this.mix = mix;
        this.lik = lik;
        this.compPrior = compPrior;
        this.cPrior = cPrior;
        this.matched = matched;
        this.x = lik.target().name();
        CheckedModel.Range xr = model.ranges().get(lik).get(0);
        this.i = xr.var();
        this.n = xr.hiText();
        List<CheckedModel.Range> cr = model.ranges().get(compPrior);
        this.plate = !cr.isEmpty();
        this.k = plate ? cr.get(0).var() : "k";
        this.bigK = plate ? cr.get(0).hiText() : "1";
        this.comp = compPrior.target().name();
        this.c = cPrior == null ? null : cPrior.target().name();
        java.util.Set<String> names = declaredNames(model);
        java.util.function.UnaryOperator<String> sym = base -> names.contains(base) ? base + "'" : base;
        M = sym.apply("m");
        S2 = sym.apply("s2");
        V = sym.apply("V");
        A = sym.apply("a");
        B = sym.apply("b");
        BETA = sym.apply("beta");
        NU = sym.apply("nu");
        W = sym.apply("W");
        ALPHA = sym.apply("alpha");
        ALPHA0 = sym.apply("alpha0");
        PHI = sym.apply("phi");
        N = sym.apply("N");
        S = sym.apply("S");
        G1 = sym.apply("gamma1");
        G2 = sym.apply("gamma2");
        VS = sym.apply("v");
    }

    /** Every name the model declares: constants, data, data sizes, latents, plate indices. */
    static java.util.Set<String> declaredNames(CheckedModel model) {
        java.util.Set<String> names = new java.util.HashSet<>(model.constants().keySet());
        names.addAll(model.data().keySet());
        names.addAll(model.latents().keySet());
        for (Stmt.DataDecl d : model.data().values()) {
            for (Expr e : d.dims()) if (e instanceof Expr.Name nm) names.add(nm.name());
        }
        for (List<CheckedModel.Range> rs : model.ranges().values()) {
            for (CheckedModel.Range r : rs) {
                names.add(r.var());
                if (r.sizeName() != null) names.add(r.sizeName());
            }
        }
        return names;
    }

    /** name[k], or name alone for a single component. */
    private String at(String name) { return plate ? name + "[" + k + "]" : name; }
    private String atIk(String name) { return plate ? name + "[" + i + "," + k + "]" : name + "[" + i + "]"; }
    private String sumK(String body) { return plate ? "Σ_" + k + " " + body : body; }
    private String xi() { return x + "[" + i + "]"; }

    /** A constant's source text, in parentheses unless it is a single name or number. */
    private static String p(Expr e) {
        String s = e.span().text().trim();
        return s.matches("[A-Za-z_0-9.]+") ? s : "(" + s + ")";
    }

    private static String p(String s) { return s.matches("[A-Za-z_0-9.]+") ? s : "(" + s + ")"; }

    String pattern() {
        if (mix.components() instanceof Mixture.Components.MvNormal mv) {
            String base = (c == null ? "multivariate Normal model" : "Bayesian mixture of multivariate Gaussians") + " in D = " + mv.d();
            return base + NormalWishartComponents.pattern(mv.meanPrior(), mv.precision(), mv.joint()) + weightsText();
        }
        String family = lik.dist().name().equals("Normal") ? "Gaussian" : lik.dist().name();
        StringBuilder s = new StringBuilder(mix.selector().isPresent() ? "Bayesian mixture of " + family + "s" : "conjugate " + family + " model");
        if (mix.components() instanceof Mixture.Components.Normal nc) s.append(NormalGammaComponents.pattern(nc.meanPrior(), nc.precision(), nc.joint()));
        s.append(weightsText());
        return s.toString();
    }

    /** Where the literature has this pattern's updates. */
    String reference() {
        boolean mixture = c != null;
        boolean dirichlet = mix.weights() instanceof Mixture.Weights.Dirichlet;
        List<String> refs = new ArrayList<>();
        if (mix.components() instanceof Mixture.Components.MvNormal mv) {
            refs.addAll(NormalWishartComponents.references(mv.meanPrior(), mv.precision(), mv.joint(), mixture, dirichlet));
        } else if (mix.components() instanceof Mixture.Components.Normal nc) {
            refs.addAll(NormalGammaComponents.references(nc.meanPrior(), nc.precision(), nc.joint(), mixture, dirichlet));
        } else {
            refs.addAll(((Mixture.Components.Linear) mix.components()).likelihood().references());
            if (mixture) { refs.add(Registry.VMP); if (dirichlet) refs.add(Registry.PRML + ", §10.2 (Dirichlet weights)"); }
        }
        return String.join("; ", refs);
    }


    private String weightsText() {
        if (mix.weights() instanceof Mixture.Weights.Dirichlet) return ", Dirichlet weights";
        if (mix.weights() instanceof Mixture.Weights.StickBreaking) {
            return ", stick-breaking (Dirichlet process) weights truncated to " + mix.k() + " components";
        }
        return "";
    }

    /** Another index than k, for sums over the other sticks. */
    private String j() { return k.equals("j") ? "l" : "j"; }

    /** The concentration of a StickBreaking prior, as written. */
    private String sbAlpha(Mixture.Weights.StickBreaking sb) {
        return p(model.latents().get(sb.name()).dist().args().get(0));
    }

    private String elogV(String at) { return "(ψ(" + G1 + "[" + at + "]) − ψ(" + G1 + "[" + at + "] + " + G2 + "[" + at + "]))"; }
    private String elog1mV(String at) { return "(ψ(" + G2 + "[" + at + "]) − ψ(" + G1 + "[" + at + "] + " + G2 + "[" + at + "]))"; }

    private String plateText() {
        return plate ? k + " in 1.." + bigK + (bigK.matches("\\d+") ? "" : " (" + bigK + " = " + mix.k() + ")") : "";
    }

    private String lambdaName() {
        return mix.components() instanceof Mixture.Components.MvNormal mv && mv.precision() instanceof NormalPrior.MvPrecision.Wishart w
                ? w.name() : null;
    }

    List<CaviPlan.QFactor> factors() {
        List<CaviPlan.QFactor> out = new ArrayList<>();
        List<PlanSymbols.Factor> unit = null;
        if (mix.components() instanceof Mixture.Components.MvNormal mv) {
            String fixed = null;
            if (mix.fixed().containsKey(mv.mean())) {
                double[] flat = mix.fixed().get(mv.mean());
                double[][] rows = new double[flat.length / mv.d()][mv.d()];
                for (int r = 0; r < rows.length; r++) System.arraycopy(flat, r * mv.d(), rows[r], 0, mv.d());
                fixed = new org.cavi.check.Value.Mat(rows).toString();
            }
            unit = NormalWishartComponents.factors(mv.precision(), mv.joint(), fixed, symbols());
        } else if (mix.components() instanceof Mixture.Components.Normal nc) {
            String fixed = mix.fixed().containsKey(nc.mean()) ? new org.cavi.check.Value.Vec(mix.fixed().get(nc.mean())).toString() : null;
            unit = NormalGammaComponents.factors(nc.precision(), nc.joint(), fixed, symbols());
        } else {
            PositiveFamily fam = ((Mixture.Components.Linear) mix.components()).likelihood().prior();
            String[] names = fam.parameterNames();
            out.add(new CaviPlan.QFactor(at(comp), fam.name(), at(A) + ", " + at(B)
                    + (names[0].equals("a") ? "" : "  (" + names[0] + ", " + names[1] + ")"), plateText(), false));
        }
        if (unit != null) unit.forEach(f -> out.add(new CaviPlan.QFactor(f.latent(), f.family(), f.parameters(), plateText(), f.fixed())));
        if (mix.weights() instanceof Mixture.Weights.Dirichlet d) {
            out.add(new CaviPlan.QFactor(d.name(), "Dirichlet", ALPHA, "", false));
        }
        if (mix.weights() instanceof Mixture.Weights.StickBreaking sb) {
            out.add(new CaviPlan.QFactor(sb.name(), "StickBreaking", "Beta(" + G1 + "[" + k + "], " + G2 + "[" + k + "]) for each stick " + VS + "[" + k
                    + "];  " + sb.name() + "[" + k + "] = " + VS + "[" + k + "]·Π_{" + j() + "<" + k + "} (1 − " + VS + "[" + j() + "])",
                    plateText(), false));
        }
        if (c != null) out.add(new CaviPlan.QFactor(c + "[" + i + "]", "Categorical", PHI + "[" + i + "]", i + " in 1.." + n, false));
        return List.copyOf(out);
    }

    /** E[log pi[k]] in the model's names. */
    private String elogPi() {
        if (mix.weights() instanceof Mixture.Weights.Dirichlet) return "(ψ(" + ALPHA + "[" + k + "]) − ψ(Σ " + ALPHA + "))";
        if (mix.weights() instanceof Mixture.Weights.StickBreaking) {
            return "(" + elogV(k) + " + Σ_{" + j() + "<" + k + "} " + elog1mV(j()) + ")";
        }
        Expr arg = cPrior.dist().args().get(0);
        if (arg instanceof Expr.Vector) return "log π[" + k + "]";
        return "log(1/" + p(arg) + ")";
    }

    List<CaviPlan.Update> updates() {
        List<CaviPlan.Update> out = new ArrayList<>();
        int step = 1;
        if (c != null) {
            out.add(new CaviPlan.Update(step++, c + "[" + i + "]", matched.get(c).name(), List.of(
                    atIk(PHI) + " ∝ exp( " + elogPi() + join(expectedLogLik()) + " )   for " + i + " in 1.." + n + ", " + k + " in 1.." + bigK,
                    paperForm(),
                    "normalised over " + k + " with log-sum-exp (the row maximum is subtracted before exp)",
                    // the pass sums phi as it goes: the sums every later update reads
                    N + "[" + k + "] = Σ_" + i + " " + atIk(PHI) + ",   " + S + "[" + k + "] = Σ_" + i + " " + atIk(PHI) + "·" + xi()).stream()
                    .filter(t -> !t.isEmpty()).toList()));
        }
        String nk = c == null ? n : N + "[" + k + "]";
        String sk = c == null ? "Σ_" + i + " " + xi() : S + "[" + k + "]";
        List<String> sums = c == null ? List.of(S + " = Σ_" + i + " " + xi()) : List.of();
        if (mix.weights() instanceof Mixture.Weights.Dirichlet d) {
            Stmt.Tilde piPrior = model.latents().get(d.name());
            String a0 = piPrior.dist().args().size() == 2 ? p(piPrior.dist().args().get(0)) : ALPHA0 + "[" + k + "]";
            out.add(new CaviPlan.Update(step++, d.name(), matched.get(d.name()).name(), List.of(
                    ALPHA + "[" + k + "] = " + a0 + " + " + N + "[" + k + "]" + (piPrior.dist().args().size() == 2 ? ""
                            : ",   " + ALPHA0 + " = " + piPrior.dist().args().get(0).span().text()),
                    "E[log " + d.name() + "[" + k + "]] = ψ(" + ALPHA + "[" + k + "]) − ψ(Σ_" + k + " " + ALPHA + "[" + k + "])")));
        }
        if (mix.weights() instanceof Mixture.Weights.StickBreaking sb) {
            String j = j();
            out.add(new CaviPlan.Update(step++, sb.name(), matched.get(sb.name()).name(), List.of(
                    G1 + "[" + k + "] = 1 + " + N + "[" + k + "],   " + G2 + "[" + k + "] = " + sbAlpha(sb) + " + Σ_{" + j + ">" + k + "} "
                            + N + "[" + j + "]   for " + k + " in 1.." + bigK + " (the last stick too: " + G2 + "[" + bigK + "] = "
                            + sbAlpha(sb) + ")",
                    "E[log " + sb.name() + "[" + k + "]] = " + elogV(k).replaceAll("^\\(|\\)$", "") + " + Σ_{" + j + "<" + k + "} "
                            + elog1mV(j))));
        }
        List<PlanSymbols.Step> normal = null;
        if (mix.components() instanceof Mixture.Components.MvNormal mv) {
            normal = NormalWishartComponents.updates(mv.meanPrior(), mv.precision(), mv.joint(), mix.fixed().containsKey(mv.mean()), symbols());
        } else if (mix.components() instanceof Mixture.Components.Normal nc) {
            normal = NormalGammaComponents.updates(nc.meanPrior(), nc.precision(), nc.joint(), mix.fixed().containsKey(nc.mean()), symbols());
        }
        if (normal != null) {
            for (PlanSymbols.Step st : normal) out.add(new CaviPlan.Update(step++, st.latent(), st.rule(), st.equations()));
        } else {
            Stmt.Tilde pr = compPrior;
            String a0 = p(pr.dist().args().get(0)), b0 = p(pr.dist().args().get(1));
            List<String> eqs = new ArrayList<>(sums);
            LinearLikelihood unit = ((Mixture.Components.Linear) mix.components()).likelihood();
            eqs.add(at(A) + " = " + a0 + plus(unit.messageText(0, nk, sk)) + ",   "
                    + at(B) + " = " + b0 + plus(unit.messageText(1, nk, sk)));
            out.add(new CaviPlan.Update(step, at(comp), matched.get(comp).name(), eqs));
        }
        return List.copyOf(out);
    }

    /** beta0 in 1/(beta0*tau[k]): its source text, or 1 for 1/tau[k]. */
    private String beta0Text(Expr v) {
        Expr den = v instanceof Expr.Call call ? call.args().get(0) : ((Expr.Binary) v).right();
        if (den instanceof Expr.Binary m && m.op() == '*') return p(isLatent(m.left()) ? m.right() : m.left());
        return "1";
    }

    private boolean isLatent(Expr e) {
        return (e instanceof Expr.Name nm && model.latents().containsKey(nm.name()))
                || (e instanceof Expr.Index ix && model.latents().containsKey(ix.name()));
    }

    /** A sum or difference in parentheses; a single term as it is. */
    private static String grouped(String s) { return s.contains(" + ") || s.contains(" − ") ? "(" + s + ")" : s; }

    private static String plus(String term) { return term.startsWith("−") ? " − " + term.substring(1) : " + " + term; }

    private static String join(String term) { return term.startsWith("−") ? " " + term : " + " + term; }

    /** For the known-variance mixture: the form Blei et al. write, for comparison. */
    private String paperForm() {
        if (!(mix.components() instanceof Mixture.Components.Normal nc) || !(nc.precision() instanceof NormalPrior.Precision.Known)
                || mix.fixed().containsKey(nc.mean())) {
            return "";
        }
        String lam = p(lik.dist().args().get(1));
        return "(the paper's form exp( " + elogPi() + " + (" + xi() + "·" + at(M) + " − (" + at(M) + "² + " + at(S2)
                + ")/2) / " + lam + " ), up to a factor constant in " + k + ")";
    }

    /** E[log p(x[i] | component k)] in the model's names. */
    private String expectedLogLik() {
        if (mix.components() instanceof Mixture.Components.MvNormal mv) {
            return NormalWishartComponents.expectedLogLik(mv.precision(), mv.joint(), mix.fixed().containsKey(mv.mean()), symbols());
        }
        if (mix.components() instanceof Mixture.Components.Normal nc) {
            return NormalGammaComponents.expectedLogLik(nc.precision(), nc.joint(), mix.fixed().containsKey(nc.mean()), symbols());
        }
        LinearLikelihood unit = ((Mixture.Components.Linear) mix.components()).likelihood();
        String[] e = unit.prior().expectationText(at(A), at(B));
        return unit.expectedLogDensity(xi(), new String[] {grouped(e[0]), grouped(e[1])});
    }

    List<CaviPlan.ElboTerm> elbo() {
        List<CaviPlan.ElboTerm> out = new ArrayList<>();
        // the likelihood depends on the assignment, the means and a learned precision
        String prec = mix.components() instanceof Mixture.Components.MvNormal ? lambdaName() : tauName();
        String given = (c == null ? comp : c + ", " + comp) + (prec == null ? "" : ", " + prec);
        String phi = c == null ? "Σ_" + i + " " : "Σ_" + i + " Σ_" + k + " " + atIk(PHI) + "·";
        String d = "(" + xi() + " − " + at(M) + ")²";
        String elogTau = "E[log " + at(tauName()) + "]", eTau = "E[" + at(tauName()) + "]";
        if (mix.components() instanceof Mixture.Components.MvNormal mv) {
            NormalWishartComponents.elboTerms(mv.meanPrior(), mv.precision(), mv.joint(), mix.fixed().containsKey(mv.mean()), symbols())
                    .forEach(t -> out.add(term(t.name(), t.formula())));
        } else if (mix.components() instanceof Mixture.Components.Normal nc) {
            NormalGammaComponents.elboTerms(nc.meanPrior(), nc.precision(), nc.joint(), mix.fixed().containsKey(nc.mean()), symbols())
                    .forEach(t -> out.add(term(t.name(), t.formula())));
        } else {
            Expr a0e = compPrior.dist().args().get(0), b0e = compPrior.dist().args().get(1);
            String a0 = p(a0e), b0 = p(b0e);
            PositiveFamily fam = ((Mixture.Components.Linear) mix.components()).likelihood().prior();
            LinearLikelihood unit = ((Mixture.Components.Linear) mix.components()).likelihood();
            String[] stat = fam.statistics(at(comp));
            String el = "E[" + stat[0] + "]", e2 = "E[" + stat[1] + "]";
            out.add(term("E[log p(" + x + " | " + given + ")]", phi + "[" + unit.expectedLogDensity(xi(), new String[] {el, e2}) + "]"
                    + unit.baseText("Σ_" + i, xi())));
            out.add(term("E[log p(" + comp + ")]", sumK(fam.priorTermText(a0, b0, el, e2))));
            out.add(term("H[q(" + comp + ")]", sumK(fam.entropyText(at(A), at(B)))));
            String[] et = fam.expectationText(at(A), at(B));
            int[] o = fam.shownOrder();
            String[] named = {el + " = " + et[0], e2 + " = " + et[1]};
            out.add(term("where", named[o[0]] + ",  " + named[o[1]]));
        }
        if (c != null) {
            out.add(term("E[log p(" + c + ")]", "Σ_" + k + " " + N + "[" + k + "]·" + elogPi()));
            if (mix.weights() instanceof Mixture.Weights.Dirichlet dir) {
                String pi = dir.name();
                Stmt.Tilde piPrior = model.latents().get(pi);
                if (piPrior.dist().args().size() == 2) {
                    // symmetric Dirichlet(a0, K): the prior's concentrations are a0, K of them
                    String a0 = p(piPrior.dist().args().get(0)), kk = p(piPrior.dist().args().get(1));
                    out.add(term("E[log p(" + pi + ")]", "log Γ(" + kk + "·" + a0 + ") − " + kk + "·log Γ(" + a0 + ") + Σ_" + k
                            + " (" + a0 + " − 1)·E[log " + pi + "[" + k + "]]"));
                } else {
                    out.add(term("E[log p(" + pi + ")]", "log Γ(Σ " + ALPHA0 + ") − Σ_" + k + " log Γ(" + ALPHA0 + "[" + k + "]) + Σ_" + k
                            + " (" + ALPHA0 + "[" + k + "] − 1)·E[log " + pi + "[" + k + "]]"));
                }
                out.add(term("H[q(" + pi + ")]", "−log Γ(Σ " + ALPHA + ") + Σ_" + k + " log Γ(" + ALPHA + "[" + k + "]) − Σ_" + k
                        + " (" + ALPHA + "[" + k + "] − 1)·E[log " + pi + "[" + k + "]]"));
            }
            if (mix.weights() instanceof Mixture.Weights.StickBreaking sb) {
                String al = sbAlpha(sb), v = VS + "[" + k + "]";
                out.add(term("E[log p(" + sb.name() + ")]", "Σ_" + k + " [log " + al + " + (" + al + " − 1)·E[log(1 − " + v
                        + ")]]   (Beta(1, " + al + ") for each stick: −log B(1, " + al + ") = log " + al + ")"));
                out.add(term("H[q(" + sb.name() + ")]", "Σ_" + k + " [" + PositiveFamily.BETA.entropyText(G1 + "[" + k + "]", G2 + "[" + k + "]")
                        + "]"));
                out.add(term("where", "E[log " + v + "] = ψ(" + G1 + "[" + k + "]) − ψ(" + G1 + "[" + k + "] + " + G2 + "[" + k + "]),  E[log(1 − " + v
                        + ")] = ψ(" + G2 + "[" + k + "]) − ψ(" + G1 + "[" + k + "] + " + G2 + "[" + k + "])"));
            }
            out.add(term("H[q(" + c + ")]", "−Σ_" + i + " Σ_" + k + " " + atIk(PHI) + "·log " + atIk(PHI)));
        }
        return List.copyOf(out);
    }

    /** The model's names and the plan's symbols, for a family unit to write its part of the plan in. */
    private PlanSymbols symbols() {
        return symbols(true);
    }

    /** The same, with q's parameters written m[k] (indexed) or m (as the family's form names them). */
    private PlanSymbols symbols(boolean indexed) {
        java.util.function.UnaryOperator<String> at = indexed ? this::at : name -> name;
        boolean mvn = mix.components() instanceof Mixture.Components.MvNormal;
        String prec = mvn ? lambdaName() : tauName();
        Stmt.Tilde precPrior = prec == null ? null : model.latents().get(prec);
        Expr v = compPrior.dist().args().get(1);
        boolean scaled = mvn ? ((Mixture.Components.MvNormal) mix.components()).meanPrior() instanceof NormalPrior.MvMeanPrior.Scaled
                : mix.components() instanceof Mixture.Components.Normal nc && nc.meanPrior() instanceof NormalPrior.MeanPrior.Scaled;
        String a0 = precPrior == null ? null : p(precPrior.dist().args().get(0));
        String b0 = precPrior == null ? null : p(precPrior.dist().args().get(1));
        return new PlanSymbols(x, xi(), i, n, (c == null ? comp : c + ", " + comp) + (prec == null ? "" : ", " + prec),
                comp, at(comp), prec, prec == null ? null : at(prec), p(lik.dist().args().get(1)),
                p(compPrior.dist().args().get(0)), p(v), v.span().text().trim(), scaled ? beta0Text(v) : null, a0, b0, a0, b0,
                at.apply(M), at.apply(S2), at.apply(V), at.apply(A), at.apply(B), at.apply(BETA), at.apply(NU), at.apply(W),
                c == null ? n : N + "[" + k + "]", c == null ? "Σ_" + i + " " + xi() : S + "[" + k + "]",
                c == null ? List.of(S + " = Σ_" + i + " " + xi()) : List.of(), c == null ? "" : atIk(PHI) + "·",
                c == null ? "Σ_" + i + " " : "Σ_" + i + " Σ_" + k + " " + atIk(PHI) + "·", this::sumK,
                matched.get(comp).name(), prec == null ? null : matched.get(prec).name());
    }

    private static CaviPlan.ElboTerm term(String name, String formula) { return new CaviPlan.ElboTerm(name, formula); }

    private String tauName() {
        return mix.components() instanceof Mixture.Components.Normal nc && nc.precision() instanceof NormalPrior.Precision.Gamma g
                ? g.name() : null;
    }

    // ---- derivations -------------------------------------------------------

    /** For each update of the plan: its complete conditional, exponential-family form and result. */
    List<CaviPlan.Derivation> derivations() {
        List<CaviPlan.Derivation> out = new ArrayList<>();
        List<CaviPlan.QFactor> factors = factors();
        for (CaviPlan.Update u : updates()) {
            List<String> names = java.util.Arrays.stream(u.latent().split(",\\s*")).map(t -> t.replaceAll("\\[.*", "")).toList();
            List<String> conditional = new ArrayList<>();
            List<String> natural = new ArrayList<>();
            List<String> stats = new ArrayList<>();
            if (names.size() > 1) {
                conditional.add("one factor of q for the block: log q*(" + u.latent() + ") is the sum of the log densities below, "
                        + "with no expectation over the block itself; it is conjugate as a whole");
            }
            for (String name : names) {
                Stmt.Tilde prior = model.latents().get(name);
                String lat = prior.target().span().text();
                conditional.add("log q*(" + lat + ") = E[log p(" + lat + (priorGiven(name).isEmpty() ? "" : " | " + priorGiven(name))
                        + ")] + Σ_factors E[log factor] + const   (expectations under q of the other latents)");
                conditional.add("  prior:  " + Rules.factorText(prior));
                natural.add("from the prior " + prior.dist().span().text() + ": " + priorNatural(name, prior));
                for (Role r : roles.getOrDefault(name, List.of())) {
                    Rules.Rule rule = Rules.find(prior.dist().name(), r).orElseThrow();
                    String weighted = selected(r) ? ", weighted by " + atIk(PHI) + " = q(" + c + "[" + i + "] = " + k + ")" : "";
                    conditional.add("  factor: " + Rules.factorText(r.factor()) + "   (" + roleText(r) + weighted + ")");
                    natural.add("from " + Rules.factorText(r.factor()) + ": + " + fill(rule.contribution(), name, r));
                }
                stats.add(fill(matched.get(name).stats(), name, null));
            }
            String family = factors.stream().filter(f -> f.latent().equals(u.latent()))
                    .map(f -> "q(" + f.latent() + ") is " + f.family()).findFirst().orElse("");
            String statistics = String.join(" and ", stats);
            if (names.size() > 1) {
                // a joint block: one exponential family over both latents
                natural = jointNatural();
                statistics = jointStats();
            }
            out.add(new CaviPlan.Derivation(u.step(), u.latent(), conditional, family, statistics, natural,
                    u.equations(), note(u)));
        }
        return List.copyOf(out);
    }

    /** The Normal-Gamma (Normal-Wishart) block's sufficient statistics, from its unit. */
    private String jointStats() {
        return mix.components() instanceof Mixture.Components.MvNormal
                ? NormalWishartComponents.jointStatistics(symbols()) : NormalGammaComponents.jointStatistics(symbols());
    }

    /** Each factor's contribution to the block's natural parameters, from its unit. */
    private List<String> jointNatural() {
        boolean mvn = mix.components() instanceof Mixture.Components.MvNormal;
        String meanPrior = model.latents().get(mix.components().key()).dist().span().text();
        String precPrior = model.latents().get(mvn ? lambdaName() : tauName()).dist().span().text();
        return mvn ? NormalWishartComponents.jointNatural(symbols(), symbols(false), meanPrior, precPrior, Rules.factorText(lik))
                : NormalGammaComponents.jointNatural(symbols(), symbols(false), meanPrior, precPrior, Rules.factorText(lik));
    }

    private boolean selected(Role r) {
        return (r instanceof Role.Mean m && m.selector() != null) || (r instanceof Role.Precision p && p.selector() != null)
                || (r instanceof Role.Parameter b && b.selector() != null);
    }

    private String roleText(Role r) {
        if (r instanceof Role.Mean) return "its mean";
        if (r instanceof Role.Precision) return "its precision";
        if (r instanceof Role.PriorPrecision) return "the precision of this prior";
        if (r instanceof Role.Selector) return "picks the component";
        if (r instanceof Role.Probabilities) return "the probabilities of the assignments";
        if (r instanceof Role.Parameter pr) return "its " + pr.likelihood().parameter();
        return "";
    }

    /** The latents a prior is conditioned on: tau in Normal(m0, 1/(beta0*tau[k])), pi in Categorical(pi). */
    private String priorGiven(String name) {
        Stmt.Tilde prior = model.latents().get(name);
        List<String> given = new ArrayList<>();
        for (Expr a : prior.dist().args()) collectLatents(a, given);
        return String.join(", ", given);
    }

    private void collectLatents(Expr e, List<String> out) {
        if (e instanceof Expr.Name n && model.latents().containsKey(n.name())) out.add(n.name());
        else if (e instanceof Expr.Index ix && model.latents().containsKey(ix.name())) out.add(e.span().text());
        else if (e instanceof Expr.Binary b) { collectLatents(b.left(), out); collectLatents(b.right(), out); }
        else if (e instanceof Expr.Call cl) cl.args().forEach(a -> collectLatents(a, out));
    }

    /** The prior's natural parameters, for the sufficient statistics of its family. */
    private String priorNatural(String name, Stmt.Tilde prior) {
        List<Expr> a = prior.dist().args();
        switch (prior.dist().name()) {
            case "Normal", "MvNormal" -> {
                boolean mvn = prior.dist().name().equals("MvNormal");
                Expr v = a.get(1);
                if (!priorGiven(name).isEmpty()) {
                    String prec = "E[" + (mvn ? at(lambdaName()) : at(tauName())) + "]";
                    return mvn ? "(" + beta0Text(v) + "·" + prec + "·" + p(a.get(0)) + ", −½·" + beta0Text(v) + "·" + prec + ")"
                            : "(" + beta0Text(v) + "·" + prec + "·" + p(a.get(0)) + ", −" + beta0Text(v) + "·" + prec + "/2)";
                }
                return mvn ? "(inv(" + p(v) + ")·" + p(a.get(0)) + ", −½·inv(" + p(v) + "))"
                        : "(" + p(a.get(0)) + "/" + p(v) + ", −1/(2·" + p(v) + "))";
            }
            case "Gamma" -> { return "(−" + p(a.get(1)) + ", " + p(a.get(0)) + " − 1)"; }
            case "Beta" -> { return "(" + p(a.get(0)) + " − 1, " + p(a.get(1)) + " − 1)"; }
            case "Wishart" -> { return "(−½·inv(" + p(a.get(1)) + "), (" + p(a.get(0)) + " − D − 1)/2)"; }
            case "StickBreaking" -> {
                return "(1 − 1, " + p(a.get(0)) + " − 1) = (0, " + p(a.get(0)) + " − 1) for each stick v[" + k
                        + "]: its prior is Beta(1, " + p(a.get(0)) + ")";
            }
            case "Dirichlet" -> {
                return a.size() == 2 ? "(" + p(a.get(0)) + " − 1, for each k)" : "(" + a.get(0).span().text() + " − 1)";
            }
            default -> { return "(" + elogPi() + ", for each " + k + ")"; }
        }
    }

    /** A rule's template in the model's names. */
    private String fill(String template, String name, Role r) {
        String mean = mix.components().key();
        String prec;
        if (mix.components() instanceof Mixture.Components.MvNormal) {
            prec = lambdaName() == null ? "inv(" + p(lik.dist().args().get(1)) + ")" : "E[" + at(lambdaName()) + "]";
        } else if (mix.components() instanceof Mixture.Components.Normal) {
            prec = tauName() == null ? "1/" + p(lik.dist().args().get(1)) : "E[" + at(tauName()) + "]";
        } else {
            prec = "";
        }
        Stmt.Tilde meanPrior = model.latents().get(mean);
        String m0 = meanPrior.dist().args().isEmpty() ? "" : p(meanPrior.dist().args().get(0));
        String beta0 = r instanceof Role.PriorPrecision && meanPrior.dist().args().size() > 1 ? beta0Text(meanPrior.dist().args().get(1)) : "";
        String lat = name.equals(c) ? c + "[" + i + "]" : model.latents().get(name).target().indices().isEmpty() ? name : at(name);
        return template.replace("{lat}", lat).replace("{x}", xi()).replace("{phi}", c == null ? "" : atIk(PHI) + "·")
                .replace("{N}", c == null ? n : N + "[" + k + "]").replace("{S}", c == null ? "Σ_" + i + " " + xi() : S + "[" + k + "]")
                .replace("{Eprec}", prec).replace("{mean}", at(mean)).replace("{m0}", m0).replace("{beta0}", beta0)
                .replace("{lik}", lik.dist().name()).replace("{w}", c == null ? "1" : atIk(PHI))
                .replace("{ell}", expectedLogLik().replaceFirst("^− ", "−"));
    }

    /** Where the literature gives the same update, for the seed's model. */
    private String note(CaviPlan.Update u) {
        boolean seed = mix.components() instanceof Mixture.Components.Normal nc && nc.precision() instanceof NormalPrior.Precision.Known
                && nc.meanPrior() instanceof NormalPrior.MeanPrior.Variance && mix.weights() instanceof Mixture.Weights.Fixed
                && c != null && !mix.fixed().containsKey(nc.mean());
        if (!seed) return "";
        if (u.latent().startsWith(c)) {
            return "Blei, Kucukelbir & McAuliffe (2017), section 3 and Algorithm 2: phi_ik ∝ exp{E[mu_k]·x_i − E[mu_k²]/2}, "
                    + "with E[mu_k] = m_k and E[mu_k²] = m_k² + s2_k, for their model's uniform weights and unit likelihood "
                    + "variance; the form above is the same up to a factor constant in k";
        }
        return "Blei, Kucukelbir & McAuliffe (2017), section 3 and Algorithm 2: m_k = Σ_i phi_ik x_i / (1/sigma² + Σ_i phi_ik) "
                + "and s2_k = 1/(1/sigma² + Σ_i phi_ik), for their prior mean 0 and unit likelihood variance; "
                + "the update above is the same with those values";
    }
}

package org.cavi.compile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cavi.ast.Expr;
import org.cavi.ast.Stmt;
import org.cavi.check.CheckedModel;
import org.cavi.check.Value;
import org.cavi.plan.CaviPlan;
import org.cavi.plan.GaussianMixture;

/** Writes the plan's factors, updates and ELBO terms with the model's own names and constants. */
record Texts(Stmt.Tilde muPrior, Stmt.Tilde cPrior, Stmt.Tilde lik, CheckedModel.Range muRange,
             CheckedModel.Range xRange, Expr mu0, Expr sigma2, Expr lambda) {

    private String mu() { return muPrior.target().name(); }
    private String c() { return cPrior.target().name(); }
    private String x() { return lik.target().name(); }
    private String k() { return muRange.var(); }
    private String i() { return xRange.var(); }
    private String bigK() { return muRange.hiText(); }
    private String n() { return xRange.hiText(); }

    /** Wraps a constant's source text in parentheses unless it is a single name or number. */
    private static String p(Expr e) {
        String s = e.span().text().trim();
        return s.matches("[A-Za-z_0-9.]+") ? s : "(" + s + ")";
    }

    private String logPi() {
        Expr arg = cPrior.dist().args().get(0);
        String text = arg.span().text();
        if (arg instanceof Expr.Vector) return "log π[" + k() + "], π = " + text;
        if (arg instanceof Expr.Name nm && !nm.name().equals(bigK())) return "log " + nm.name() + "[" + k() + "]";
        return "log(1/" + p(arg) + ")";
    }

    List<CaviPlan.QFactor> factors(GaussianMixture gm) {
        String muPlate = k() + " in 1.." + bigK() + (bigK().matches("\\d+") ? "" : " (" + bigK() + " = " + gm.k() + ")");
        List<CaviPlan.QFactor> out = new ArrayList<>();
        if (gm.fixedMeans().isPresent()) {
            out.add(new CaviPlan.QFactor(mu() + "[" + k() + "]", "fixed", "= " + new Value.Vec(gm.fixedMeans().get())
                    + " (set with --set)", muPlate, true));
        } else {
            out.add(new CaviPlan.QFactor(mu() + "[" + k() + "]", "Normal", "m[" + k() + "], s2[" + k() + "]", muPlate, false));
        }
        out.add(new CaviPlan.QFactor(c() + "[" + i() + "]", "Categorical", "phi[" + i() + "]", i() + " in 1.." + n(), false));
        return List.copyOf(out);
    }

    List<CaviPlan.Update> updates(GaussianMixture gm, Map<String, Rules.Rule> matched) {
        String lam = p(lambda);
        String s2 = p(sigma2);
        String ik = i() + "," + k();
        List<CaviPlan.Update> out = new ArrayList<>();
        out.add(new CaviPlan.Update(1, c() + "[" + i() + "]", matched.get(c()).name(), List.of(
                "phi[" + ik + "] ∝ exp( " + logPi() + " − ((" + x() + "[" + i() + "] − m[" + k() + "])² + s2[" + k() + "]) / (2·" + lam + ") )"
                        + "   for " + i() + " in 1.." + n() + ", " + k() + " in 1.." + bigK(),
                "(the paper's form exp( " + logPi() + " + (" + x() + "[" + i() + "]·m[" + k() + "] − (m[" + k() + "]² + s2[" + k()
                        + "])/2) / " + lam + " ), up to a factor constant in " + k() + ")",
                "normalised over " + k() + " with log-sum-exp (the row maximum is subtracted before exp)")));
        if (gm.fixedMeans().isEmpty()) {
            out.add(new CaviPlan.Update(2, mu() + "[" + k() + "]", matched.get(mu()).name(), List.of(
                    "N[" + k() + "] = Σ_" + i() + " phi[" + ik + "],   S[" + k() + "] = Σ_" + i() + " phi[" + ik + "]·" + x() + "[" + i() + "]",
                    "s2[" + k() + "] = 1 / (1/" + s2 + " + N[" + k() + "]/" + lam + ")",
                    "m[" + k() + "]  = s2[" + k() + "] · (" + p(mu0) + "/" + s2 + " + S[" + k() + "]/" + lam + ")")));
        }
        return List.copyOf(out);
    }

    List<CaviPlan.ElboTerm> elbo(GaussianMixture gm) {
        String lam = p(lambda);
        String s2 = p(sigma2);
        String ik = i() + "," + k();
        List<CaviPlan.ElboTerm> out = new ArrayList<>();
        if (gm.fixedMeans().isPresent()) {
            out.add(new CaviPlan.ElboTerm("log p(" + mu() + ")", "Σ_" + k() + " −½ log(2π·" + s2 + ") − (m[" + k() + "] − "
                    + p(mu0) + ")² / (2·" + s2 + ")   at the fixed means"));
        } else {
            out.add(new CaviPlan.ElboTerm("E[log p(" + mu() + ")]", "Σ_" + k() + " −½ log(2π·" + s2 + ") − ((m[" + k() + "] − "
                    + p(mu0) + ")² + s2[" + k() + "]) / (2·" + s2 + ")"));
        }
        out.add(new CaviPlan.ElboTerm("E[log p(" + c() + ")]", "Σ_" + k() + " N[" + k() + "]·" + logPi()));
        out.add(new CaviPlan.ElboTerm("E[log p(" + x() + " | " + c() + ", " + mu() + ")]", "−" + n() + "/2·log(2π·" + lam + ") − Σ_"
                + i() + " Σ_" + k() + " phi[" + ik + "]·((" + x() + "[" + i() + "] − m[" + k() + "])² + s2[" + k() + "]) / (2·" + lam + ")"));
        if (gm.fixedMeans().isEmpty()) {
            out.add(new CaviPlan.ElboTerm("H[q(" + mu() + ")]", "Σ_" + k() + " ½ log(2πe·s2[" + k() + "])"));
        }
        out.add(new CaviPlan.ElboTerm("H[q(" + c() + ")]", "−Σ_" + i() + " Σ_" + k() + " phi[" + ik + "]·log phi[" + ik + "]"));
        return List.copyOf(out);
    }
}

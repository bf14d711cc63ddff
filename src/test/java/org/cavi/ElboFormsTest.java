package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;
import org.cavi.plan.CaviPlan;
import org.cavi.plan.ElboForms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The KL form of the ELBO that {@code cavi derive} prints is the same ELBO: at a fitted q, every
 * printed term evaluated as printed (PlanFormula), E[log-likelihood] − Σ KL + the rest equals the
 * runtime's ELBO, each KL is non-negative, and each KL equals the closed-form divergence between
 * q's factor and its prior, computed here from their parameters alone.
 */
class ElboFormsTest {
    record Grouped(double likelihood, Map<String, Double> kl, double rest) {}

    private static Grouped evaluate(PlanArithmeticTest.Fit fit) {
        ElboForms forms = ElboForms.of(fit.plan());
        for (CaviPlan.ElboTerm t : forms.where()) fit.f().where(t.formula());
        double likelihood = 0;
        for (CaviPlan.ElboTerm t : forms.likelihood()) likelihood += fit.f().eval(t.formula());
        Map<String, Double> kl = new HashMap<>();
        for (ElboForms.Divergence d : forms.divergences()) {
            double v = -fit.f().eval(d.entropy().formula());
            for (CaviPlan.ElboTerm p : d.priors()) v -= fit.f().eval(p.formula());
            kl.put(String.join(", ", d.latents()), v);
        }
        double rest = 0;
        for (CaviPlan.ElboTerm t : forms.rest()) rest += fit.f().eval(t.formula());
        return new Grouped(likelihood, kl, rest);
    }

    @ParameterizedTest
    @ValueSource(strings = {"normal-mean-precision", "beta-bernoulli", "gamma-poisson", "known-variance",
        "joint-normal-gamma", "gamma-precision", "clash-one", "clash-one-joint"})
    void theLikelihoodMinusTheKlsIsTheElbo(String name) throws Exception {
        PlanArithmeticTest.Fit fit = PlanArithmeticTest.fit(name);
        Grouped g = evaluate(fit);
        double sum = g.likelihood() - g.kl().values().stream().mapToDouble(Double::doubleValue).sum() + g.rest();
        assertEquals(fit.elbo(), sum, 1e-9 * Math.abs(fit.elbo()), name + ": " + g);
        for (Map.Entry<String, Double> e : g.kl().entrySet()) assertTrue(e.getValue() >= -1e-9, name + ": KL " + e);
        assertEquals(fit.plan().factors().stream().filter(f -> !f.fixed()).count(), g.kl().size(), name + ": one KL per factor");
    }

    /** Every term of every model's ELBO is in exactly one place of the KL form. */
    @ParameterizedTest
    @MethodSource("org.cavi.GoldenTest#goodModels")
    void everyTermIsUsedOnce(java.nio.file.Path model) throws Exception {
        String name = model.getFileName().toString().replace(".vi", "");
        String text = java.nio.file.Files.readString(model);
        var c = org.cavi.driver.Driver.compile(new org.cavi.driver.Driver.Request(new org.cavi.source.SourceFile(name + ".vi", text),
                java.nio.file.Path.of("models"), Map.of(), List.of(), false));
        assertTrue(c.ok(), name);
        CaviPlan plan = c.get().plan();
        ElboForms forms = ElboForms.of(plan);
        List<CaviPlan.ElboTerm> used = new ArrayList<>(forms.likelihood());
        for (ElboForms.Divergence d : forms.divergences()) {
            used.add(d.entropy());
            used.addAll(d.priors());
            assertTrue(!d.priors().isEmpty(), name + ": a KL without its prior: " + d);
        }
        used.addAll(forms.rest());
        used.addAll(forms.where());
        assertEquals(plan.elbo().size(), used.size(), name + ": " + used);
        assertTrue(used.containsAll(plan.elbo()), name);
        assertEquals(1, forms.likelihood().size(), name);
        assertTrue(forms.rest().isEmpty(), name + ": " + forms.rest());
    }

    /** A latent fixed with --set has no factor of q: its prior term stays, outside every KL. */
    @Test
    void aFixedLatentKeepsItsPriorTermOutsideTheKls() throws Exception {
        String text = java.nio.file.Files.readString(java.nio.file.Path.of("models/gmm.vi"));
        var c = org.cavi.driver.Driver.compile(new org.cavi.driver.Driver.Request(new org.cavi.source.SourceFile("gmm.vi", text),
                java.nio.file.Path.of("models"), Map.of(), List.of("mu=[1,2,3,4,5]"), false));
        assertTrue(c.ok());
        ElboForms forms = ElboForms.of(c.get().plan());
        assertEquals(List.of("E[log p(mu)]"), forms.rest().stream().map(CaviPlan.ElboTerm::name).toList());
        assertEquals(List.of(List.of("c")), forms.divergences().stream().map(ElboForms.Divergence::latents).toList());
        assertEquals(c.get().plan().elbo().size(), forms.likelihood().size() + forms.rest().size() + forms.where().size()
                + forms.divergences().stream().mapToInt(d -> 1 + d.priors().size()).sum());
    }

    private static double normalKl(double m, double s2, double m0, double v0) {
        return 0.5 * (Math.log(v0 / s2) + (s2 + (m - m0) * (m - m0)) / v0 - 1);
    }

    /** KL(Gamma(a, b) ‖ Gamma(a0, b0)), shape and rate. */
    private static double gammaKl(double a, double b, double a0, double b0) {
        return (a - a0) * Gamma.digamma(a) - Gamma.logGamma(a) + Gamma.logGamma(a0) + a0 * (Math.log(b) - Math.log(b0))
                + a * (b0 - b) / b;
    }

    private static double betaKl(double a, double b, double a0, double b0) {
        return Beta.logBeta(a0, b0) - Beta.logBeta(a, b) + (a - a0) * Gamma.digamma(a) + (b - b0) * Gamma.digamma(b)
                + (a0 - a + b0 - b) * Gamma.digamma(a + b);
    }

    @Test
    void eachKlIsTheDivergenceOfItsFactorFromItsPrior() throws Exception {
        PlanArithmeticTest.Fit known = PlanArithmeticTest.fit("known-variance");
        double m = known.f().eval("m");
        double s2 = known.f().eval("s2");
        assertEquals(normalKl(m, s2, 1.5, 4), evaluate(known).kl().get("mu"), 1e-9);

        PlanArithmeticTest.Fit coin = PlanArithmeticTest.fit("beta-bernoulli");
        assertEquals(betaKl(coin.f().eval("a"), coin.f().eval("b"), 2, 2), evaluate(coin).kl().get("p"), 1e-9);

        PlanArithmeticTest.Fit counts = PlanArithmeticTest.fit("gamma-poisson");
        assertEquals(gammaKl(counts.f().eval("a"), counts.f().eval("b"), 2, 0.5), evaluate(counts).kl().get("rate"), 1e-9);

        PlanArithmeticTest.Fit both = PlanArithmeticTest.fit("gamma-precision");
        Grouped g = evaluate(both);
        assertEquals(normalKl(both.f().eval("m"), both.f().eval("s2"), -1, 10), g.kl().get("mu"), 1e-9);
        assertEquals(gammaKl(both.f().eval("a"), both.f().eval("b"), 3, 2), g.kl().get("tau"), 1e-9);
    }

    /** A prior that depends on another factor's latent: E_q(tau)[KL(q(mu) ‖ p(mu | tau))], tau ~ q(tau). */
    @Test
    void aConditionalPriorGivesTheKlAveragedOverTheOtherFactor() throws Exception {
        PlanArithmeticTest.Fit fit = PlanArithmeticTest.fit("normal-mean-precision");
        ElboForms forms = ElboForms.of(fit.plan());
        ElboForms.Divergence mu = forms.divergences().stream().filter(d -> d.latents().equals(List.of("mu"))).findFirst().orElseThrow();
        assertEquals(List.of("tau"), mu.given());
        assertEquals("E_q(tau)[KL(q(mu) ‖ p(mu | tau))]", mu.name());
        double m = fit.f().eval("m");
        double s2 = fit.f().eval("s2");
        double a = fit.f().eval("a");
        double b = fit.f().eval("b");
        double eTau = a / b;
        double eLogTau = Gamma.digamma(a) - Math.log(b);
        // mu0 = 0, lambda0 = 1: KL(N(m, s2) ‖ N(0, 1/tau)) = ½(−log tau − log s2 + tau·(s2 + m²) − 1), averaged over tau
        double want = 0.5 * (-eLogTau - Math.log(s2) + eTau * (s2 + m * m) - 1);
        assertEquals(want, evaluate(fit).kl().get("mu"), 1e-9);
        assertEquals(gammaKl(a, b, 1, 1), evaluate(fit).kl().get("tau"), 1e-9);
    }
}

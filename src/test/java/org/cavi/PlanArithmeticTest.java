package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cavi.check.Value;
import org.cavi.data.Points;
import org.cavi.driver.Driver;
import org.cavi.family.Posterior;
import org.cavi.infer.FitOptions;
import org.cavi.infer.Fitter;
import org.cavi.plan.CaviPlan;
import org.cavi.simulate.Simulator;
import org.cavi.source.SourceFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The formulas {@code cavi plan} prints are the arithmetic the runtime does: for the models with
 * one component, every printed ELBO term is evaluated as printed (PlanFormula) at the fitted q,
 * and their sum must be the runtime's ELBO; every printed update, evaluated at the fitted q (a
 * fixed point of the sweep, to the precision a stationary ELBO fixes it), must give back that q.
 */
class PlanArithmeticTest {
    /** Single-component models not in models/, simulated from their priors. */
    static final Map<String, String> STRINGS = Map.of(
            "known-variance", """
                    model KnownVariance
                    const mu0 = 1.5
                    const v0 = 4
                    const lambda = 0.7
                    data x[n]
                    mu   ~ Normal(mu0, v0)
                    x[i] ~ Normal(mu, lambda) for i in 1..n
                    """,
            "joint-normal-gamma", """
                    model JointNormalGamma
                    const mu0 = 1
                    const kappa = 0.5
                    const a0 = 2
                    const b0 = 1.5
                    data x[n]
                    tau  ~ Gamma(a0, b0)
                    mu   ~ Normal(mu0, 1/(kappa*tau))
                    x[i] ~ Normal(mu, 1/tau) for i in 1..n
                    q(mu, tau)
                    """,
            "gamma-precision", """
                    model GammaPrecision
                    const mu0 = -1
                    const v0 = 10
                    data x[n]
                    tau  ~ Gamma(3, 2)
                    mu   ~ Normal(mu0, v0)
                    x[i] ~ Normal(mu, 1/tau) for i in 1..n
                    """,
            // the model's names are the plan's own symbols: the plan primes its symbols (m', s2', a', b', beta')
            "clash-one", """
                    model ClashOne
                    const m = 1
                    const a = 2
                    const b = 1.5
                    const s2 = 0.5
                    data x[n]
                    beta ~ Gamma(a, b)
                    mu   ~ Normal(m, 1/(s2*beta))
                    x[i] ~ Normal(mu, 1/beta) for i in 1..n
                    """,
            "clash-one-joint", """
                    model ClashOneJoint
                    const m = 1
                    const a = 2
                    const b = 1.5
                    const beta = 0.5
                    data x[n]
                    s2   ~ Gamma(a, b)
                    mu   ~ Normal(m, 1/(beta*s2))
                    x[i] ~ Normal(mu, 1/s2) for i in 1..n
                    q(mu, s2)
                    """);

    record Fit(CaviPlan plan, PlanFormula f, double elbo) {}

    static Fit fit(String name) throws Exception {
        String text;
        Path base = Path.of("models");
        boolean file = !STRINGS.containsKey(name);
        text = file ? Files.readString(base.resolve(name + ".vi")) : STRINGS.get(name);
        Driver.Request req = new Driver.Request(new SourceFile(name + ".vi", text), base, Map.of(), List.of(), file);
        var c = Driver.compile(req);
        assertTrue(c.ok(), () -> c.problem().map(p -> p.render()).orElse(""));
        Driver.Compiled compiled = c.get();
        double[] x;
        if (file) {
            Points pts = Driver.loadData(compiled, req, Path.of(".")).get();
            x = pts.rows(1, Integer.MAX_VALUE);
        } else {
            x = Simulator.simulate(compiled.plan().mixture(), 250, 5);
        }
        Fitter.Run run = Fitter.run(compiled.plan(), Points.of(x), new FitOptions(3, 1, 5000, 0), () -> false,
                Fitter.Listener.NONE);
        return new Fit(compiled.plan(), bind(compiled, x, run.best().posterior()), run.result().elbo());
    }

    private static final Pattern JOINT = Pattern.compile("Normal\\((\\S+), 1/\\((\\S+)·\\S+\\)\\) · Gamma\\((\\S+), (\\S+)\\)");

    /** The constants, n, and the q's parameters under the symbols the plan gives them. */
    static PlanFormula bind(Driver.Compiled c, double[] x, Posterior q) {
        PlanFormula f = new PlanFormula(x);
        c.model().constants().forEach((name, v) -> {
            if (v instanceof Value.Scalar s) f.bind(name, s.value());
        });
        f.bind(c.plan().mixture().sizeName(), x.length);
        for (CaviPlan.QFactor factor : c.plan().factors()) {
            String first = factor.latent().split(",")[0].strip();
            Posterior.Block b = q.block(first);
            String params = factor.parameters().replace("  (shape, rate)", "");
            switch (factor.family()) {
                case "Normal" -> {
                    String[] s = params.split(", ");
                    f.bind(s[0], b.field("mean")[0]).bind(s[1], Math.pow(b.field("sd")[0], 2));
                }
                case "Gamma" -> {
                    String[] s = params.split(", ");
                    boolean count = b.fields().containsKey("a");
                    f.bind(s[0], b.field(count ? "a" : "shape")[0]).bind(s[1], b.field(count ? "b" : "rate")[0]);
                }
                case "Beta" -> {
                    String[] s = params.split(", ");
                    f.bind(s[0], b.field("a")[0]).bind(s[1], b.field("b")[0]);
                }
                case "Normal-Gamma" -> {
                    Matcher m = JOINT.matcher(params);
                    assertTrue(m.matches(), params);
                    String tau = factor.latent().split(",")[1].strip();
                    f.bind(m.group(1), b.field("mean")[0]).bind(m.group(2), b.field("beta")[0])
                            .bind(m.group(3), q.block(tau).field("shape")[0]).bind(m.group(4), q.block(tau).field("rate")[0]);
                }
                default -> throw new IllegalArgumentException(factor.family());
            }
        }
        return f;
    }

    @ParameterizedTest
    @ValueSource(strings = {"normal-mean-precision", "beta-bernoulli", "gamma-poisson", "known-variance",
        "joint-normal-gamma", "gamma-precision", "clash-one", "clash-one-joint"})
    void thePrintedElboTermsSumToTheRuntimesElbo(String name) throws Exception {
        Fit fit = fit(name);
        for (CaviPlan.ElboTerm t : fit.plan().elbo()) if (t.name().equals("where")) fit.f().where(t.formula());
        double sum = 0;
        List<String> terms = new ArrayList<>();
        for (CaviPlan.ElboTerm t : fit.plan().elbo()) {
            if (t.name().equals("where")) continue;
            double v = fit.f().eval(t.formula());
            terms.add(t.name() + " = " + v);
            sum += v;
        }
        assertEquals(fit.elbo(), sum, 1e-10 * Math.abs(fit.elbo()), name + ": " + terms);
    }

    @ParameterizedTest
    @ValueSource(strings = {"normal-mean-precision", "beta-bernoulli", "gamma-poisson", "known-variance",
        "joint-normal-gamma", "gamma-precision", "clash-one", "clash-one-joint"})
    void thePrintedUpdatesGiveBackTheFittedQ(String name) throws Exception {
        Fit fit = fit(name);
        int checked = 0;
        for (CaviPlan.Update u : fit.plan().updates()) {
            for (String line : u.equations()) {
                if (line.startsWith("using") || line.startsWith("(")) continue;
                for (String eq : line.split(",   ")) {
                    int at = eq.indexOf(" = ");
                    String lhs = eq.substring(0, at).strip();
                    double rhs = fit.f().eval(eq.substring(at + 3));
                    if (!fit.f().has(lhs)) {
                        fit.f().bind(lhs, rhs);     // a sum the update defines, as S = Σ_i x[i]
                        continue;
                    }
                    double want = fit.f().eval(lhs);
                    // the fit is a fixed point to about the square root of the ELBO's precision
                    assertEquals(want, rhs, 1e-7 * Math.abs(want), name + ": " + eq);
                    checked++;
                }
            }
        }
        assertTrue(checked >= 2, name + ": " + checked + " updates checked");
    }

    /** The example: E[tau·(mu − mu0)²] = E[tau]·((m − mu0)² + s2) under q(mu)q(tau). */
    @Test
    void theMeanPriorTermOfTheFactorisedNormalGammaScalesTheVarianceByETau() throws Exception {
        Fit fit = fit("normal-mean-precision");
        CaviPlan.ElboTerm t = fit.plan().elbo().stream().filter(e -> e.name().equals("E[log p(mu | tau)]")).findFirst().orElseThrow();
        assertTrue(t.formula().contains("E[tau]·((m − mu0)² + s2)"), t.formula());
    }
}

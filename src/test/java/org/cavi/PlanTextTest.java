package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cavi.ast.Expr;
import org.cavi.ast.Stmt;
import org.cavi.check.CheckedModel;
import org.cavi.driver.Driver;
import org.cavi.plan.CaviPlan;
import org.cavi.plan.PlanPrinter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the printed plan says, line by line: symbols, headings, plates, references. */
class PlanTextTest {
    static String plan(String model) { return Cli.run("plan", "models/" + model + ".vi").out(); }

    static String derive(String model) { return Cli.run("derive", "models/" + model + ".vi").out(); }

    static String line(String text, String start) {
        return text.lines().map(String::strip).filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting " + start + " in\n" + text));
    }

    // ---- 2. one symbol, one meaning --------------------------------------------------------

    @Test
    void theMultivariateMeanUpdateDoesNotUseOneSymbolForTwoThings() {
        String out = plan("mvn-known");
        // S[k] is Σ_i phi[i,k]·x[i]; the posterior covariance has its own symbol
        assertTrue(out.contains("S[k] = Σ_i phi[i,k]·x[i]"), out);
        assertFalse(out.contains("MvNormal(m[k], S[k])"), out);
        assertTrue(out.contains("q(mu[k]) = MvNormal(m[k], V[k])"), out);
        assertTrue(out.contains("V[k] = inv(inv((100*eye(D))) + N[k]·inv(Sigma))"), out);
        assertTrue(out.contains("m[k] = V[k]·(inv((100*eye(D)))·(zeros(D)) + inv(Sigma)·S[k])"), out);
        assertTrue(out.contains("H[q(mu)]            = Σ_k D/2·log(2πe) + ½ log|V[k]|"), out);
        assertTrue(out.contains("tr(inv(Sigma)·V[k])"), out);
    }

    // ---- 3. Wishart lines with Bishop's B -------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"plan", "derive"})
    void theWishartPriorTermHasPlusLogBAsInBishop(String command) {
        String out = Cli.run(command, "models/bishop-gmm.vi").out();
        // Bishop (10.74): E[ln p(Λ)] = K ln B(W0, ν0) + (ν0 − D − 1)/2 Σ_k E[ln|Λ_k|] − ½ Σ_k tr(W0⁻¹ E[Λ_k]), with
        // ln B(W, ν) = −ν/2 ln|W| − νD/2 ln 2 − D(D − 1)/4 ln π − Σ_d ln Γ((ν + 1 − d)/2) (B.79) written out
        String prior = line(out, "E[log p(Lambda)]");
        assertTrue(prior.contains("= Σ_k −nu0/2·log|W0| − nu0·D/2·log 2 − D(D − 1)/4·log π − Σ_d log Γ((nu0 + 1 − d)/2)"
                + " + (nu0 − D − 1)/2·E[log|Lambda[k]|] − ½tr(inv(W0)·E[Lambda[k]])"), out);
        assertTrue(prior.contains("are log B(W0, nu0)"), out);
        assertFalse(out.contains("−log B(W0, nu0)"), out);
        // (B.82): H = −ln B(W, ν) − (ν − D − 1)/2 E[ln|Λ|] + νD/2, the same B written out, at each k
        assertTrue(out.contains("H[Wishart(nu[k], W[k])] = nu[k]/2·log|W[k]| + nu[k]·D/2·log 2 + D(D − 1)/4·log π"
                + " + Σ_d log Γ((nu[k] + 1 − d)/2) − (nu[k] − D − 1)/2·E[log|Lambda[k]|] + nu[k]·D/2"), out);
        assertTrue(out.contains("are −log B(W[k], nu[k])"), out);
        // Bishop (10.65)
        assertTrue(out.contains("E[log|Lambda[k]|] = Σ_d ψ((nu[k] + 1 − d)/2) + D·log 2 + log|W[k]|   (Bishop 2006, (10.65))"), out);
    }

    // ---- the likelihood term names every latent it depends on ------------------------------

    @Test
    void theLikelihoodTermIsConditionedOnThePrecisionToo() {
        assertTrue(plan("normal-mean-precision").contains("E[log p(x | mu, tau)]"));
        assertTrue(plan("gmm-precisions").contains("E[log p(x | c, mu, tau)]"));
        assertTrue(plan("bishop-gmm").contains("E[log p(x | c, mu, Lambda)]"));
        assertTrue(plan("gmm").contains("E[log p(x | c, mu)]"));
    }

    // ---- 5. heading, plates, references ---------------------------------------------------

    @Test
    void theHeadingSaysWhenAFactorIsJoint() {
        for (String m : List.of("gmm-normal-gamma", "bishop-gmm")) {
            String out = plan(m);
            assertFalse(out.contains("mean-field: one factor per latent"), out);
            assertTrue(out.contains("variational family (structured mean-field: one joint factor for"), out);
        }
        assertTrue(plan("gmm-precisions").contains("variational family (mean-field: one factor per latent)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"normal-mean-precision", "beta-bernoulli", "gamma-poisson", "gmm-dirichlet", "bishop-gmm"})
    void noFactorLineEndsInAnEmptyPlate(String model) {
        String out = plan(model);
        for (String l : out.lines().toList()) assertFalse(l.stripTrailing().endsWith(" for"), "'" + l + "' in\n" + out);
        assertFalse(out.contains("for \n"), out);
    }

    static String reference(String model) {
        return plan(model).lines().skip(2).findFirst().orElseThrow();
    }

    @Test
    void eachPatternCitesItsOwnSource() {
        for (String m : List.of("beta-bernoulli", "gamma-poisson", "normal-mean-precision", "bishop-gmm")) {
            assertFalse(reference(m).contains("Blei"), m + ": " + reference(m));
        }
        assertTrue(reference("beta-bernoulli").contains("Bishop (2006), Pattern Recognition and Machine Learning, §2.1"), reference("beta-bernoulli"));
        assertTrue(reference("beta-bernoulli").contains("Gelman et al. (2013), Bayesian Data Analysis, chapter 2"));
        assertTrue(reference("gamma-poisson").contains("Gelman et al. (2013), Bayesian Data Analysis, chapter 2"));
        assertTrue(reference("normal-mean-precision").contains("Bishop (2006), Pattern Recognition and Machine Learning, §10.1.3"));
        assertTrue(reference("bishop-gmm").contains("Bishop (2006), Pattern Recognition and Machine Learning, §10.2"));
        assertTrue(reference("gmm").contains("Blei, Kucukelbir & McAuliffe (2017), Variational inference: a review for statisticians, section 3"));
        assertTrue(reference("gmm-precisions").contains("Winn & Bishop (2005)"), reference("gmm-precisions"));
        String tex = Cli.run("derive", "models/beta-bernoulli.vi", "--latex").out();
        assertFalse(tex.contains("Blei"), tex);
    }

    // ---- 4. the plan's symbols never equal a name of the model -----------------------------

    static final String CLASH_MIXTURE = """
            model ClashMixture
            const K = 3
            const alpha = 1
            const a = 2
            const b = 1.5
            const s2 = 100
            const beta = 0
            data x[N]
            pi     ~ Dirichlet(alpha, K)
            m[k]   ~ Normal(beta, s2)     for k in 1..K
            phi[k] ~ Gamma(a, b)          for k in 1..K
            S[i]   ~ Categorical(pi)      for i in 1..N
            x[i]   ~ Normal(m[S[i]], 1/phi[S[i]]) for i in 1..N
            """;

    static final String CLASH_JOINT = """
            model ClashJoint
            const K = 2
            const m = 0
            const nu = 3
            const W = eye(2)
            const beta = 1
            data V[N, 2]
            pi       ~ Dirichlet(1, K)
            a[b]     ~ Wishart(nu, W)                        for b in 1..K
            mu[b]    ~ MvNormal(zeros(2), inv(beta*a[b]))   for b in 1..K
            alpha[S] ~ Categorical(pi)                       for S in 1..N
            V[S]     ~ MvNormal(mu[alpha[S]], inv(a[alpha[S]])) for S in 1..N
            q(mu[b], a[b])
            """;

    static final String CLASH_MV = """
            model ClashMv
            const K = 2
            const V = [[1, 0], [0, 2]]
            const N = 4
            const phi = 100
            data x[n, 2]
            mu[k] ~ MvNormal(zeros(2), phi*eye(2))   for k in 1..K
            nu[k] ~ Wishart(N, V)                    for k in 1..K
            c[i]  ~ Categorical(K)                   for i in 1..n
            x[i]  ~ MvNormal(mu[c[i]], inv(nu[c[i]])) for i in 1..n
            """;

    static Driver.Compiled compile(String text) {
        var c = Driver.compile(new Driver.Request(new org.cavi.source.SourceFile("clash.vi", text), java.nio.file.Path.of("."),
                java.util.Map.of(), List.of(), false));
        assertTrue(c.ok(), () -> c.problem().map(p -> p.render()).orElse(""));
        return c.get();
    }

    /** Every name the model declares: constants, data, sizes, latents, plate indices. */
    static Set<String> declared(CheckedModel model) {
        Set<String> names = new HashSet<>(model.constants().keySet());
        names.addAll(model.data().keySet());
        names.addAll(model.latents().keySet());
        for (Stmt.DataDecl d : model.data().values()) {
            for (Expr e : d.dims()) if (e instanceof Expr.Name n) names.add(n.name());
        }
        model.ranges().values().forEach(rs -> rs.forEach(r -> names.add(r.var())));
        return names;
    }

    private static final Pattern IDENT = Pattern.compile("(?<![A-Za-z0-9_])[A-Za-z_][A-Za-z0-9_]*'*");

    /** The identifiers of a formula, without the indices in brackets (the model's plates), functions and families. */
    static Set<String> planSymbols(String formula, Set<String> model) {
        Set<String> out = new HashSet<>();
        Matcher m = IDENT.matcher(formula.replace("(shape, rate)", "").replaceAll("\\[[^\\]]*\\]", ""));
        while (m.find()) out.add(m.group());
        out.removeAll(Set.of("inv", "log", "tr", "Normal", "MvNormal", "Gamma", "Wishart", "Dirichlet", "Beta", "Categorical",
                "shape", "rate", "D", "d", "e", "B", "exp", "zeros", "eye"));
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void thePlansSymbolsNeverEqualTheModelsNames(int which) {
        String text = List.of(CLASH_MIXTURE, CLASH_JOINT, CLASH_MV).get(which);
        Driver.Compiled c = compile(text);
        Set<String> names = declared(c.model());
        CaviPlan plan = c.plan();
        for (CaviPlan.QFactor f : plan.factors()) {
            // the q's own parameters: everything on its right side that the latents of the factor do not explain
            Set<String> own = planSymbols(f.parameters(), names);
            for (String l : f.latent().split(",\\s*")) own.remove(l.replaceAll("\\[.*", ""));
            for (String s : own) {
                assertFalse(names.contains(s), "q(" + f.latent() + ") = " + f.family() + "(" + f.parameters() + ") uses the model's " + s);
            }
        }
        // and the update lines define only symbols of the plan
        for (CaviPlan.Update u : plan.updates()) {
            for (String eq : u.equations()) {
                for (String def : eq.split(",   ")) {
                    int at = def.indexOf(" = ");
                    if (at < 0 || def.startsWith("using") || def.startsWith("(")) continue;
                    String lhs = def.substring(0, at).strip().replaceAll("^inv\\((.*)\\)$", "$1").replaceAll("\\[.*", "");
                    if (lhs.startsWith("E")) continue;
                    assertFalse(names.contains(lhs), "'" + def + "' defines the model's " + lhs + "\n" + PlanPrinter.text(plan));
                }
            }
        }
    }

    @Test
    void aClashGetsAPrimeAndNothingElseChanges() {
        String out = PlanPrinter.text(compile(CLASH_MIXTURE).plan());
        assertTrue(out.contains("q(m[k])   = Normal(m'[k], s2'[k])"), out);
        assertTrue(out.contains("q(phi[k]) = Gamma(a'[k], b'[k]  (shape, rate))"), out);
        assertTrue(out.contains("q(pi)     = Dirichlet(alpha')"), out);
        assertTrue(out.contains("q(S[i])   = Categorical(phi'[i])"), out);
        assertTrue(out.contains("alpha'[k] = alpha + N'[k]"), out);
        assertTrue(out.contains("N'[k] = Σ_i phi'[i,k],   S'[k] = Σ_i phi'[i,k]·x[i]"), out);
        assertTrue(out.contains("a'[k] = a + N'[k]/2"), out);
        // the models without a clash keep their plain symbols
        assertTrue(plan("gmm").contains("q(mu[k]) = Normal(m[k], s2[k])"));
    }

    @Test
    void theClashingOneComponentModelsArePrimedToo() {
        // PlanArithmeticTest evaluates these two plans as printed, primes and all
        for (String m : List.of("clash-one", "clash-one-joint")) {
            String out = PlanPrinter.text(compile(PlanArithmeticTest.STRINGS.get(m)).plan());
            assertTrue(out.contains("m'"), out);
            assertTrue(out.contains("a'") && out.contains("b'"), out);
        }
        assertTrue(PlanPrinter.text(compile(PlanArithmeticTest.STRINGS.get("clash-one")).plan()).contains("q(mu)   = Normal(m', s2')"));
    }
}

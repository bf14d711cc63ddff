package org.cavi.family;

import static org.cavi.family.Formula.add;
import static org.cavi.family.Formula.digamma;
import static org.cavi.family.Formula.div;
import static org.cavi.family.Formula.e;
import static org.cavi.family.Formula.eq;
import static org.cavi.family.Formula.exp;
import static org.cavi.family.Formula.expectation;
import static org.cavi.family.Formula.half;
import static org.cavi.family.Formula.indexed;
import static org.cavi.family.Formula.latexName;
import static org.cavi.family.Formula.log;
import static org.cavi.family.Formula.logBeta;
import static org.cavi.family.Formula.logGamma;
import static org.cavi.family.Formula.mul;
import static org.cavi.family.Formula.neg;
import static org.cavi.family.Formula.num;
import static org.cavi.family.Formula.pi;
import static org.cavi.family.Formula.pow;
import static org.cavi.family.Formula.sqrt;
import static org.cavi.family.Formula.square;
import static org.cavi.family.Formula.statistic;
import static org.cavi.family.Formula.sub;
import static org.cavi.family.Formula.sumK;
import static org.cavi.family.Formula.sym;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;
import org.cavi.family.Formula.Env;
import org.junit.jupiter.api.Test;

class FormulaTest {
    private static final Formula A = sym("a"), B = sym("b"), C = sym("c"), X = sym("x");
    private static final Formula A0 = sym("a0"), B0 = sym("b0"), LAMBDA0 = sym("lambda0"), MU0 = sym("mu0");
    private static final Formula M = sym("m"), S2 = sym("s2"), N = sym("n");
    private static final Formula E_TAU = expectation("Etau", "tau", false);
    private static final Formula E_LOG_TAU = expectation("Elogtau", "log tau", false);

    /** H[q(tau)] for q(tau) = Gamma(a, b). */
    private static Formula gammaEntropy() {
        return add(sub(A, log(B)), logGamma(A), mul(sub(num(1), A), digamma(A)));
    }

    /** E[log p(mu | tau)] of the Normal-Gamma prior. */
    private static Formula normalPrior() {
        Formula first = add(mul(half(), log(div(LAMBDA0, mul(num(2), pi())))), mul(half(), E_LOG_TAU));
        return sub(first, mul(half(), LAMBDA0, E_TAU, add(square(sub(M, MU0)), S2)));
    }

    @Test
    void printsThePlansFormulas() {
        assertEquals("a − log b + log Γ(a) + (1 − a)·ψ(a)", gammaEntropy().text());
        assertEquals("½ log(lambda0/(2π)) + ½E[log tau] − ½·lambda0·E[tau]·((m − mu0)² + s2)", normalPrior().text());
        assertEquals("½ log(2πe·s2)", mul(half(), log(mul(num(2), pi(), e(), S2))).text());
        assertEquals("a0·log b0 − log Γ(a0) + (a0 − 1)·E[log tau] − b0·E[tau]",
                sub(add(sub(mul(A0, log(B0)), logGamma(A0)), mul(sub(A0, num(1)), E_LOG_TAU)), mul(B0, E_TAU)).text());
        assertEquals("1/((lambda0 + n)·a/b)", div(num(1), div(mul(add(LAMBDA0, N), A), B)).text());
        Formula sumX = statistic("Sx", "Σ_i x[i]", "\\sum_{i} x_i", false);
        assertEquals("(lambda0·mu0 + Σ_i x[i])/(lambda0 + n)", div(add(mul(LAMBDA0, MU0), sumX), add(LAMBDA0, N)).text());
        Formula nk = statistic("N", "N[k]", "N_k", true);
        assertEquals("a[k] = a0 + N[k]/2", eq(indexed("a"), add(A0, div(nk, num(2)))).text());
        Formula elogpi = expectation("Elogpi", "log pi", true);
        assertEquals("Σ_k N[k]·E[log pi[k]]", sumK(mul(nk, elogpi)).text());
        Formula alpha = indexed("alpha");
        assertEquals("log Γ(Σ_k alpha[k]) − Σ_k log Γ(alpha[k])", sub(logGamma(sumK(alpha)), sumK(logGamma(alpha))).text());
        assertEquals("log B(a0, b0) − log B(a, b)", sub(logBeta(A0, B0), logBeta(A, B)).text());
        assertEquals("½(Σ_i x[i] − m)", mul(half(), sub(sumX, M)).text());
        assertEquals("exp(E[log tau])·√s2", mul(exp(E_LOG_TAU), sqrt(S2)).text());
    }

    @Test
    void parenthesesAreMinimal() {
        assertEquals("a − (b − c)", sub(A, sub(B, C)).text());
        assertEquals("a − b + c", add(sub(A, B), C).text());
        assertEquals("a − b − c", sub(sub(A, B), C).text());
        assertEquals("a − (b + c)", sub(A, add(B, C)).text());
        assertEquals("a/(b·c)", div(A, mul(B, C)).text());
        assertEquals("a/b·c", mul(div(A, B), C).text());
        assertEquals("a·(b/c)", mul(A, div(B, C)).text());
        assertEquals("a/b/c", div(div(A, B), C).text());
        assertEquals("a·b + c", add(mul(A, B), C).text());
        assertEquals("(a + b)·c", mul(add(A, B), C).text());
        assertEquals("(a + b)²", square(add(A, B)).text());
        assertEquals("(a·b)²", square(mul(A, B)).text());
        assertEquals("(x²)³", pow(square(X), 3).text());
        assertEquals("x⁻¹", pow(X, -1).text());
        // unary minus
        assertEquals("−x", neg(X).text());
        assertEquals("−(a + b)", neg(add(A, B)).text());
        assertEquals("−a·b", neg(mul(A, B)).text());
        assertEquals("(−a)·b", mul(neg(A), B).text());
        assertEquals("−a + b", add(neg(A), B).text());
        assertEquals("a + (−b)", add(A, neg(B)).text());
        assertEquals("a − (−b)", sub(A, neg(B)).text());
        assertEquals("(−x)²", square(neg(X)).text());
        assertEquals("−(−x)", new Formula.Neg(neg(X)).text());
        // prefix forms that reach right
        Formula sum = sumK(indexed("x"));
        assertEquals("(Σ_k x[k])·c", mul(sum, C).text());
        assertEquals("c·Σ_k x[k]", mul(C, sum).text());
        assertEquals("c·(Σ_k x[k])·a", mul(C, sum, A).text());
        assertEquals("Σ_k x[k] + c", add(sum, C).text());
        assertEquals("(Σ_k x[k])²", square(sum).text());
        assertEquals("Σ_k (x[k] + c)", sumK(add(indexed("x"), C)).text());
        assertEquals("log(b·c)", log(mul(B, C)).text());
        assertEquals("log(b)·c", mul(log(B), C).text());
        assertEquals("c·log b", mul(C, log(B)).text());
        assertEquals("log(b)²", square(log(B)).text());
        assertEquals("√(a + b)", sqrt(add(A, B)).text());
        // numbers, ½, constants
        assertEquals("2", num(2).text());
        assertEquals("0.5", num(0.5).text());
        assertEquals("2.25·x", mul(num(2.25), X).text());
        assertEquals("−3", num(-3).text());
        assertEquals("(−3)·x", mul(num(-3), X).text());
        assertEquals("x·½", mul(X, half()).text());
        assertEquals("½·(m − mu0)²", mul(half(), square(sub(M, MU0))).text());
        assertEquals("2π", mul(num(2), pi()).text());
        assertEquals("x·π", mul(X, pi()).text());
        assertEquals("1e-8", num(1e-8).text());
    }

    @Test
    void simplifiesOnlyTheListedCases() {
        assertEquals(X, mul(num(1), X));
        assertEquals(X, mul(X, num(1)));
        assertEquals(X, div(X, num(1)));
        assertEquals(X, add(num(0), X));
        assertEquals(X, sub(X, num(0)));
        assertEquals(X, neg(neg(X)));
        assertEquals(num(5), add(num(2), num(3)));
        assertEquals(num(0.5), div(num(1), num(2)));
        assertEquals("½ log b", mul(div(num(1), num(2)), log(B)).text());
        // nothing cleverer
        assertInstanceOf(Formula.Sub.class, sub(num(0), X));
        assertInstanceOf(Formula.Mul.class, mul(num(0), X));
        assertInstanceOf(Formula.Div.class, div(num(1), X));
        assertInstanceOf(Formula.Sub.class, sub(X, X));
        assertInstanceOf(Formula.Apply.class, log(num(2)));
        assertEquals("log 2", log(num(2)).text());
    }

    private static Env gammaEnv() {
        return Env.of(Map.of("a", 2.5, "b", 1.5, "a0", 1.0, "b0", 2.0, "lambda0", 0.25, "mu0", 0.5, "m", 1.75, "s2", 0.3,
                "Etau", 2.5 / 1.5, "Elogtau", Gamma.digamma(2.5) - Math.log(1.5)), Map.of());
    }

    @Test
    void evaluatesAgainstHandComputedValues() {
        Env env = gammaEnv();
        double a = 2.5, b = 1.5;
        assertEquals(a - Math.log(b) + Gamma.logGamma(a) + (1 - a) * Gamma.digamma(a), gammaEntropy().eval(env), 1e-15);
        double eTau = a / b, eLogTau = Gamma.digamma(a) - Math.log(b);
        double prior = 0.5 * Math.log(0.25 / (2 * Math.PI)) + 0.5 * eLogTau - 0.5 * 0.25 * eTau * ((1.75 - 0.5) * (1.75 - 0.5) + 0.3);
        assertEquals(prior, normalPrior().eval(env), 1e-15);
        assertEquals(0.5 * Math.log(2 * Math.PI * Math.E * 0.3), mul(half(), log(mul(num(2), pi(), e(), S2))).eval(env), 1e-15);
        assertEquals(Beta.logBeta(1.0, 2.0), logBeta(A0, B0).eval(env), 1e-15);
        assertEquals(Math.exp(0.3) + Math.sqrt(0.3) - 1 / 0.3, sub(add(exp(S2), sqrt(S2)), pow(S2, -1)).eval(env), 1e-14);
    }

    @Test
    void sumOverComponentsBindsK() {
        double[] n = {10, 20, 30}, elogpi = {-1.2, -0.7, -1.5}, alpha = {1.5, 2, 0.5};
        Env env = Env.of(Map.of("a0", 1.0), Map.of("N", n, "Elogpi", elogpi, "alpha", alpha));
        Formula nk = statistic("N", "N[k]", "N_k", true);
        assertEquals(10 * -1.2 + 20 * -0.7 + 30 * -1.5, sumK(mul(nk, expectation("Elogpi", "log pi", true))).eval(env), 1e-12);
        Formula dirichletNorm = sub(logGamma(sumK(indexed("alpha"))), sumK(logGamma(indexed("alpha"))));
        assertEquals(Gamma.logGamma(4) - Gamma.logGamma(1.5) - Gamma.logGamma(2) - Gamma.logGamma(0.5), dirichletNorm.eval(env), 1e-13);
        // an update equation per component, and an indexed symbol with no component bound
        Formula.Eq update = eq(indexed("a"), add(sym("a0"), div(nk, num(2))));
        assertEquals(11.0, update.rhs().eval(env, 1));
        IllegalArgumentException unbound = assertThrows(IllegalArgumentException.class, () -> update.rhs().eval(env));
        assertTrue(unbound.getMessage().contains("N[k]"), unbound.getMessage());
        assertEquals(0.0, sumK(nk).eval(Env.of(Map.of(), Map.of())));
    }

    @Test
    void unknownSymbolIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> add(A, sym("kappa0")).eval(Env.of(Map.of("a", 1.0), Map.of())));
        assertTrue(e.getMessage().contains("kappa0"), e.getMessage());
    }

    @Test
    void printsLatex() {
        assertEquals("a - \\log b + \\log\\Gamma(a) + \\left(1 - a\\right) \\cdot \\psi(a)", gammaEntropy().latex());
        assertEquals("\\tfrac{1}{2}\\log\\left(\\frac{\\lambda_0}{2\\pi}\\right) + \\tfrac{1}{2}\\operatorname{E}[\\log\\tau]"
                + " - \\tfrac{1}{2} \\cdot \\lambda_0 \\cdot \\operatorname{E}[\\tau] \\cdot \\left(\\left(m - \\mu_0\\right)^{2} + s^2\\right)",
                normalPrior().latex());
        assertEquals("\\tfrac{1}{2}\\log\\left(2\\pi e \\cdot s^2\\right)", mul(half(), log(mul(num(2), pi(), e(), S2))).latex());
        Formula nk = statistic("N", "N[k]", "N_k", true);
        assertEquals("a_k = a_0 + \\frac{N_k}{2}", eq(indexed("a"), add(A0, div(nk, num(2)))).latex());
        assertEquals("\\sum_{k} N_k \\cdot \\operatorname{E}[\\log\\pi_k]", sumK(mul(nk, expectation("Elogpi", "log pi", true))).latex());
        assertEquals("\\log \\mathrm{B}(a_0, b_0)", logBeta(A0, B0).latex());
        assertEquals("\\left(\\frac{a}{b}\\right)^{2} \\cdot \\frac{1}{a \\cdot b}", mul(square(div(A, B)), div(num(1), mul(A, B))).latex());
        assertEquals("\\sqrt{s^2} - \\exp(x) - \\exp\\left(-x\\right)", sub(sub(sqrt(S2), exp(X)), exp(neg(X))).latex());
        assertEquals("\\operatorname{E}[\\tau]", E_TAU.latex());
    }

    @Test
    void latexNames() {
        assertEquals("\\tau", latexName("tau"));
        assertEquals("\\lambda_0", latexName("lambda0"));
        assertEquals("a_0", latexName("a0"));
        assertEquals("a_{10}", latexName("a10"));
        assertEquals("s^2", latexName("s2"));
        assertEquals("\\sigma^2", latexName("sigma2"));
        assertEquals("m_k", latexName("m[k]"));
        assertEquals("\\mu_{0,k}", latexName("mu0[k]"));
        assertEquals("\\phi_{i,k}", latexName("phi[i,k]"));
        assertEquals("\\mathit{nu0x}", latexName("nu0x"));
        assertEquals("x", latexName("x"));
    }

    // ---- property: the factories' simplifications never change a value ----

    /** One random expression built three ways: with the factories, with the raw records, and as plain Java. */
    private record Built(Formula simplified, Formula raw, IntToDoubleFunction direct) {}

    private static final double[] U = {0.5, 1.5, -2.0}, V = {3.0, 0.25, 0.75};
    private static final Env RANDOM_ENV = Env.of(Map.of("x", 0.7, "y", -1.3, "z", 2.0), Map.of("u", U, "v", V));

    private static Built random(SplittableRandom rng, int depth, boolean inSum) {
        if (depth == 0 || rng.nextInt(4) == 0) {
            int pick = rng.nextInt(inSum ? 7 : 5);
            switch (pick) {
                case 0: {
                    double[] numbers = {0, 1, -1, 2, 0.5, 3.25};
                    double v = numbers[rng.nextInt(numbers.length)];
                    return new Built(num(v), new Formula.Num(v), k -> v);
                }
                case 1: return new Built(pi(), pi(), k -> Math.PI);
                case 2: return new Built(sym("x"), sym("x"), k -> 0.7);
                case 3: return new Built(sym("y"), sym("y"), k -> -1.3);
                case 4: return new Built(sym("z"), sym("z"), k -> 2.0);
                case 5: return new Built(indexed("u"), indexed("u"), k -> U[k]);
                default: return new Built(indexed("v"), indexed("v"), k -> V[k]);
            }
        }
        Built a = random(rng, depth - 1, inSum);
        switch (rng.nextInt(13)) {
            case 0: { Built b = random(rng, depth - 1, inSum);
                return new Built(add(a.simplified, b.simplified), new Formula.Add(a.raw, b.raw), k -> a.direct.applyAsDouble(k) + b.direct.applyAsDouble(k)); }
            case 1: { Built b = random(rng, depth - 1, inSum);
                return new Built(sub(a.simplified, b.simplified), new Formula.Sub(a.raw, b.raw), k -> a.direct.applyAsDouble(k) - b.direct.applyAsDouble(k)); }
            case 2: { Built b = random(rng, depth - 1, inSum);
                return new Built(mul(a.simplified, b.simplified), new Formula.Mul(a.raw, b.raw), k -> a.direct.applyAsDouble(k) * b.direct.applyAsDouble(k)); }
            case 3: { Built b = random(rng, depth - 1, inSum);
                return new Built(div(a.simplified, b.simplified), new Formula.Div(a.raw, b.raw), k -> a.direct.applyAsDouble(k) / b.direct.applyAsDouble(k)); }
            case 4: return new Built(neg(a.simplified), new Formula.Neg(a.raw), k -> -a.direct.applyAsDouble(k));
            case 5: { int n = rng.nextInt(-2, 4);
                return new Built(pow(a.simplified, n), new Formula.Pow(a.raw, n), k -> Math.pow(a.direct.applyAsDouble(k), n)); }
            case 6: return new Built(log(a.simplified), new Formula.Apply(Formula.Fn.LOG, a.raw), k -> Math.log(a.direct.applyAsDouble(k)));
            case 7: return new Built(exp(a.simplified), new Formula.Apply(Formula.Fn.EXP, a.raw), k -> Math.exp(a.direct.applyAsDouble(k)));
            case 8: return new Built(sqrt(a.simplified), new Formula.Apply(Formula.Fn.SQRT, a.raw), k -> Math.sqrt(a.direct.applyAsDouble(k)));
            case 9: return new Built(digamma(a.simplified), new Formula.Apply(Formula.Fn.DIGAMMA, a.raw), k -> Gamma.digamma(a.direct.applyAsDouble(k)));
            case 10: return new Built(logGamma(a.simplified), new Formula.Apply(Formula.Fn.LOG_GAMMA, a.raw), k -> Gamma.logGamma(a.direct.applyAsDouble(k)));
            case 11: { Built b = random(rng, depth - 1, inSum);
                return new Built(logBeta(a.simplified, b.simplified), new Formula.LogBeta(a.raw, b.raw),
                        k -> Beta.logBeta(a.direct.applyAsDouble(k), b.direct.applyAsDouble(k))); }
            default: {
                Built body = random(rng, depth - 1, true);
                return new Built(sumK(body.simplified), new Formula.Sum(body.raw), k -> {
                    double s = 0;
                    for (int c = 0; c < U.length; c++) s += body.direct.applyAsDouble(c);
                    return s;
                });
            }
        }
    }

    private static boolean same(double x, double y) {
        return (Double.isNaN(x) && Double.isNaN(y)) || x == y;
    }

    /** No node of a factory-built tree is one the factories would have simplified away. */
    private static void assertSimplified(Formula f) {
        if (f instanceof Formula.Add a) {
            if (a.left() instanceof Formula.Num && a.right() instanceof Formula.Num || isNum(a.left(), 0) || isNum(a.right(), 0)) fail(f.text());
            assertSimplified(a.left()); assertSimplified(a.right());
        } else if (f instanceof Formula.Sub s) {
            if (s.left() instanceof Formula.Num && s.right() instanceof Formula.Num || isNum(s.right(), 0)) fail(f.text());
            assertSimplified(s.left()); assertSimplified(s.right());
        } else if (f instanceof Formula.Mul m) {
            if (m.left() instanceof Formula.Num && m.right() instanceof Formula.Num || isNum(m.left(), 1) || isNum(m.right(), 1)) fail(f.text());
            assertSimplified(m.left()); assertSimplified(m.right());
        } else if (f instanceof Formula.Div d) {
            if (d.numerator() instanceof Formula.Num && d.denominator() instanceof Formula.Num || isNum(d.denominator(), 1)) fail(f.text());
            assertSimplified(d.numerator()); assertSimplified(d.denominator());
        } else if (f instanceof Formula.Neg n) {
            if (n.arg() instanceof Formula.Neg || n.arg() instanceof Formula.Num) fail(f.text());
            assertSimplified(n.arg());
        } else if (f instanceof Formula.Pow p) {
            if (p.base() instanceof Formula.Num) fail(f.text());
            assertSimplified(p.base());
        } else if (f instanceof Formula.Apply a) {
            assertSimplified(a.arg());
        } else if (f instanceof Formula.LogBeta b) {
            assertSimplified(b.a()); assertSimplified(b.b());
        } else if (f instanceof Formula.Sum s) {
            assertSimplified(s.body());
        }
    }

    private static boolean isNum(Formula f, double v) {
        return f instanceof Formula.Num n && n.value() == v;
    }

    private static boolean balanced(String s) {
        int depth = 0;
        for (char c : s.toCharArray()) {
            if (c == '(') depth++;
            else if (c == ')' && --depth < 0) return false;
        }
        return depth == 0;
    }

    @Test
    void simplificationNeverChangesTheValue() {
        SplittableRandom rng = new SplittableRandom(20240607);
        int finite = 0, trees = 20_000;
        for (int t = 0; t < trees; t++) {
            Built b = random(rng, 1 + rng.nextInt(6), false);
            double simplified = b.simplified.eval(RANDOM_ENV), raw = b.raw.eval(RANDOM_ENV), direct = b.direct.applyAsDouble(-1);
            String where = b.raw.text() + "  ⟶  " + b.simplified.text();
            assertTrue(same(direct, raw), () -> "raw " + raw + " vs direct " + direct + ": " + where);
            assertTrue(same(direct, simplified), () -> "simplified " + simplified + " vs direct " + direct + ": " + where);
            assertSimplified(b.simplified);
            assertTrue(balanced(b.simplified.text()) && balanced(b.raw.text()), where);
            b.simplified.latex();
            if (Double.isFinite(direct)) finite++;
        }
        assertTrue(finite > trees / 4, "too few finite values to mean anything: " + finite);
    }
}

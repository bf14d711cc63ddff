package org.cavi.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The typesetter's notation and its simplifications, each against the LaTeX a person would write. */
class TypesetterTest {
    private static void is(String want, String formula) {
        assertEquals(want, Typesetter.math(formula), formula);
    }

    @Test
    void namesTakeTheirIndicesAndSubscripts() {
        is("\\phi_{ik}", "phi[i,k]");
        is("\\mu_{c_{i}}", "mu[c[i]]");
        is("\\beta_{0}", "beta0");
        is("W_{0}^{-1}", "inv(W0)");
        is("\\gamma_{k,1}", "gamma1[k]");
        is("s_{k}^{2}", "s2[k]");
        is("m'_{k}", "m'[k]");
        is("\\sigma^{2}", "sigma^2");
        is("\\phi_{ik} \\propto \\exp \\{\\mathbb{E}[\\mu_{k}]\\cdot x_{i}\\}", "phi_ik ∝ exp{E[mu_k]·x_i}");
        is("\\log q^{*}(\\mu_{k})", "log q*(mu[k])");
        is("\\mathbb{E}[\\log p(x \\mid c, \\mu)]", "E[log p(x | c, mu)]");
        is("\\log|\\Lambda_{k}|", "log|Lambda[k]|");
        is("\\sum_{j<k} N_{j}", "Σ_{j<k} N[j]");
        is("\\operatorname{tr}(\\Sigma^{-1}\\cdot V_{k})", "tr(inv(Sigma)·V[k])");
        is("(\\beta_{0}\\,\\Lambda_{k})^{-1}", "inv(beta0*Lambda[k])");
        is("100\\,I_{D}", "100*eye(D)");
        is("\\mathbf{1}[c_{i} = K]", "1[c[i] = K]");
        is("i = 1,\\ldots,n", "i in 1..n");
    }

    @Test
    void literalConstantsAreSimplified() {
        is("S_{k}", "1/1·S[k]");
        is("\\left(S_{k}, -\\frac{N_{k}}{2}\\right)", "(1/1·S[k], −1/1·N[k]/2)");
        is("s_{k}^{2} \\cdot S_{k}", "s2[k] · (0/(sigma^2) + S[k]/1)");
        is("\\frac{S_{k}}{\\beta_{k}}", "(beta0·(zeros(D)) + S[k]) / beta[k]");
        is("\\left(\\mathbf{0}, -\\frac{\\beta_{0}}{2}, \\mathbf{0}, \\frac{1}{2}\\right)",
                "(beta0·(zeros(D)), −beta0/2, −½·beta0·(zeros(D))·(zeros(D))ᵀ, 1/2)");
        is("\\beta_{0}\\cdot m_{k}m_{k}^{\\top}", "beta0·(m[k] − (zeros(D)))(m[k] − (zeros(D)))ᵀ");
        is("\\frac{m_{k}^{2} + s_{k}^{2}}{2\\cdot \\sigma^{2}}", "((m[k] − 0)² + s2[k])/(2·(sigma^2))");
        is("\\log(2\\pi)", "log(2π·1)");
        is("(1, 1)", "(2 − 1, 2 − 1)");
        is("\\log \\Gamma(K) - K\\cdot \\log \\Gamma(1)", "log Γ(K·1) − K·log Γ(1) + Σ_k (1 − 1)·E[log pi[k]]");
    }

    @Test
    void aLeadingSumReachesOverTheTermsThatUseItsIndex() {
        is("\\sum_{k} \\left[-\\tfrac{1}{2} \\log(2\\pi \\cdot \\sigma^{2}) - \\frac{m_{k}^{2} + s_{k}^{2}}{2\\cdot \\sigma^{2}}\\right]",
                "Σ_k −½ log(2π·(sigma^2)) − ((m[k] − 0)² + s2[k])/(2·(sigma^2))");
        is("\\mathbb{H}[q(c)] = -\\sum_{i} \\sum_{k} \\phi_{ik}\\cdot \\log \\phi_{ik}", "H[q(c)] = −Σ_i Σ_k phi[i,k]·log phi[i,k]");
        is("\\sum_{k} N_{k} + a", "Σ_k N[k] + a");             // a does not use k: the sum is N's alone
        is("N_{k} = \\sum_{i} \\phi_{ik}", "N[k] = Σ_i phi[i,k]");
    }

    @Test
    void whatIsNotConstantStaysAsItIs() {
        is("a - 1 - 1", "a − 1 − 1");                      // (a − 1) − 1, never a − 0
        is("x^{0}", "x^0");
        is("\\frac{2}{1^{2}}", "2/1²");
        is("\\sum_{k} 0\\cdot N_{k} + b", "Σ_k 0·N[k] + b");  // a leading Σ may reach over b: kept
        is("\\frac{\\beta_{0}}{2\\pi}", "beta0/2π");          // written together, 2π is one denominator
        is("\\frac{D}{2}\\cdot \\log 2\\pi", "D/2·log 2π");
        is("\\frac{\\sum_{i} \\phi_{ik} x_{i}}{N_{k}}", "Σ_i phi_ik x_i / N[k]");
    }

    /** Whatever a plan's line holds, typesetting it returns text: no exception reaches the user. */
    @Test
    void anyLineTypesetsWithoutFailing() {
        String[] pieces = {"(", ")", "[", "]", "{", "}", "/", "·", "*", "1", "0", "2", "0.1", "zeros(D)", "inv(", "eye(", "Σ", "_",
            "^", "²", "ᵀ", "−", "-", "+", " ", "   ", "x", "[k]", "|", " | ", "..", "in", "for", "q", "'", ",", "=", "E", "H", "½",
            "log", "Gamma", "phi", "s2", "beta0", "a", "the", "(Bishop", "2006,", "§10.2)", "∝", "~", ":", "é", "\\", "$", "%"};
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder line = new StringBuilder();
            int length = 1 + r.nextInt(14);
            for (int j = 0; j < length; j++) line.append(pieces[r.nextInt(pieces.length)]);
            String l = line.toString();
            try {
                Typesetter.math(l);
                for (Typesetter.Segment seg : Typesetter.segments(l)) if (seg instanceof Typesetter.Math m) m.latex();
            } catch (RuntimeException e) {
                throw new AssertionError("typesetting '" + l + "' failed", e);
            }
        }
    }

    @Test
    void aLineIsSplitIntoWordsAndFormulas() {
        assertEquals(List.of(new Typesetter.Math("q(mu[k])"), new Typesetter.Prose(" is Normal")),
                Typesetter.segments("q(mu[k]) is Normal"));
        assertEquals(List.of(new Typesetter.Prose("(its mean, weighted by "), new Typesetter.Math("phi[i,k] = q(c[i] = k)"),
                new Typesetter.Prose(")")), Typesetter.segments("(its mean, weighted by phi[i,k] = q(c[i] = k))"));
        assertEquals(List.of(new Typesetter.Prose("the same family as the prior (Bishop 2006, §10.2.1)")),
                Typesetter.segments("the same family as the prior (Bishop 2006, §10.2.1)"));
        assertEquals(List.of(new Typesetter.Math("(log(1/K), for each k)")), Typesetter.segments("(log(1/K), for each k)"));
        assertEquals(List.of(new Typesetter.Prose("up to a factor constant in "), new Typesetter.Math("k")),
                Typesetter.segments("up to a factor constant in k"));
    }
}

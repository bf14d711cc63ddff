package org.cavi.family;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.analysis.UnivariateFunction;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A q family's printed formulas are objects that evaluate: the plan's text of E[T], the prior term
 * and the entropy must evaluate to what the runtime computes from the same unit, and both must
 * agree with the distribution itself (numerical integration of −q log q and of q log p).
 */
class PositiveFamilyTest {
    static final String[] FAMILIES = {"Beta", "Gamma"};

    static PositiveFamily family(String name) { return name.equals("Beta") ? PositiveFamily.BETA : PositiveFamily.GAMMA; }

    @ParameterizedTest
    @ValueSource(strings = {"Beta", "Gamma"})
    void thePrintedFormulasEvaluateToTheRuntimesNumbers(String name) {
        PositiveFamily f = family(name);
        SplittableRandom rng = new SplittableRandom(7);
        Formula a = Formula.sym("a"), b = Formula.sym("b"), a0 = Formula.sym("a0"), b0 = Formula.sym("b0");
        Formula[] e = f.expectations(a, b);
        Formula prior = f.priorTerm(a0, b0, Formula.sym("E1"), Formula.sym("E2"));
        Formula entropy = f.entropy(a, b);
        for (int t = 0; t < 200; t++) {
            double av = 0.05 + 50 * rng.nextDouble(), bv = 0.05 + 50 * rng.nextDouble();
            double a0v = 0.1 + 5 * rng.nextDouble(), b0v = 0.1 + 5 * rng.nextDouble();
            double e1 = f.eT1(av, bv), e2 = f.eT2(av, bv);
            Formula.Env env = Formula.Env.of(Map.of("a", av, "b", bv, "a0", a0v, "b0", b0v, "E1", e1, "E2", e2), Map.of());
            assertEquals(e1, e[0].eval(env), 1e-12 * Math.max(1, Math.abs(e1)), e[0].text());
            assertEquals(e2, e[1].eval(env), 1e-12 * Math.max(1, Math.abs(e2)), e[1].text());
            double p = f.priorTerm(a0v, b0v, e1, e2);
            assertEquals(p, prior.eval(env), 1e-12 * Math.max(1, Math.abs(p)), prior.text());
            double h = f.entropy(av, bv);
            assertEquals(h, entropy.eval(env), 1e-12 * Math.max(1, Math.abs(h)), entropy.text());
        }
    }

    /** The runtime's numbers are the distribution's: −∫ q log q, ∫ q log p and E[T] by quadrature. */
    @ParameterizedTest
    @ValueSource(strings = {"Beta", "Gamma"})
    void theNumbersAreTheDistributions(String name) {
        PositiveFamily f = family(name);
        double[][] cases = {{2.5, 3.5, 1.5, 2}, {7, 1.2, 0.8, 3}, {1.5, 1.3, 2, 0.5}};
        for (double[] c : cases) {
            double a = c[0], b = c[1], a0 = c[2], b0 = c[3];
            var q = name.equals("Beta") ? new BetaDistribution(a, b) : new GammaDistribution(a, 1 / b);
            var p = name.equals("Beta") ? new BetaDistribution(a0, b0) : new GammaDistribution(a0, 1 / b0);
            double hi = name.equals("Beta") ? 1 : q.inverseCumulativeProbability(1 - 1e-13);
            double lo = name.equals("Beta") ? 0 : q.inverseCumulativeProbability(1e-13);
            UnivariateFunction minusQlogQ = x -> { double d = q.density(x); return d > 0 ? -d * Math.log(d) : 0; };
            UnivariateFunction qLogP = x -> { double d = q.density(x); return d > 0 ? d * Math.log(p.density(x)) : 0; };
            UnivariateFunction qT1 = x -> q.density(x) * Math.log(x);
            assertEquals(integrate(minusQlogQ, lo, hi), f.entropy(a, b), 2e-5, name + " entropy " + a + ", " + b);
            assertEquals(integrate(qLogP, lo, hi), f.priorTerm(a0, b0, f.eT1(a, b), f.eT2(a, b)), 2e-5, name + " prior term");
            assertEquals(integrate(qT1, lo, hi), f.eT1(a, b), 2e-5, name + " E[T1]");
        }
    }

    /** Midpoint rule on a fine grid (the cases keep q bounded: a, b ≥ 1 for the Beta). */
    static double integrate(UnivariateFunction g, double lo, double hi) {
        int n = 2_000_000;
        double h = (hi - lo) / n, s = 0;
        for (int i = 0; i < n; i++) s += g.value(lo + (i + 0.5) * h);
        return s * h;
    }
}

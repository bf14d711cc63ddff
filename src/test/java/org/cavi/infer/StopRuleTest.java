package org.cavi.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.cavi.family.Posterior;
import org.junit.jupiter.api.Test;

/** The stop rule on made-up sequences of ELBOs and parameters: which criterion ends a restart, and when. */
class StopRuleTest {
    /** A state whose reported q is one number and whose ELBO terms have a given magnitude. */
    private static final class Fake implements CaviState {
        double parameter;
        double magnitude;

        @Override public double sweep(double rho) { throw new UnsupportedOperationException(); }
        @Override public double elboMagnitude() { return magnitude; }
        @Override public Posterior posterior() {
            return new Posterior(List.of(new Posterior.Block("mu", "Normal", Map.of("mean", new double[] {parameter}))));
        }
        @Override public double[] key() { return new double[] {parameter}; }
        @Override public double[] weights() { return new double[] {1}; }
        @Override public void assignments(Assignee to) {}
        @Override public void assignments(double[] rows, Assignee to) {}
        @Override public Map<String, Double> elboTerms() { return Map.of(); }
        @Override public double sweep(UpdateListener to) { throw new UnsupportedOperationException(); }
    }

    private static final long N = 6400;
    /** R for magnitude 1000 and N points: 8·2^-52·√101·1000 ≈ 1.8e-10. */
    private static final double R = Fitter.roundingBound(1000, N);

    private static FitResult.Stop after(Fitter.StopRule rule, Fake s, double elbo, double parameter) {
        s.parameter = parameter;
        return rule.after(s, elbo);
    }

    @Test
    void theBoundIsEightEpsilonsTimesTheRootOfPointsPerBlockTimesTheMagnitude() {
        assertEquals(8 * Math.ulp(1.0) * Math.sqrt(101) * 1000, R, 1e-25);
    }

    @Test
    void aToleranceAboveTheBoundIsTheOldRuleExactly() {
        Fake s = new Fake();
        s.magnitude = 1000;
        Fitter.StopRule rule = new Fitter.StopRule(1e-8, N);
        assertNull(after(rule, s, -500, 1));
        assertNull(after(rule, s, -400, 2));
        // |Δ| = 4.1e-6 > 1e-8·400: on
        assertNull(after(rule, s, -400 + 4.1e-6, 3));
        // |Δ| = 3.9e-6 ≤ 1e-8·400, whatever the parameters do
        assertEquals(FitResult.Stop.TOLERANCE, after(rule, s, -400 + 8e-6, 1e6));
    }

    @Test
    void belowTheBoundTheParametersDecide() {
        Fake s = new Fake();
        s.magnitude = 1000;
        Fitter.StopRule rule = new Fitter.StopRule(0, N);
        double elbo = -400;
        assertNull(after(rule, s, elbo, 1));
        // the ELBO does not move at all, but the parameters still contract: not converged (the old
        // rule stopped here, at ΔELBO = 0, short of the fixed point)
        assertNull(after(rule, s, elbo, 1 + 1e-6));
        assertNull(after(rule, s, elbo, 1 + 1e-6 + 1e-7));
        assertNull(after(rule, s, elbo + R / 2, 1 + 1e-6 + 1e-7 + 1e-8));
        // flickering within R, the parameters' change no longer shrinking: the rounding limit
        assertEquals(FitResult.Stop.ROUNDING_LIMIT, after(rule, s, elbo - R / 2, 1 + 1e-6 + 1e-7 + 1e-8 + 2e-8));
    }

    @Test
    void aChangeOfTheElboBeyondTheBoundIsNotTheRoundingLimit() {
        Fake s = new Fake();
        s.magnitude = 1000;
        Fitter.StopRule rule = new Fitter.StopRule(0, N);
        assertNull(after(rule, s, -400, 1));
        assertNull(after(rule, s, -400 + 2 * R, 1));
        // the parameters stand still, but the ELBO moved by 2R: on
        assertNull(after(rule, s, -400 + 4 * R, 1));
        // within R, the parameters exactly still: stop
        assertEquals(FitResult.Stop.ROUNDING_LIMIT, after(rule, s, -400 + 4 * R, 1));
    }

    @Test
    void aPeriodTwoCycleInTheLastBitsStops() {
        Fake s = new Fake();
        s.magnitude = 1000;
        Fitter.StopRule rule = new Fitter.StopRule(0, N);
        double a = 100, b = Math.nextUp(100.0);
        assertNull(after(rule, s, -400, a));
        assertNull(after(rule, s, Math.nextUp(-400.0), b));
        assertEquals(FitResult.Stop.ROUNDING_LIMIT, after(rule, s, -400, a));
    }
}

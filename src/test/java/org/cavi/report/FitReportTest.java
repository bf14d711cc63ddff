package org.cavi.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cavi.family.Posterior;
import org.cavi.infer.FitOptions;
import org.cavi.infer.FitResult;
import org.cavi.plan.Mixture;
import org.junit.jupiter.api.Test;

/** The JSON report never carries a NaN or an infinity: JSON has no such numbers, and a "NaN" string would hide the bug. */
class FitReportTest {
    static final Mixture MIX = new Mixture("x", "n", 1, Optional.empty(), new Mixture.Weights.None(),
            new Mixture.Components.Normal("mu", 0, new org.cavi.family.NormalPrior.MeanPrior.Variance(1),
                    new org.cavi.family.NormalPrior.Precision.Known(1), false), Map.of(), List.of(List.of("mu")));

    static FitResult result(double elbo, double[] mean) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("mean", mean);
        Posterior q = new Posterior(List.of(new Posterior.Block("mu", "Normal", fields)));
        return new FitResult("M", 3, 1, elbo, 2, FitResult.Stop.TOLERANCE, 1, 2, 0.1, new double[] {elbo - 1, elbo}, q,
                new double[] {1}, false);
    }

    @Test
    void aFiniteFitIsWrittenAndAnyNonFiniteNumberIsAnInternalError() {
        String ok = FitReport.jsonText(result(-4.5, new double[] {1.25}), MIX, new FitOptions(1, 1, 10, 1e-8, 1), 0.01);
        assertTrue(ok.contains("\"elbo\" : -4.5"), ok);
        assertFalse(ok.contains("NaN"), ok);
        IllegalStateException nan = assertThrows(IllegalStateException.class,
                () -> FitReport.jsonText(result(-4.5, new double[] {Double.NaN}), MIX, new FitOptions(1, 1, 10, 1e-8, 1), 0.01));
        assertTrue(nan.getMessage().endsWith("at /q/mu/mean/0"), nan.getMessage());
        IllegalStateException inf = assertThrows(IllegalStateException.class,
                () -> FitReport.jsonText(result(Double.NEGATIVE_INFINITY, new double[] {1}), MIX, new FitOptions(1, 1, 10, 1e-8, 1), 0.01));
        assertEquals("the JSON report would hold a number that is not finite at /elbo", inf.getMessage());
    }
}

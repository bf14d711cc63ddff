package org.cavi.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.cavi.Models;
import org.cavi.plan.CaviPlan;
import org.cavi.plan.Mixture;
import org.cavi.simulate.Simulator;
import org.junit.jupiter.api.Test;

/**
 * The runtime has no update order of its own: it runs the plan's. The plan's schedule is the
 * list the plan prints; a different list gives a different, still monotone, sweep.
 */
class ScheduleTest {
    static CaviPlan plan(String file) throws Exception {
        return Models.compile(Files.readString(Path.of("models", file))).plan();
    }

    @Test
    void theScheduleIsThePrintedUpdates() throws Exception {
        for (String file : List.of("gmm.vi", "gmm-precisions.vi", "gmm-normal-gamma.vi", "bishop-gmm.vi", "exponential-mixture.vi",
                "normal-mean-precision.vi", "dp-mixture.vi")) {
            CaviPlan p = plan(file);
            assertEquals(p.updates().stream().map(CaviPlan.Update::targets).toList(), p.mixture().schedule(), file);
        }
        assertEquals(List.of(List.of("c"), List.of("pi"), List.of("mu", "tau")), plan("gmm-normal-gamma.vi").mixture().schedule());
        assertEquals(List.of(List.of("c"), List.of("pi"), List.of("mu"), List.of("tau")), plan("gmm-precisions.vi").mixture().schedule());
    }

    /** q(tau) before q(mu): another valid coordinate ascent, which the runtime must run as written. */
    @Test
    void aReorderedPlanIsRunAsWritten() throws Exception {
        Mixture asPrinted = plan("gmm-precisions.vi").mixture();
        Mixture reordered = asPrinted.withSchedule(List.of(List.of("c"), List.of("tau"), List.of("mu"), List.of("pi")));
        double[] x = Simulator.simulate(asPrinted, 600, 3);
        double[] a = trace(asPrinted, x), b = trace(reordered, x);
        assertEquals(a[0] == b[0], false, "the first sweep must differ: tau then reads the start's m");
        for (double[] t : new double[][] {a, b}) {
            for (int s = 1; s < t.length; s++) assertTrue(t[s] >= t[s - 1] - 1e-9 * Math.abs(t[s]), "sweep " + s);
        }
        // both climb to a fixed point of the same updates
        assertEquals(a[a.length - 1], b[b.length - 1], 1e-6 * Math.abs(a[a.length - 1]));
        assertNotEquals(a[1], b[1]);
    }

    @Test
    void aPlanThatUpdatesWhatTheModelDoesNotHoldIsAnInternalError() throws Exception {
        Mixture m = plan("gmm.vi").mixture();
        CaviState s = Fitter.start(m.withSchedule(List.of(List.of("c"), List.of("tau"))), new double[] {1, 2, 3, 4}, new SplittableRandom(1));
        assertThrows(IllegalStateException.class, s::sweep);
        assertThrows(IllegalStateException.class, () -> Fitter.start(m.withSchedule(List.of(List.of("mu"), List.of("c"))),
                new double[] {1, 2, 3, 4}, new SplittableRandom(1)));
    }

    static double[] trace(Mixture m, double[] x) {
        CaviState s = Fitter.start(m, x, new SplittableRandom(11));
        double[] t = new double[400];
        for (int i = 0; i < t.length; i++) t[i] = s.sweep();
        return t;
    }
}

package org.cavi.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.cavi.Models;
import org.cavi.data.Points;
import org.cavi.driver.Driver;
import org.cavi.family.Posterior;
import org.cavi.plan.CaviPlan;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Updates are written in natural parameters: sweep(rho) moves each factor's η a fraction rho of
 * the way to its coordinate optimum. Along that segment the ELBO, as a function of the one factor,
 * only rises (it is minus a Bregman divergence to the optimum plus a constant), so damped sweeps
 * are monotone and reach the same fixed point as CAVI; and a tiny rho leaves q where it was, which
 * checks that η and q convert into each other for every family.
 */
class StepSizeTest {
    static Driver.Compiled compiled(String file) throws Exception {
        return Models.compile(Files.readString(Path.of("models", file)));
    }

    static double[] data(Driver.Compiled c, String file) throws Exception {
        var req = new Driver.Request(new org.cavi.source.SourceFile("models/" + file, Files.readString(Path.of("models", file))),
                Path.of("models"), java.util.Map.of(), java.util.List.of(), true);
        Points p = Driver.loadData(Driver.compile(req).get(), req, Path.of(".")).get();
        return p.rows(1, Integer.MAX_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gmm.vi", "gmm-dirichlet.vi", "gmm-precisions.vi", "gmm-normal-gamma.vi", "normal-mean-precision.vi",
        "beta-bernoulli.vi", "gamma-poisson.vi", "exponential-mixture.vi", "poisson-mixture.vi", "mvn-known.vi", "bishop-gmm.vi",
        "dp-mixture.vi"})
    void dampedSweepsClimbToTheSameFixedPoint(String file) throws Exception {
        Driver.Compiled c = compiled(file);
        CaviPlan plan = c.plan();
        double[] x = data(c, file);
        CaviState full = Fitter.start(plan.mixture(), x, new SplittableRandom(4));
        CaviState damped = Fitter.start(plan.mixture(), x, new SplittableRandom(4));
        double a = 0, b = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < 3000; t++) {
            double prev = a;
            a = full.sweep();
            if (t > 0 && Math.abs(a - prev) <= 1e-13 * Math.abs(a)) break;
        }
        for (int t = 0; t < 6000; t++) {
            double e = damped.sweep(0.5);
            assertTrue(e >= b - 1e-9 * Math.abs(e), file + ": damped sweep " + (t + 1) + " " + e + " < " + b);
            if (Math.abs(e - b) <= 1e-13 * Math.abs(e)) { b = e; break; }
            b = e;
        }
        assertEquals(a, b, 1e-7 * Math.abs(a), file);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gmm.vi", "gmm-dirichlet.vi", "gmm-precisions.vi", "gmm-normal-gamma.vi", "normal-mean-precision.vi",
        "beta-bernoulli.vi", "exponential-mixture.vi", "mvn-known.vi", "bishop-gmm.vi", "dp-mixture.vi"})
    void aTinyStepLeavesQWhereItWas(String file) throws Exception {
        Driver.Compiled c = compiled(file);
        double[] x = data(c, file);
        CaviState s = Fitter.start(c.plan().mixture(), x, new SplittableRandom(2));
        for (int t = 0; t < 3; t++) s.sweep();
        Posterior before = s.posterior();
        s.sweep(1e-12);
        Posterior after = s.posterior();
        for (Posterior.Block bb : before.blocks()) {
            Posterior.Block ab = after.block(bb.latent());
            for (String f : bb.fields().keySet()) {
                double[] u = flat(bb.fields().get(f)), v = flat(ab.fields().get(f));
                for (int i = 0; i < u.length; i++) {
                    assertEquals(u[i], v[i], 1e-7 * Math.max(1, Math.abs(u[i])), file + " " + bb.latent() + "." + f + "[" + i + "]");
                }
            }
        }
    }

    static double[] flat(Object v) {
        if (v instanceof double[] a) return a;
        if (v instanceof double[][] a) return java.util.Arrays.stream(a).flatMapToDouble(java.util.Arrays::stream).toArray();
        return java.util.Arrays.stream((double[][][]) v).flatMap(java.util.Arrays::stream).flatMapToDouble(java.util.Arrays::stream).toArray();
    }
}

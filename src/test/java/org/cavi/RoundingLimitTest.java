package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.cavi.driver.Driver;
import org.cavi.infer.FitOptions;
import org.cavi.infer.FitResult;
import org.cavi.infer.Fitter;
import org.junit.jupiter.api.Test;

/**
 * --tol 0 at the rounding limit: the fit ends, on the documented criterion, at the fixed point
 * of the updates to rounding. The fixed point is checked by one update of q(mu) written afresh
 * here, with compensated sums.
 */
class RoundingLimitTest {

    /**
     * max_k |m'_k − m_k| / max(1, |m_k|), m' the means after one exact CAVI update of phi then
     * q(mu) from q = (m, s2) in the known-variance mixture: 0 at the fixed point.
     */
    static double residual(double[] x, double[] m, double[] s2, double mu0, double sigma2, double lambda) {
        int k = m.length;
        double[] n = new double[k], nc = new double[k], s = new double[k], sc = new double[k], e = new double[k];
        for (double xi : x) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                e[j] = -((xi - m[j]) * (xi - m[j]) + s2[j]) / (2 * lambda);
                max = Math.max(max, e[j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) sum += e[j] = Math.exp(e[j] - max);
            for (int j = 0; j < k; j++) {
                double p = e[j] / sum;
                add(n, nc, j, p);
                add(s, sc, j, p * xi);
            }
        }
        double most = 0;
        for (int j = 0; j < k; j++) {
            double next = (mu0 / sigma2 + (s[j] + sc[j]) / lambda) / (1 / sigma2 + (n[j] + nc[j]) / lambda);
            most = Math.max(most, Math.abs(next - m[j]) / Math.max(1, Math.abs(m[j])));
        }
        return most;
    }

    /** Neumaier's compensated sum: sum[j] + carry[j] += v. */
    private static void add(double[] sum, double[] carry, int j, double v) {
        double t = sum[j] + v;
        carry[j] += Math.abs(sum[j]) >= Math.abs(v) ? (sum[j] - t) + v : (v - t) + sum[j];
        sum[j] = t;
    }

    private static double residual(FitResult r, double[] x, double sigma2) {
        double[] m = r.q().block("mu").field("mean");
        double[] s2 = Arrays.stream(r.q().block("mu").field("sd")).map(v -> v * v).toArray();
        return residual(x, m, s2, 0, sigma2, 1);
    }

    private static FitResult fit(double[] x, int k, double sigma2, int maxIter) {
        Driver.Compiled c = Models.compile(Models.GMM, "K=" + k, "mu0=0", "sigma2=" + sigma2, "lambda=1");
        return Fitter.fit(c.plan(), x, new FitOptions(1, 1, maxIter, 0, 1), () -> false);
    }

    /**
     * Far-apart clusters: the sweeps reach their fixed point in a few sweeps and then cycle in the
     * last bits, the ELBO flickering by a unit in its last place. |ΔELBO| ≤ 0 never held, so
     * --tol 0 ran to --max-iter (20,000 sweeps, 19.5 s, before the rounding limit).
     */
    @Test
    void farApartClustersStopAtTheRoundingLimitInAFewSweeps() {
        SplittableRandom rng = new SplittableRandom(6);
        double[] x = new double[30000];
        for (int i = 0; i < x.length; i++) x[i] = 100 * (i % 3 - 1) + rng.nextGaussian();
        FitResult r = fit(x, 3, 1e4, 100_000);
        assertEquals(FitResult.Stop.ROUNDING_LIMIT, r.stop());
        assertTrue(r.converged());
        assertTrue(r.iterations() <= 20, "sweeps " + r.iterations());
        double[] t = r.trace();
        // the ELBO never stood still: the old rule, |ΔELBO| ≤ 0, could not stop it
        for (int i = 1; i < t.length; i++) assertNotEquals(t[i - 1], t[i], Arrays.toString(t));
        double res = residual(r, x, 1e4);
        assertTrue(res <= 1e-14, "one more exact update moves the means by " + res);
    }

    /**
     * The seed's 5000 points around 1, 5, 7, 9, 15: the ELBO stops moving at all (ΔELBO = 0, where
     * the old --tol 0 rule stopped) while the means are still contracting to their fixed point.
     * The parameters' criterion sweeps on until they have stopped too.
     */
    @Test
    void anElboThatStandsStillIsNotEnoughWhileTheParametersStillMove() throws IOException {
        double[] x = Files.readAllLines(Path.of("models/data/gmm-seed.csv")).stream().skip(1)
                .mapToDouble(Double::parseDouble).toArray();
        FitResult r = fit(x, 5, 1, 100_000);
        assertEquals(FitResult.Stop.ROUNDING_LIMIT, r.stop());
        assertTrue(r.iterations() < 1000, "sweeps " + r.iterations());
        double[] t = r.trace();
        int still = 1;
        while (still < t.length && t[still] != t[still - 1]) still++;
        assertTrue(still < t.length - 1, "the ELBO stood still before the end: " + still + " of " + t.length);
        // the state where the old rule stopped: the same restart, cut off there
        FitResult early = fit(x, 5, 1, still + 1);
        assertEquals(t[still], early.elbo());
        double before = residual(early, x, 1), after = residual(r, x, 1);
        assertTrue(after <= 1e-13, "at the rounding limit one more exact update moves the means by " + after);
        assertTrue(after * 100 <= before, "residual " + after + " at the rounding limit, " + before + " where ΔELBO = 0");
    }
}

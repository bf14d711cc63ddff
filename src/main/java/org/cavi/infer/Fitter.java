package org.cavi.infer;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.cavi.data.Points;
import org.cavi.plan.CaviPlan;
import org.cavi.plan.Mixture;

/** Restarts from seeded initialisations, sweeps each to convergence, keeps the best ELBO. */
public final class Fitter {
    private Fitter() {}

    /** Told after every sweep: which restart (from 1), which sweep of it (from 1), and the ELBO. */
    public interface Listener {
        Listener NONE = (restart, restarts, sweep, elbo) -> {};
        void swept(int restart, int restarts, int sweep, double elbo);
    }

    /** The result, and the state of the best restart, which a REPL can sweep on from. */
    public record Run(FitResult result, CaviState best) {}

    /** Whether a restart has converged after a sweep: |ΔELBO| ≤ tol·|ELBO|. */
    public static boolean converged(double previous, double current, double tol) {
        return Math.abs(current - previous) <= tol * Math.abs(current);
    }

    /** The start of the first restart, exactly as {@link #fit} makes it: where the REPL's :step begins. */
    public static CaviState firstStart(Mixture mix, Points x, long seed, int threads) {
        return start(mix, x, new SplittableRandom(seed).split(), Parallel.of(threads));
    }

    /** A seeded k-means++-style start, for one-dimensional or multivariate data. */
    public static CaviState start(Mixture mix, double[] x, SplittableRandom rng) {
        return start(mix, Points.of(x), rng, Parallel.of(1));
    }

    public static CaviState start(Mixture mix, double[] x, SplittableRandom rng, Parallel parallel) {
        return start(mix, Points.of(x), rng, parallel);
    }

    public static CaviState start(Mixture mix, Points x, SplittableRandom rng, Parallel parallel) {
        return mix.components() instanceof Mixture.Components.MvNormal ? MvSweeper.init(mix, x, rng, parallel)
                : Sweeper.init(mix, x, rng, parallel);
    }

    public static FitResult fit(CaviPlan plan, double[] x, FitOptions options, BooleanSupplier cancel) {
        return run(plan, Points.of(x), options, cancel, Listener.NONE).result();
    }

    /**
     * @param cancel polled between sweeps; when it says true the fit stops and
     *               returns the best so far, marked cancelled
     */
    public static Run run(CaviPlan plan, Points x, FitOptions options, BooleanSupplier cancel, Listener listener) {
        Mixture mix = plan.mixture();
        long start = System.nanoTime();
        double bestElbo = Double.NEGATIVE_INFINITY;
        CaviState best = null;
        double[] bestTrace = new double[0];
        boolean bestConverged = false;
        long sweeps = 0;
        int restartsRun = 0;
        boolean cancelled = false;
        SplittableRandom root = new SplittableRandom(options.seed());
        for (int r = 0; r < options.restarts() && !cancelled; r++) {
            CaviState s = start(mix, x, root.split(), Parallel.of(options.threads()));
            restartsRun++;
            double[] trace = new double[Math.min(options.maxIter(), 64)];
            int t = 0;
            boolean conv = false;
            while (t < options.maxIter()) {
                if (cancel.getAsBoolean()) { cancelled = true; break; }
                double elbo = s.sweep();
                if (t == trace.length) trace = Arrays.copyOf(trace, Math.min(options.maxIter(), 2 * trace.length));
                trace[t++] = elbo;
                sweeps++;
                listener.swept(r + 1, options.restarts(), t, elbo);
                if (t > 1 && converged(trace[t - 2], elbo, options.tol())) { conv = true; break; }
            }
            if (t == 0) continue;
            double last = trace[t - 1];
            if (best == null || last > bestElbo) {
                bestElbo = last;
                best = s;
                bestTrace = Arrays.copyOf(trace, t);
                bestConverged = conv;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (best == null) best = firstStart(mix, x, options.seed(), options.threads());
        FitResult result = FitResult.sorted(plan.model(), (int) (x.size() / mix.dimension()), mix.k(), bestElbo, bestTrace.length, bestConverged,
                restartsRun, sweeps, seconds, bestTrace, best.posterior(), best.key(), best.weights(), cancelled);
        return new Run(result, best);
    }
}

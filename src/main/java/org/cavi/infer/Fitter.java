package org.cavi.infer;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.cavi.data.Points;
import org.cavi.family.Posterior;
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

    /**
     * The result, the state of the best restart, which a REPL can sweep on from, and which restart
     * it was (from 0), which {@link #replay} can sweep again.
     */
    public record Run(FitResult result, CaviState best, int restart) {}

    /** Told a replayed restart's state before its first sweep (sweep 0, ELBO NaN) and after each sweep. */
    public interface Replayed {
        void at(int sweep, CaviState s, double elbo);
    }

    /**
     * Sweeps restart {@code restart} (from 0) of a fit with these options again, from its seeded
     * start, {@code sweeps} times, telling {@code to} its state at the start and after each sweep;
     * returns the ELBO after each sweep. Restarts are seeded by splitting one root in turn, so
     * restart r starts from the root's (r+1)-th split; a sweep's bits do not depend on the
     * threads, so the replay repeats the fit's restart bit for bit, and nothing of the fit's
     * other restarts need be kept.
     */
    public static double[] replay(Mixture mix, Points x, FitOptions options, int restart, int sweeps, Replayed to) {
        SplittableRandom root = new SplittableRandom(options.seed()), own = null;
        for (int r = 0; r <= restart; r++) own = root.split();
        CaviState s = start(mix, x, own, Engine.forData(x, options.threads()));
        to.at(0, s, Double.NaN);
        double[] trace = new double[sweeps];
        for (int t = 1; t <= sweeps; t++) {
            trace[t - 1] = s.sweep();
            to.at(t, s, trace[t - 1]);
        }
        return trace;
    }

    /** Whether a restart has converged after a sweep by the tolerance: |ΔELBO| ≤ tol·|ELBO|. */
    public static boolean converged(double previous, double current, double tol) {
        return Math.abs(current - previous) <= tol * Math.abs(current);
    }

    /**
     * The rounding bound of an ELBO summed from terms of total magnitude {@code magnitude} over
     * {@code n} points: R = 8·ε·√(1 + n/64)·magnitude, ε = 2^-52. The pass adds its sums point
     * by point within each of 64 blocks (or fewer points per lane), and rounding errors of m
     * such additions grow like √m; the factor 8 covers the formulas' own few roundings. Measured,
     * the last-bit flicker of fits at their fixed point is at most about R/8 (models/bernoulli-mixture.vi
     * with --tol 0: ±24 units in the last place of its ELBO, R/8 = 2.9e-12). Two ELBOs closer than R
     * cannot be told apart, and a decrease within R is rounding, not a bug.
     */
    public static double roundingBound(double magnitude, long n) {
        return 8 * Math.ulp(1.0) * Math.sqrt(1 + n / 64.0) * magnitude;
    }

    /** The rounding bound of the last sweep's ELBO of {@code s}, fitted to {@code n} points. */
    public static double roundingBound(CaviState s, long n) {
        return roundingBound(s.elboMagnitude(), n);
    }

    /**
     * The stop rule of one restart, told each sweep's ELBO in turn. A restart stops at the
     * tolerance when |ΔELBO| ≤ tol·|ELBO| and tol·|ELBO| is above the ELBO's rounding bound R.
     * Where the tolerance asks for less than R (--tol 0, say), the ELBO cannot show convergence,
     * and the parameters decide: the restart stops at the rounding limit when |ΔELBO| ≤ R and the
     * largest relative change of q's reported parameters in this sweep is not smaller than in the
     * sweep before (or is 0). Sweeping is a contraction near the fixed point, so that change
     * shrinks every sweep until rounding noise is all that is left of it; a cycle in the last bits,
     * the usual end, repeats the same change.
     */
    static final class StopRule {
        private final double tol;
        private final long n;
        private double previousElbo = Double.NaN;
        private double[] previousParameters;
        private double previousChange = Double.NaN;

        StopRule(double tol, long n) {
            this.tol = tol;
            this.n = n;
        }

        /** Whether to stop after a sweep that left {@code s} with ELBO {@code elbo}; null to go on. */
        FitResult.Stop after(CaviState s, double elbo) {
            double previous = previousElbo;
            previousElbo = elbo;
            double bound = roundingBound(s, n);
            if (tol * Math.abs(elbo) > bound) {
                return !Double.isNaN(previous) && converged(previous, elbo, tol) ? FitResult.Stop.TOLERANCE : null;
            }
            // only here, below the rounding bound, are the parameters read: the default tolerance costs nothing
            double[] parameters = parameters(s.posterior());
            double change = previousParameters == null ? Double.NaN : relativeChange(previousParameters, parameters);
            double before = previousChange;
            previousParameters = parameters;
            previousChange = change;
            if (Double.isNaN(previous) || Math.abs(elbo - previous) > bound || Double.isNaN(change)) return null;
            return change == 0 || change >= before ? FitResult.Stop.ROUNDING_LIMIT : null;
        }
    }

    /** Every number of a reported q but its summaries, in block and field order. */
    static double[] parameters(Posterior q) {
        java.util.stream.DoubleStream.Builder out = java.util.stream.DoubleStream.builder();
        for (Posterior.Block b : q.blocks()) {
            b.fields().forEach((name, v) -> {
                if (!Posterior.SUMMARIES.contains(name)) add(v, out);
            });
        }
        return out.build().toArray();
    }

    private static void add(Object v, java.util.stream.DoubleStream.Builder out) {
        if (v instanceof double[] a) {
            for (double d : a) out.add(d);
        } else {
            for (Object row : (Object[]) v) add(row, out);
        }
    }

    /** max_i |a_i − b_i| / max(|a_i|, |b_i|), an entry that is 0 in both counting 0. */
    static double relativeChange(double[] a, double[] b) {
        double most = 0;
        for (int i = 0; i < a.length; i++) {
            double scale = Math.max(Math.abs(a[i]), Math.abs(b[i]));
            if (scale > 0) most = Math.max(most, Math.abs(a[i] - b[i]) / scale);
        }
        return most;
    }

    /** The start of the first restart, exactly as {@link #fit} makes it: where the REPL's :step begins. */
    public static CaviState firstStart(Mixture mix, Points x, long seed, int threads) {
        return start(mix, x, new SplittableRandom(seed).split(), Engine.forData(x, threads));
    }

    /** A seeded k-means++-style start, for one-dimensional or multivariate data. */
    public static CaviState start(Mixture mix, double[] x, SplittableRandom rng) {
        return start(mix, Points.of(x), rng, Parallel.of(1));
    }

    public static CaviState start(Mixture mix, double[] x, SplittableRandom rng, Parallel parallel) {
        return start(mix, Points.of(x), rng, parallel);
    }

    /** A seeded start whose sweeps run their passes on {@code engine} (which must hold {@code x}'s blocks, if it keeps them). */
    public static CaviState start(Mixture mix, Points x, SplittableRandom rng, Engine engine) {
        return mix.components() instanceof Mixture.Components.MvNormal ? MvSweeper.init(mix, x, rng, engine)
                : Sweeper.init(mix, x, rng, engine);
    }

    public static FitResult fit(CaviPlan plan, double[] x, FitOptions options, BooleanSupplier cancel) {
        return run(plan, Points.of(x), options, cancel, Listener.NONE).result();
    }

    /**
     * @param cancel polled between sweeps; when it says true the fit stops and
     *               returns the best so far, marked cancelled
     */
    public static Run run(CaviPlan plan, Points x, FitOptions options, BooleanSupplier cancel, Listener listener) {
        return run(plan, x, options, Engine.forData(x, options.threads()), cancel, listener);
    }

    /**
     * As {@link #run(CaviPlan, Points, FitOptions, BooleanSupplier, Listener)}, with the passes on
     * {@code engine}: the local {@link Parallel}, or a distributed one holding x's blocks. Everything
     * but the passes (the starts, the updates, the ELBO, the stop rule, the restarts) runs here,
     * the same code for every engine, so every engine gives the same bits.
     */
    public static Run run(CaviPlan plan, Points x, FitOptions options, Engine engine, BooleanSupplier cancel, Listener listener) {
        Mixture mix = plan.mixture();
        long start = System.nanoTime();
        double bestElbo = Double.NEGATIVE_INFINITY;
        CaviState best = null;
        double[] bestTrace = new double[0];
        FitResult.Stop bestStop = FitResult.Stop.MAX_ITER;
        int bestRestart = 0;
        long sweeps = 0;
        int restartsRun = 0;
        boolean cancelled = false;
        SplittableRandom root = new SplittableRandom(options.seed());
        // without assignments there is one optimum (each update is exact given the others, and the
        // mean field of a conjugate model has one fixed point), so a second start only repeats the first
        int restarts = mix.selector().isPresent() ? options.restarts() : 1;
        for (int r = 0; r < restarts && !cancelled; r++) {
            CaviState s = start(mix, x, root.split(), engine);
            restartsRun++;
            double[] trace = new double[Math.min(options.maxIter(), 64)];
            int t = 0;
            FitResult.Stop stop = FitResult.Stop.MAX_ITER;
            StopRule rule = new StopRule(options.tol(), x.size() / mix.dimension());
            while (t < options.maxIter()) {
                if (cancel.getAsBoolean()) { cancelled = true; break; }
                double elbo = s.sweep();
                if (t == trace.length) trace = Arrays.copyOf(trace, Math.min(options.maxIter(), 2 * trace.length));
                trace[t++] = elbo;
                sweeps++;
                listener.swept(r + 1, restarts, t, elbo);
                FitResult.Stop now = rule.after(s, elbo);
                if (now != null) { stop = now; break; }
            }
            if (t == 0) continue;
            double last = trace[t - 1];
            if (best == null || last > bestElbo) {
                bestElbo = last;
                best = s;
                bestTrace = Arrays.copyOf(trace, t);
                bestStop = stop;
                bestRestart = r;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (best == null) best = firstStart(mix, x, options.seed(), options.threads());
        FitResult result = FitResult.sorted(plan.model(), (int) (x.size() / mix.dimension()), mix.k(), bestElbo, bestTrace.length,
                bestStop, restartsRun, sweeps, seconds, bestTrace, best.posterior(), best.key(), best.weights(), cancelled);
        return new Run(result, best, bestRestart);
    }
}

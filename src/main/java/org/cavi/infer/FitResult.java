package org.cavi.infer;

import java.util.Comparator;
import java.util.stream.IntStream;
import org.cavi.family.Posterior;

/**
 * The fit of the best restart, with components sorted by the posterior mean of the key latent.
 *
 * @param trace     the ELBO after each sweep of the best restart
 * @param sweeps    sweeps over all restarts
 * @param seconds   wall time of the fit over all restarts, not counting loading
 * @param q         the variational posterior
 * @param weights   the mean of phi over the data, per component
 * @param stop      why the best restart stopped
 * @param cancelled whether a cancel request stopped the fit early
 */
public record FitResult(String model, int n, int k, double elbo, int iterations, Stop stop,
                        int restarts, long sweeps, double seconds, double[] trace, Posterior q,
                        double[] weights, boolean cancelled) {

    /** Why a restart stopped sweeping. */
    public enum Stop {
        /** |ΔELBO| ≤ tol·|ELBO|, where tol·|ELBO| is above the ELBO's rounding bound. */
        TOLERANCE("tolerance"),
        /**
         * The tolerance asked for less than rounding can show: the ELBO's change was within its
         * rounding bound and the parameters' change per sweep had stopped shrinking ({@link Fitter}).
         */
        ROUNDING_LIMIT("rounding_limit"),
        /** Neither: --max-iter sweeps, or a cancel request during the restart. */
        MAX_ITER("max_iter");

        private final String text;

        Stop(String text) { this.text = text; }

        /** As the JSON report writes it. */
        public String text() { return text; }
    }

    /** Whether the best restart met the stop rule (the tolerance or the rounding limit). */
    public boolean converged() { return stop == Stop.TOLERANCE || stop == Stop.ROUNDING_LIMIT; }

    public FitResult {
        trace = trace.clone();
        weights = weights.clone();
    }

    /** A result whose components are put in ascending order of {@code key}. */
    public static FitResult sorted(String model, int n, int k, double elbo, int iterations, Stop stop,
                                   int restarts, long sweeps, double seconds, double[] trace, Posterior q,
                                   double[] key, double[] weights, boolean cancelled) {
        int[] order = order(key);
        return new FitResult(model, n, k, elbo, iterations, stop, restarts, sweeps, seconds, trace,
                q.permuted(order, k), Posterior.permute(weights, order), cancelled);
    }

    static int[] order(double[] key) {
        return IntStream.range(0, key.length).boxed()
                .sorted(Comparator.comparingDouble(j -> key[j])).mapToInt(Integer::intValue).toArray();
    }

    /** The current q of a sweeper, sorted as a result would be. */
    public static Posterior sortedPosterior(CaviState s) {
        return s.posterior().permuted(order(s.key()), s.key().length);
    }

    public static double[] sortedWeights(CaviState s) {
        return Posterior.permute(s.weights(), order(s.key()));
    }

    public double[] trace() { return trace.clone(); }
    public double[] weights() { return weights.clone(); }
}

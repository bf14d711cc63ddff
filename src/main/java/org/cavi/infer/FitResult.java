package org.cavi.infer;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The fit of the best restart, with components sorted by posterior mean.
 *
 * @param trace     the ELBO after each sweep of the best restart
 * @param sweeps    sweeps over all restarts
 * @param seconds   wall time of the fit over all restarts, not counting loading
 * @param cancelled whether a cancel request stopped the fit early
 */
public record FitResult(String model, int n, int k, double elbo, int iterations, boolean converged,
                        int restarts, long sweeps, double seconds, double[] trace, double[] means,
                        double[] variances, double[] weights, boolean meansFixed, boolean cancelled) {

    public FitResult {
        trace = trace.clone();
        final double[] byMean = means;
        int[] order = IntStream.range(0, means.length).boxed()
                .sorted(Comparator.comparingDouble(j -> byMean[j])).mapToInt(Integer::intValue).toArray();
        means = permute(means, order);
        variances = permute(variances, order);
        weights = permute(weights, order);
    }

    private static double[] permute(double[] v, int[] order) {
        double[] out = new double[v.length];
        for (int j = 0; j < order.length; j++) out[j] = v[order[j]];
        return out;
    }

    public double[] trace() { return trace.clone(); }
    public double[] means() { return means.clone(); }
    public double[] variances() { return variances.clone(); }
    public double[] weights() { return weights.clone(); }

    public double[] sds() { return Arrays.stream(variances).map(Math::sqrt).toArray(); }
}

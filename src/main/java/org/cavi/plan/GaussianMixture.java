package org.cavi.plan;

import java.util.Arrays;
import java.util.Optional;

/**
 * The numbers of the conjugate Gaussian mixture: mu[k] ~ Normal(mu0, sigma2),
 * c[i] ~ Categorical(pi), x[i] ~ Normal(mu[c[i]], lambda).
 *
 * @param fixedMeans   component means fixed with --set (then q(mu) is a point mass)
 * @param fixedAssign  assignments fixed with --set, 1-based (only simulate uses them)
 */
public record GaussianMixture(String data, String sizeName, String means, String assignments, int k,
                              double priorMean, double priorVariance, double noiseVariance, double[] logPi,
                              Optional<double[]> fixedMeans, Optional<double[]> fixedAssign) {

    public GaussianMixture {
        logPi = logPi.clone();
        fixedMeans = fixedMeans.map(double[]::clone);
        fixedAssign = fixedAssign.map(double[]::clone);
    }

    public double[] logPi() { return logPi.clone(); }
    public Optional<double[]> fixedMeans() { return fixedMeans.map(double[]::clone); }
    public Optional<double[]> fixedAssign() { return fixedAssign.map(double[]::clone); }

    public double[] pi() { return Arrays.stream(logPi).map(Math::exp).toArray(); }

    /** The same model with other means fixed, or none. */
    public GaussianMixture withFixedMeans(Optional<double[]> means) {
        return new GaussianMixture(data, sizeName, this.means, assignments, k, priorMean, priorVariance,
                noiseVariance, logPi, means, fixedAssign);
    }
}

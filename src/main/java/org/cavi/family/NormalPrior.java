package org.cavi.family;

import java.util.List;

/**
 * The priors of a Normal likelihood's parameters, as the compiler matched them: the prior of the
 * component means and the likelihood's precision, in one dimension and in D. They say which
 * update and which ELBO terms {@link NormalGammaComponents} and {@link NormalWishartComponents} run.
 */
public final class NormalPrior {
    private NormalPrior() {}

    /** The prior variance of the component means. */
    public sealed interface MeanPrior {
        record Variance(double v) implements MeanPrior {}
        /** mu ~ Normal(m0, 1/(beta0·tau)): the Normal-Gamma prior. */
        record Scaled(double beta0) implements MeanPrior {}
    }

    /** The precision tau = 1/variance of the likelihood. */
    public sealed interface Precision {
        record Known(double tau) implements Precision {}
        record Gamma(String name, double a0, double b0) implements Precision {}
    }

    /** The prior covariance of multivariate component means. */
    public sealed interface MvMeanPrior {
        record Covariance(double[][] s0) implements MvMeanPrior {}
        /** mu ~ MvNormal(m0, inv(beta0·Lambda)): the Normal-Wishart prior. */
        record Scaled(double beta0) implements MvMeanPrior {}
    }

    /** The precision matrix of a multivariate Normal likelihood. */
    public sealed interface MvPrecision {
        record Known(double[][] lambda) implements MvPrecision {}
        record Wishart(String name, double nu0, double[][] w0) implements MvPrecision {}
    }

    /**
     * Which of q(mu) and q(precision) a plan step sets, {mu, precision}: the step names the mean,
     * the learned precision ({@code precision}, null when it is known), or both for a joint block.
     * Anything else is a compiler bug.
     */
    static boolean[] parts(List<String> step, String mean, String precision, boolean meansFixed, boolean joint) {
        boolean mu = step.contains(mean);
        boolean prec = precision != null && step.contains(precision);
        int held = (mu ? 1 : 0) + (prec ? 1 : 0);
        if (held == 0 || held != step.size() || (mu && meansFixed) || (joint && !meansFixed && !(mu && prec))) {
            throw new IllegalStateException("the plan updates " + step + ", which this model does not hold");
        }
        return new boolean[] {mu, prec};
    }
}

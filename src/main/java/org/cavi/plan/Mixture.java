package org.cavi.plan;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cavi.family.LinearLikelihood;
import org.cavi.family.NormalPrior.MeanPrior;
import org.cavi.family.NormalPrior.MvMeanPrior;
import org.cavi.family.NormalPrior.MvPrecision;
import org.cavi.family.NormalPrior.Precision;

/**
 * The numbers of a conjugate model the runtime executes: K components of one likelihood
 * family, picked per data point by a Categorical assignment (or a single component when
 * there is no assignment), with fixed, Dirichlet or stick-breaking weights.
 *
 * @param selector the assignment latent c, when the model is a mixture
 * @param fixed    latents fixed with --set, by name
 */
public record Mixture(String data, String sizeName, int k, Optional<String> selector, Weights weights,
                      Components components, Map<String, double[]> fixed, List<List<String>> schedule) {

    public Mixture {
        schedule = schedule.stream().map(List::copyOf).toList();
        Map<String, double[]> copy = new LinkedHashMap<>();
        fixed.forEach((name, v) -> copy.put(name, v.clone()));
        fixed = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * The same numbers with the plan's updates in the order a sweep runs them, each given by the
     * latents it sets: [c], [pi], [mu], [tau] or [mu, tau] for a joint factor. The runtime follows
     * this list; it has no order of its own.
     */
    public Mixture withSchedule(List<List<String>> steps) {
        return new Mixture(data, sizeName, k, selector, weights, components, fixed, steps);
    }

    public Optional<double[]> fixedValue(String latent) {
        return Optional.ofNullable(fixed.get(latent)).map(double[]::clone);
    }

    /** The mixture weights of the assignments. */
    public sealed interface Weights {
        /** No assignment: one component. */
        record None() implements Weights {}

        /** Constant probabilities, as logs. */
        record Fixed(double[] logPi) implements Weights {
            public Fixed { logPi = logPi.clone(); }
            public double[] logPi() { return logPi.clone(); }
            @Override public boolean equals(Object o) { return o instanceof Fixed f && Arrays.equals(logPi, f.logPi); }
            @Override public int hashCode() { return Arrays.hashCode(logPi); }
        }

        /** A Dirichlet latent: pi ~ Dirichlet(alpha0). */
        record Dirichlet(String name, double[] alpha0) implements Weights {
            public Dirichlet { alpha0 = alpha0.clone(); }
            public double[] alpha0() { return alpha0.clone(); }
            @Override public boolean equals(Object o) {
                return o instanceof Dirichlet d && name.equals(d.name) && Arrays.equals(alpha0, d.alpha0);
            }
            @Override public int hashCode() { return name.hashCode() * 31 + Arrays.hashCode(alpha0); }
        }

        /**
         * pi ~ StickBreaking(alpha, K): the weights of a Dirichlet process truncated in q, as
         * scikit-learn's BayesianGaussianMixture(weight_concentration_prior_type="dirichlet_process"):
         * sticks v[k] ~ Beta(1, alpha), pi[k] = v[k]·Π_{j<k}(1 − v[j]) for k = 1..K, and
         * q(c[i]) on the first K components only (so q of the sticks and components past K is
         * their prior, and they add nothing to the ELBO); q(v[k]) = Beta(a[k], b[k]).
         */
        record StickBreaking(String name, double alpha) implements Weights {}
    }

    /** The per-component parameters and their priors. */
    public sealed interface Components {
        /** The latent whose expectation orders the components in reports. */
        String key();

        /**
         * x ~ Normal(mu, 1/tau): mu ~ Normal(m0, v) or Normal(m0, 1/(beta0·tau));
         * tau known or ~ Gamma(a0, b0); {@code joint} when q(mu, tau) is one factor.
         */
        record Normal(String mean, double m0, MeanPrior meanPrior, Precision precision, boolean joint)
                implements Components {
            public String key() { return mean; }
        }

        /**
         * x ~ MvNormal(mu, inv(Lambda)) in d dimensions: mu ~ MvNormal(m0, S0) or MvNormal(m0, inv(beta0·Lambda));
         * Lambda known or ~ Wishart(nu0, W0); {@code joint} when q(mu, Lambda) is one factor.
         */
        record MvNormal(String mean, int d, double[] m0, MvMeanPrior meanPrior, MvPrecision precision, boolean joint)
                implements Components {
            public MvNormal { m0 = m0.clone(); }
            public double[] m0() { return m0.clone(); }
            public String key() { return mean; }
        }

        /**
         * x ~ L(theta) with L a likelihood of {@link org.cavi.family.Registry#LINEAR} (Bernoulli, Poisson,
         * Exponential, …) and theta ~ its conjugate prior (a0, b0): Beta(a, b) or Gamma(shape, rate).
         */
        record Linear(String parameter, LinearLikelihood likelihood, double a0, double b0) implements Components {
            public String key() { return parameter; }
        }
    }

    /** The dimension of one data point. */
    public int dimension() {
        return components instanceof Components.MvNormal mv ? mv.d() : 1;
    }

    /** The component means' latent, for a Normal likelihood. */
    public Optional<Components.Normal> normal() {
        return components instanceof Components.Normal n ? Optional.of(n) : Optional.empty();
    }
}

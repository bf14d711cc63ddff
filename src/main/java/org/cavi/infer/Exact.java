package org.cavi.infer;

import java.util.Optional;
import org.cavi.data.Points;
import org.cavi.family.NormalPrior;
import org.cavi.family.PositiveFamily;
import org.cavi.family.Special;
import org.cavi.plan.Mixture;

/**
 * The exact posterior and log evidence log p(x) of the models that have them in closed form:
 * one component (no assignments) of a conjugate pair. Beside a fit's ELBO, log p(x) − ELBO is
 * KL(q ‖ p(θ | x)): 0 where q's family holds the exact posterior, the price of the mean field
 * where it does not (the Normal with unknown mean and precision, fitted as q(μ)q(τ)).
 *
 * @param logEvidence log p(x), every constant included
 * @param posterior   the exact posterior, as text: "Beta(a = 36, b = 68)"
 * @param normalGamma for the Normal with unknown mean and precision, the exact posterior's
 *                    (m, beta, a, b): μ | τ ~ N(m, 1/(beta·τ)), τ ~ Gamma(a, b); else empty
 */
public record Exact(double logEvidence, String posterior, double[] normalGamma) {
    public Exact {
        normalGamma = normalGamma.clone();
    }

    Exact(double logEvidence, String posterior) {
        this(logEvidence, posterior, new double[0]);
    }

    public double[] normalGamma() { return normalGamma.clone(); }

    /** log p(μ, τ | x) of the Normal-Gamma posterior. */
    public double logNormalGamma(double mu, double tau) {
        double m = normalGamma[0], beta = normalGamma[1], a = normalGamma[2], b = normalGamma[3];
        double d = mu - m;
        return a * Math.log(b) - Special.logGamma(a) + (a - 1) * Math.log(tau) - b * tau
                + 0.5 * Math.log(beta * tau / (2 * Math.PI)) - 0.5 * beta * tau * d * d;
    }

    /** Why a model's exact posterior is not known here, or empty. */
    public static Optional<String> unsupported(Mixture mix) {
        if (mix.selector().isPresent()) {
            return Optional.of("a mixture's exact posterior sums over every assignment (K^n of them); compare-exact knows "
                    + "the models without assignments");
        }
        if (mix.components() instanceof Mixture.Components.MvNormal) {
            return Optional.of("compare-exact knows the one-dimensional models; this one has D-dimensional data");
        }
        if (mix.components() instanceof Mixture.Components.Normal n && n.precision() instanceof NormalPrior.Precision.Gamma
                && n.meanPrior() instanceof NormalPrior.MeanPrior.Variance && !mix.fixed().containsKey(n.mean())) {
            return Optional.of("with a Normal(m0, v) prior on the mean and a Gamma prior on the precision the exact posterior "
                    + "is not in closed form; write the mean's prior as Normal(m0, 1/(beta0*tau)), the Normal-Gamma prior");
        }
        return Optional.empty();
    }

    /** The exact posterior and log evidence of {@code x}; check {@link #unsupported} first. */
    public static Exact of(Mixture mix, Points x) {
        long n = x.size();
        double sum = 0;
        for (long i = 0; i < n; i++) sum += x.get(i);
        if (mix.components() instanceof Mixture.Components.Linear lin) {
            // log p(x) = Σ h(x_i) + A(q after all the data) − A(prior): the conjugate update, once
            PositiveFamily q = lin.likelihood().prior();
            double[] eta = q.natural(lin.a0(), lin.b0()), u = lin.likelihood().u(), v = lin.likelihood().v();
            double[] post = q.fromNatural(eta[0] + n * u[0] + sum * v[0], eta[1] + n * u[1] + sum * v[1]);
            double base = 0;
            if (lin.likelihood().hasBase()) for (long i = 0; i < n; i++) base += lin.likelihood().logBase(x.get(i));
            String[] names = q.parameterNames();
            return new Exact(base + q.logNormalizer(post[0], post[1]) - q.logNormalizer(lin.a0(), lin.b0()),
                    String.format(java.util.Locale.ROOT, "%s ~ %s(%s = %s, %s = %s)", lin.parameter(), q.name(), names[0],
                            Special.format(post[0]), names[1], Special.format(post[1])));
        }
        Mixture.Components.Normal c = (Mixture.Components.Normal) mix.components();
        double mean = sum / n, spread = 0; // Σ (x − x̄)², summed about the mean for accuracy
        for (long i = 0; i < n; i++) spread += (x.get(i) - mean) * (x.get(i) - mean);
        double halfLog2Pi = 0.5 * Math.log(2 * Math.PI);
        double[] fixed = mix.fixed().get(c.mean());
        if (fixed != null) {
            // the mean fixed with --set: the ELBO keeps its prior term, so this is log p(x, μ = value)
            double mu = fixed[0], m0 = c.m0(), dm = mu - m0;
            double squares = spread + n * (mean - mu) * (mean - mu);
            String given = " (" + c.mean() + " fixed at " + Special.format(mu) + ": the evidence is p(x, " + c.mean() + " = "
                    + Special.format(mu) + ")";
            if (c.precision() instanceof NormalPrior.Precision.Known k) {
                double v = ((NormalPrior.MeanPrior.Variance) c.meanPrior()).v();
                return new Exact(n * (0.5 * Math.log(k.tau()) - halfLog2Pi) - 0.5 * k.tau() * squares
                        - halfLog2Pi - 0.5 * Math.log(v) - 0.5 * dm * dm / v, "nothing is unknown" + given + ")");
            }
            NormalPrior.Precision.Gamma g = (NormalPrior.Precision.Gamma) c.precision();
            double an = g.a0() + n / 2.0, bn = g.b0() + squares / 2, log = -n * halfLog2Pi;
            if (c.meanPrior() instanceof NormalPrior.MeanPrior.Scaled sc) {
                // μ | τ ~ N(m0, 1/(β0·τ)) is one more Normal factor in τ
                an += 0.5;
                bn += sc.beta0() * dm * dm / 2;
                log += -halfLog2Pi + 0.5 * Math.log(sc.beta0());
            } else {
                double v = ((NormalPrior.MeanPrior.Variance) c.meanPrior()).v();
                log += -halfLog2Pi - 0.5 * Math.log(v) - 0.5 * dm * dm / v;
            }
            return new Exact(log + g.a0() * Math.log(g.b0()) - Special.logGamma(g.a0()) + Special.logGamma(an) - an * Math.log(bn),
                    String.format(java.util.Locale.ROOT, "%s ~ Gamma(shape = %s, rate = %s)", g.name(), Special.format(an),
                            Special.format(bn)) + given + ")");
        }
        double m0 = c.m0();
        if (c.precision() instanceof NormalPrior.Precision.Known k) {
            // μ ~ N(m0, v), x_i ~ N(μ, 1/τ): the posterior N(mn, 1/λn), and p(x) = p(x | μ) p(μ) / p(μ | x) at μ = mn
            double v = ((NormalPrior.MeanPrior.Variance) c.meanPrior()).v(), tau = k.tau();
            double lambdaN = 1 / v + n * tau, mn = (m0 / v + tau * sum) / lambdaN;
            double logLik = n * (0.5 * Math.log(tau) - halfLog2Pi) - 0.5 * tau * (spread + n * (mean - mn) * (mean - mn));
            double logPrior = -halfLog2Pi - 0.5 * Math.log(v) - 0.5 * (mn - m0) * (mn - m0) / v;
            double logPost = -halfLog2Pi + 0.5 * Math.log(lambdaN);
            return new Exact(logLik + logPrior - logPost, String.format(java.util.Locale.ROOT, "%s ~ Normal(mean = %s, sd = %s)",
                    c.mean(), Special.format(mn), Special.format(1 / Math.sqrt(lambdaN))));
        }
        // the Normal-Gamma prior: μ | τ ~ N(m0, 1/(β0·τ)), τ ~ Gamma(a0, b0) (Murphy 2007, §6)
        NormalPrior.Precision.Gamma g = (NormalPrior.Precision.Gamma) c.precision();
        double beta0 = ((NormalPrior.MeanPrior.Scaled) c.meanPrior()).beta0();
        double betaN = beta0 + n, mn = (beta0 * m0 + sum) / betaN, an = g.a0() + n / 2.0;
        double bn = g.b0() + 0.5 * spread + beta0 * n * (mean - m0) * (mean - m0) / (2 * betaN);
        double log = Special.logGamma(an) - Special.logGamma(g.a0()) + g.a0() * Math.log(g.b0()) - an * Math.log(bn)
                + 0.5 * Math.log(beta0 / betaN) - n * halfLog2Pi;
        return new Exact(log, String.format(java.util.Locale.ROOT,
                "%s, %s ~ NormalGamma(m = %s, beta = %s, shape = %s, rate = %s)", c.mean(), g.name(), Special.format(mn),
                Special.format(betaN), Special.format(an), Special.format(bn)), new double[] {mn, betaN, an, bn});
    }
}

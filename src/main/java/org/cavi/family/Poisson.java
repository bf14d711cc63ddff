package org.cavi.family;

import java.util.Optional;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.random.RandomGenerator;

/** x ~ Poisson(rate), rate ~ Gamma(shape, rate): log p(x | λ) = x·log λ − λ − log x!. */
public record Poisson() implements LinearLikelihood {
    public String name() { return "Poisson"; }
    public String parameter() { return "rate"; }
    public java.util.List<String> references() {
        return java.util.List.of(Registry.BDA + " (§2.6, the Poisson model with a Gamma prior)", Registry.PRML + ", §2.4.2 (conjugate priors)");
    }
    public PositiveFamily prior() { return PositiveFamily.GAMMA; }
    public double[] u() { return new double[] {0, -1}; }
    public double[] v() { return new double[] {1, 0}; }
    @Override public double logBase(double x) { return -Special.logGamma(x + 1); }
    @Override public boolean hasBase() { return true; }
    @Override public String baseText(String sumI, String x) { return " − " + sumI + " log " + x + "!"; }
    public Optional<String> invalidDatum(double x) {
        return x >= 0 && x == Math.rint(x) && !Double.isInfinite(x) ? Optional.empty() : Optional.of("a count (0, 1, 2, ...)");
    }
    public double density(double rate, double x) {
        return rate > 0 ? new PoissonDistribution(rate).probability((int) Math.round(x)) : (x == 0 ? 1 : 0);
    }
    public boolean discrete() { return true; }
    /**
     * Below this rate Commons Math draws the count (as cavi always has, so simulated data keep
     * their bits); above it that sampler costs time in proportion to the rate (0.3 s a draw at
     * 1e7), so the count comes from Hörmann's transformed rejection, O(1) and exact.
     */
    static final double LARGE_RATE = 1e6;
    /** Beyond 2^52 consecutive counts are no longer distinct doubles: the Normal limit is exact to rounding. */
    static final double HUGE_RATE = 0x1p52;

    public double sample(double rate, double u, RandomGenerator well) {
        if (!(rate > 0)) return 0;
        if (rate < LARGE_RATE) return new PoissonDistribution(well, rate, 1e-12, 10_000).sample();
        if (rate >= HUGE_RATE) return Math.rint(rate + Math.sqrt(rate) * well.nextGaussian());
        return transformedRejection(rate, well);
    }

    /** Hörmann (1993), "The transformed rejection method for generating Poisson random variables" (PTRS), for rates ≥ 10. */
    static double transformedRejection(double mu, RandomGenerator rng) {
        double smu = Math.sqrt(mu), logMu = Math.log(mu);
        double b = 0.931 + 2.53 * smu, a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double v = rng.nextDouble(), w = rng.nextDouble() - 0.5, us = 0.5 - Math.abs(w);
            double k = Math.floor((2 * a / us + b) * w + mu + 0.43);
            if (us >= 0.07 && v <= vr) return k;
            if (k < 0 || (us < 0.013 && v > us)) continue;
            if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -mu + k * logMu - Special.logGamma(k + 1)) return k;
        }
    }
}

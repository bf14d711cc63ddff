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
    public double sample(double rate, double u, RandomGenerator well) {
        return rate > 0 ? new PoissonDistribution(well, rate, 1e-12, 10_000).sample() : 0;
    }
    public String logDensity(String x, String rate) { return x + "·log " + rate + " − " + rate + " − log " + x + "!"; }
}

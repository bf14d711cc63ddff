package org.cavi.family;

import java.util.Optional;
import org.apache.commons.math3.random.RandomGenerator;

/** x ~ Exponential(rate), rate ~ Gamma(shape, rate): log p(x | λ) = log λ − λ·x, for x ≥ 0. */
public record Exponential() implements LinearLikelihood {
    public String name() { return "Exponential"; }
    public String parameter() { return "rate"; }
    public java.util.List<String> references() {
        return java.util.List.of(Registry.BDA + " (§2.6, the exponential model with a Gamma prior)",
                Registry.PRML + ", §2.4.2 (conjugate priors)");
    }
    public PositiveFamily prior() { return PositiveFamily.GAMMA; }
    public double[] u() { return new double[] {1, 0}; }
    public double[] v() { return new double[] {0, -1}; }
    public Optional<String> invalidDatum(double x) {
        return x >= 0 && x < Double.POSITIVE_INFINITY ? Optional.empty() : Optional.of("a number ≥ 0");
    }
    public double density(double rate, double x) { return x < 0 ? 0 : rate * Math.exp(-rate * x); }
    public boolean discrete() { return false; }
    @Override public boolean byInversion() { return true; }
    public double sample(double rate, double u, RandomGenerator well) {
        return -Math.log1p(-u) / rate;   // 1 − u is in (0, 1]
    }
}

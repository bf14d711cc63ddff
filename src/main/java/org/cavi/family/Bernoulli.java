package org.cavi.family;

import java.util.Optional;
import org.apache.commons.math3.random.RandomGenerator;

/** x ~ Bernoulli(p), p ~ Beta(a, b): log p(x | p) = x·log p + (1 − x)·log(1 − p). */
public record Bernoulli() implements LinearLikelihood {
    public String name() { return "Bernoulli"; }
    public String parameter() { return "probability"; }
    @Override public String argument() { return "p"; }
    public java.util.List<String> references() {
        return java.util.List.of(Registry.PRML + ", §2.1 (Beta-Bernoulli)", Registry.BDA);
    }
    public PositiveFamily prior() { return PositiveFamily.BETA; }
    public double[] u() { return new double[] {0, 1}; }
    public double[] v() { return new double[] {1, -1}; }
    public Optional<String> invalidDatum(double x) {
        return x == 0 || x == 1 ? Optional.empty() : Optional.of("0 or 1");
    }
    public double density(double p, double x) { return x >= 0.5 ? p : 1 - p; }
    public boolean discrete() { return true; }
    @Override public boolean byInversion() { return true; }
    public double sample(double p, double u, RandomGenerator well) { return u < p ? 1 : 0; }
}

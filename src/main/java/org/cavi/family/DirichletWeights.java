package org.cavi.family;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** pi ~ Dirichlet(alpha0), q(pi) = Dirichlet(alpha): alpha = alpha0 + N; η = alpha − 1 for log pi. */
public final class DirichletWeights implements Weights {
    private final String name;
    private final double[] alpha0;
    private final int k;
    private final double[] alpha, elogPi;

    /** Starts as if each component held an even share of the n points. */
    public DirichletWeights(String name, double[] alpha0, long n) {
        this.name = name;
        this.alpha0 = alpha0.clone();
        this.k = alpha0.length;
        this.alpha = new double[k];
        this.elogPi = new double[k];
        for (int j = 0; j < k; j++) alpha[j] = alpha0[j] + (double) n / k;
        expectations();
    }

    private void expectations() {
        double total = 0;
        for (double v : alpha) total += v;
        double psiTotal = Special.digamma(total);
        for (int j = 0; j < k; j++) elogPi[j] = Special.digamma(alpha[j]) - psiTotal;
    }

    public double[] elogPi() { return elogPi; }

    public boolean sets(List<String> step) { return step.equals(List.of(name)); }

    public void update(SuffStats s) {
        for (int j = 0; j < k; j++) alpha[j] = alpha0[j] + s.n[j];
        expectations();
    }

    public double elbo(SuffStats s) {
        double e = 0;
        for (int j = 0; j < k; j++) e += s.n[j] * elogPi[j];
        e += logNormaliser(alpha0) - logNormaliser(alpha);
        for (int j = 0; j < k; j++) e += (alpha0[j] - alpha[j]) * elogPi[j];
        return e;
    }

    /** log Γ(Σα) − Σ log Γ(α_k): the log normaliser of Dirichlet(α). */
    public void terms(SuffStats s, String selector, Map<String, Double> out) {
        double c = 0, prior = logNormaliser(alpha0), entropy = -logNormaliser(alpha);
        for (int j = 0; j < k; j++) {
            c += s.n[j] * elogPi[j];
            prior += (alpha0[j] - 1) * elogPi[j];
            entropy -= (alpha[j] - 1) * elogPi[j];
        }
        out.put("E[log p(" + selector + ")]", c);
        out.put("E[log p(" + name + ")]", prior);
        out.put("H[q(" + name + ")]", entropy);
    }

    static double logNormaliser(double[] a) {
        double total = 0, sum = 0;
        for (double v : a) { total += v; sum += Special.logGamma(v); }
        return Special.logGamma(total) - sum;
    }

    public double[] natural() {
        double[] eta = new double[k];
        for (int j = 0; j < k; j++) eta[j] = alpha[j] - 1;
        return eta;
    }

    public void setNatural(double[] eta) {
        for (int j = 0; j < k; j++) alpha[j] = eta[j] + 1;
        expectations();
    }

    public void report(Map<String, Posterior.Block> out) {
        double total = 0;
        for (double v : alpha) total += v;
        double[] mean = new double[k];
        for (int j = 0; j < k; j++) mean[j] = alpha[j] / total;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("alpha", alpha.clone());
        f.put("mean", mean);
        double sum = total;
        Interval.put(f, k, j -> Interval.beta(alpha[j], sum - alpha[j])); // pi[k]'s marginal
        out.put(name, new Posterior.Block(name, "Dirichlet", f));
    }
}

package org.cavi.infer;

import org.cavi.family.SuffStats;

import org.cavi.family.Posterior;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.special.Gamma;
import org.cavi.plan.Mixture;

/** q(pi) and E[log pi]: fixed, or a Dirichlet updated from N. */
final class WeightsState {
    private final Mixture.Weights prior;
    private final int k;
    final double[] elogPi;
    private final double[] alpha;

    WeightsState(Mixture.Weights prior, int k, int n) {
        this.prior = prior;
        this.k = k;
        this.elogPi = new double[k];
        this.alpha = new double[k];
        if (prior instanceof Mixture.Weights.Fixed f) {
            System.arraycopy(f.logPi(), 0, elogPi, 0, k);
        } else if (prior instanceof Mixture.Weights.Dirichlet d) {
            double[] a0 = d.alpha0();
            for (int j = 0; j < k; j++) alpha[j] = a0[j] + (double) n / k; // an even split to start
            expectations();
        }
    }

    private void expectations() {
        double total = 0;
        for (double a : alpha) total += a;
        double psiTotal = Gamma.digamma(total);
        for (int j = 0; j < k; j++) elogPi[j] = Gamma.digamma(alpha[j]) - psiTotal;
    }

    /** Whether this plan step is the update of q(pi). */
    boolean sets(List<String> step) {
        return prior instanceof Mixture.Weights.Dirichlet d && step.equals(List.of(d.name()));
    }

    void update(SuffStats s) {
        if (prior instanceof Mixture.Weights.Dirichlet d) {
            double[] a0 = d.alpha0();
            for (int j = 0; j < k; j++) alpha[j] = a0[j] + s.n[j];
            expectations();
        }
    }

    /** E[log p(c)] + E[log p(pi)] + H[q(pi)] at the current q. */
    double elbo(SuffStats s) {
        if (prior instanceof Mixture.Weights.None) return 0;
        double e = 0;
        for (int j = 0; j < k; j++) e += s.n[j] * elogPi[j];
        if (prior instanceof Mixture.Weights.Dirichlet d) {
            double[] a0 = d.alpha0();
            e += logNormaliser(a0) - logNormaliser(alpha);
            for (int j = 0; j < k; j++) e += (a0[j] - alpha[j]) * elogPi[j];
        }
        return e;
    }

    /** log Γ(Σα) − Σ log Γ(α_k): the log normaliser of Dirichlet(α). */
    private static double logNormaliser(double[] a) {
        double total = 0, sum = 0;
        for (double v : a) { total += v; sum += Gamma.logGamma(v); }
        return Gamma.logGamma(total) - sum;
    }

    void report(Map<String, Posterior.Block> out) {
        if (prior instanceof Mixture.Weights.Dirichlet d) {
            double total = 0;
            for (double a : alpha) total += a;
            double[] mean = new double[k];
            for (int j = 0; j < k; j++) mean[j] = alpha[j] / total;
            Map<String, Object> f = new java.util.LinkedHashMap<>();
            f.put("alpha", alpha.clone());
            f.put("mean", mean);
            out.put(d.name(), new Posterior.Block(d.name(), "Dirichlet", f));
        }
    }
}

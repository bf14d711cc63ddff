package org.cavi.infer;

import org.cavi.family.PositiveFamily;
import org.cavi.family.SuffStats;

import org.cavi.family.Posterior;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.special.Gamma;
import org.cavi.plan.Mixture;

/**
 * q(pi) and E[log pi]: fixed, a Dirichlet updated from N, or the K sticks of a truncated
 * stick-breaking prior, q(v[k]) = Beta(a[k], b[k]) with a[k] = 1 + N[k] and
 * b[k] = alpha + Σ_{j>k} N[j] (scikit-learn's dirichlet_process weights, last stick included).
 */
final class WeightsState {
    private static final PositiveFamily BETA = PositiveFamily.BETA;
    private final Mixture.Weights prior;
    private final int k;
    final double[] elogPi;
    private final double[] alpha;
    /** The sticks' Beta parameters, in the model's order (stick-breaking only). */
    final double[] a, b;

    WeightsState(Mixture.Weights prior, int k, int n) {
        this.prior = prior;
        this.k = k;
        this.elogPi = new double[k];
        this.alpha = new double[k];
        this.a = new double[k];
        this.b = new double[k];
        if (prior instanceof Mixture.Weights.Fixed f) {
            System.arraycopy(f.logPi(), 0, elogPi, 0, k);
        } else if (prior instanceof Mixture.Weights.Dirichlet d) {
            double[] a0 = d.alpha0();
            for (int j = 0; j < k; j++) alpha[j] = a0[j] + (double) n / k; // an even split to start
            expectations();
        } else if (prior instanceof Mixture.Weights.StickBreaking sb) {
            for (int j = 0; j < k; j++) { // an even split to start: N[j] = n/K
                a[j] = 1 + (double) n / k;
                b[j] = sb.alpha() + (double) n / k * (k - 1 - j);
            }
            expectations();
        }
    }

    /** E[log pi] from the current q. */
    void expectations() {
        if (prior instanceof Mixture.Weights.StickBreaking) {
            double rest = 0; // Σ_{j<k} E[log(1 − v[j])]
            for (int j = 0; j < k; j++) {
                elogPi[j] = BETA.eT1(a[j], b[j]) + rest;
                rest += BETA.eT2(a[j], b[j]);
            }
            return;
        }
        double total = 0;
        for (double v : alpha) total += v;
        double psiTotal = Gamma.digamma(total);
        for (int j = 0; j < k; j++) elogPi[j] = Gamma.digamma(alpha[j]) - psiTotal;
    }

    /** Whether this plan step is the update of q(pi). */
    boolean sets(List<String> step) {
        return (prior instanceof Mixture.Weights.Dirichlet d && step.equals(List.of(d.name())))
                || (prior instanceof Mixture.Weights.StickBreaking sb && step.equals(List.of(sb.name())));
    }

    /** Dirichlet: alpha − 1; stick-breaking: each stick's Beta (a − 1, b − 1). */
    double[] natural() {
        if (prior instanceof Mixture.Weights.StickBreaking) {
            double[] eta = new double[2 * k];
            for (int j = 0; j < k; j++) { eta[2 * j] = a[j] - 1; eta[2 * j + 1] = b[j] - 1; }
            return eta;
        }
        double[] eta = new double[k];
        for (int j = 0; j < k; j++) eta[j] = alpha[j] - 1;
        return eta;
    }

    void setNatural(double[] eta) {
        if (prior instanceof Mixture.Weights.StickBreaking) {
            for (int j = 0; j < k; j++) { a[j] = eta[2 * j] + 1; b[j] = eta[2 * j + 1] + 1; }
        } else {
            for (int j = 0; j < k; j++) alpha[j] = eta[j] + 1;
        }
        expectations();
    }

    void update(SuffStats s) {
        if (prior instanceof Mixture.Weights.Dirichlet d) {
            double[] a0 = d.alpha0();
            for (int j = 0; j < k; j++) alpha[j] = a0[j] + s.n[j];
            expectations();
        } else if (prior instanceof Mixture.Weights.StickBreaking sb) {
            for (int j = 0; j < k; j++) {
                a[j] = 1 + s.n[j];
                b[j] = sb.alpha() + s.tail(j);
            }
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
        } else if (prior instanceof Mixture.Weights.StickBreaking sb) {
            for (int j = 0; j < k; j++) {
                e += BETA.priorTerm(1, sb.alpha(), BETA.eT1(a[j], b[j]), BETA.eT2(a[j], b[j]));
                e += BETA.entropy(a[j], b[j]);
            }
        }
        return e;
    }

    /** log Γ(Σα) − Σ log Γ(α_k): the log normaliser of Dirichlet(α). */
    private static double logNormaliser(double[] a) {
        double total = 0, sum = 0;
        for (double v : a) { total += v; sum += Gamma.logGamma(v); }
        return Gamma.logGamma(total) - sum;
    }

    /** E[pi[k]] = E[v[k]]·Π_{j<k} E[1 − v[j]] under the sticks' q. */
    double[] stickMeans() {
        double[] mean = new double[k];
        double rest = 1;
        for (int j = 0; j < k; j++) {
            mean[j] = rest * a[j] / (a[j] + b[j]);
            rest *= b[j] / (a[j] + b[j]);
        }
        return mean;
    }

    void report(Map<String, Posterior.Block> out) {
        if (prior instanceof Mixture.Weights.Dirichlet d) {
            double total = 0;
            for (double v : alpha) total += v;
            double[] mean = new double[k];
            for (int j = 0; j < k; j++) mean[j] = alpha[j] / total;
            Map<String, Object> f = new java.util.LinkedHashMap<>();
            f.put("alpha", alpha.clone());
            f.put("mean", mean);
            out.put(d.name(), new Posterior.Block(d.name(), "Dirichlet", f));
        } else if (prior instanceof Mixture.Weights.StickBreaking sb) {
            // Every field is per component, so sorting the components carries each one's stick
            // along; "stick" is the stick's place in the model's order (1 = broken first).
            double[] stick = new double[k];
            for (int j = 0; j < k; j++) stick[j] = j + 1;
            Map<String, Object> f = new java.util.LinkedHashMap<>();
            f.put("a", a.clone());
            f.put("b", b.clone());
            f.put("mean", stickMeans());
            f.put("stick", stick);
            out.put(sb.name(), new Posterior.Block(sb.name(), "StickBreaking", f));
        }
    }
}

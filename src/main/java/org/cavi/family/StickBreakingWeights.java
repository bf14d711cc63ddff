package org.cavi.family;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * pi ~ StickBreaking(alpha, K): sticks v[k] ~ Beta(1, alpha), pi[k] = v[k]·Π_{j<k}(1 − v[j]);
 * q(v[k]) = Beta(a[k], b[k]) with a[k] = 1 + N[k], b[k] = alpha + Σ_{j>k} N[j], the last stick
 * included (scikit-learn's dirichlet_process weights). Each stick is a {@link PositiveFamily#BETA}.
 */
public final class StickBreakingWeights implements Weights {
    private static final PositiveFamily BETA = PositiveFamily.BETA;
    private final String name;
    private final double alpha;
    private final int k;
    private final double[] elogPi;
    /** The sticks' Beta parameters, in the model's order. */
    final double[] a, b;

    /** Starts as if each component held an even share of the n points. */
    public StickBreakingWeights(String name, double alpha, int k, long n) {
        this.name = name;
        this.alpha = alpha;
        this.k = k;
        this.elogPi = new double[k];
        this.a = new double[k];
        this.b = new double[k];
        for (int j = 0; j < k; j++) {
            a[j] = 1 + (double) n / k;
            b[j] = alpha + (double) n / k * (k - 1 - j);
        }
        expectations();
    }

    /** Sets the sticks' q directly (tests). */
    public void set(double[] a, double[] b) {
        System.arraycopy(a, 0, this.a, 0, k);
        System.arraycopy(b, 0, this.b, 0, k);
        expectations();
    }

    public double[] a() { return a.clone(); }

    public double[] b() { return b.clone(); }

    /** E[log pi] = E[log v[k]] + Σ_{j<k} E[log(1 − v[j])]. */
    private void expectations() {
        double rest = 0;
        for (int j = 0; j < k; j++) {
            elogPi[j] = BETA.eT1(a[j], b[j]) + rest;
            rest += BETA.eT2(a[j], b[j]);
        }
    }

    public double[] elogPi() { return elogPi; }

    public boolean sets(List<String> step) { return step.equals(List.of(name)); }

    public void update(SuffStats s) {
        for (int j = 0; j < k; j++) {
            a[j] = 1 + s.n[j];
            b[j] = alpha + s.tail(j);
        }
        expectations();
    }

    /**
     * Σ_k N_k·E[log pi_k] + E[log p(v)] + H[q(v)]. N_k and the tail Σ_{j>k} N_j are the coefficients
     * of E[log v_k] and E[log(1 − v_k)], and the update makes q's (a_k, b_k) the prior's (1, alpha)
     * plus them; so stick by stick this is (1 + N_k − a_k)·E[log v_k] + (alpha + tail − b_k)·E[log(1 − v_k)]
     * + log B(a_k, b_k) − log B(1, alpha). Written so, an E[log(1 − v)] of −1e300 (alpha = 1e-300,
     * no data past the stick) meets a coefficient of exactly 0, where the prior term and the entropy
     * would each hold ±1e300 and their sum would be rounding noise.
     */
    public void terms(SuffStats s, String selector, Map<String, Double> out) {
        double c = 0, prior = 0, entropy = 0, logB0 = Special.logBeta(1, alpha);
        for (int j = 0; j < k; j++) {
            double e1 = BETA.eT1(a[j], b[j]), e2 = BETA.eT2(a[j], b[j]);
            c += s.n[j] * e1 + s.tail(j) * e2; // E[log pi_k] = E[log v_k] + Σ_{l<k} E[log(1 − v_l)], summed by sticks
            prior += -logB0 + (alpha - 1) * e2;
            entropy += Special.logBeta(a[j], b[j]) - (a[j] - 1) * e1 - (b[j] - 1) * e2;
        }
        out.put("E[log p(" + selector + ")]", c);
        out.put("E[log p(" + name + ")]", prior);
        out.put("H[q(" + name + ")]", entropy);
    }

    public double elbo(SuffStats s) {
        double e = 0;
        double logB0 = Special.logBeta(1, alpha);
        for (int j = 0; j < k; j++) {
            double c1 = (1 + s.n[j]) - a[j], c2 = (alpha + s.tail(j)) - b[j];
            if (c1 != 0) e += c1 * BETA.eT1(a[j], b[j]);
            if (c2 != 0) e += c2 * BETA.eT2(a[j], b[j]);
            e += Special.logBeta(a[j], b[j]) - logB0;
        }
        return e;
    }

    /** E[pi[k]] = E[v[k]]·Π_{j<k} E[1 − v[j]] under the sticks' q. */
    public double[] means() {
        double[] mean = new double[k];
        double rest = 1;
        for (int j = 0; j < k; j++) {
            mean[j] = rest * a[j] / (a[j] + b[j]);
            rest *= b[j] / (a[j] + b[j]);
        }
        return mean;
    }

    /** Each stick's Beta: (a − 1, b − 1). */
    public double[] natural() {
        double[] eta = new double[2 * k];
        for (int j = 0; j < k; j++) {
            double[] e = BETA.natural(a[j], b[j]);
            eta[2 * j] = e[0];
            eta[2 * j + 1] = e[1];
        }
        return eta;
    }

    public void setNatural(double[] eta) {
        for (int j = 0; j < k; j++) {
            double[] ab = BETA.fromNatural(eta[2 * j], eta[2 * j + 1]);
            a[j] = ab[0];
            b[j] = ab[1];
        }
        expectations();
    }

    public void report(Map<String, Posterior.Block> out) {
        // Every field is per component, so sorting the components carries each one's stick
        // along; "stick" is the stick's place in the model's order (1 = broken first).
        double[] stick = new double[k];
        for (int j = 0; j < k; j++) stick[j] = j + 1;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("a", a.clone());
        f.put("b", b.clone());
        f.put("mean", means());
        f.put("stick", stick);
        out.put(name, new Posterior.Block(name, "StickBreaking", f));
    }
}

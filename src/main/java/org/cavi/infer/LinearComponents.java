package org.cavi.infer;

import java.util.List;
import java.util.Map;
import org.cavi.family.LinearLikelihood;
import org.cavi.family.PositiveFamily;
import org.cavi.family.Posterior;
import org.cavi.family.SuffStats;

/**
 * The components of any {@link LinearLikelihood} (Bernoulli, Poisson, Exponential, …) with
 * their conjugate q(θ_k) = family(a_k, b_k): the exponent of each data point is linear in x,
 * and the update and the ELBO need only N and Σφx. Nothing here names a likelihood.
 */
final class LinearComponents extends ComponentModel {
    private final LinearLikelihood lik;
    private final PositiveFamily family;
    private final String name;
    private final double a0, b0;
    private final double[] u, v, sign;
    /** Σ_i h(x_i) over the data: the likelihood's base measure. */
    private final double logBase;
    final double[] a, b;

    LinearComponents(LinearLikelihood lik, String name, double a0, double b0, int k, double[] centres, double n, double logBase) {
        super(k);
        this.lik = lik;
        this.family = lik.prior();
        this.name = name;
        this.a0 = a0;
        this.b0 = b0;
        this.u = lik.u();
        this.v = lik.v();
        this.sign = family.signs();
        this.logBase = logBase;
        a = new double[k];
        b = new double[k];
        // start each component as if it held an even share of the data, all at its centre
        double share = n / k;
        for (int j = 0; j < k; j++) {
            double[] msg = message(share, share * start(centres[j]));
            a[j] = a0 + sign[0] * msg[0];
            b[j] = b0 + sign[1] * msg[1];
        }
    }

    /** The centre a component starts from: a probability pulled off 0 and 1, a count off 0. */
    private double start(double centre) {
        if (family instanceof PositiveFamily.Beta) return centre > 0.5 ? 0.75 : 0.25;
        return lik.v()[0] != 0 ? centre + 0.5 : Math.max(centre, 1e-3);
    }

    /** The message to q(θ) in natural coordinates: u·N + v·Σφx. */
    private double[] message(double nk, double sx) {
        return new double[] {u[0] * nk + v[0] * sx, u[1] * nk + v[1] * sx};
    }

    @Override boolean quadratic() { return false; }

    @Override
    void coefficients(double[] bias, double[] halfA, double[] r, double[] slope) {
        for (int j = 0; j < k; j++) {
            double e1 = family.eT1(a[j], b[j]), e2 = family.eT2(a[j], b[j]);
            bias[j] = u[0] * e1 + u[1] * e2;
            slope[j] = v[0] * e1 + v[1] * e2;
        }
    }

    @Override
    void update(List<String> step, SuffStats s) {
        if (!step.equals(List.of(name))) throw unknown(step);
        for (int j = 0; j < k; j++) {
            double[] msg = message(s.n[j], s.sum(j));
            a[j] = a0 + sign[0] * msg[0];
            b[j] = b0 + sign[1] * msg[1];
        }
    }

    @Override
    double[] natural(List<String> step) {
        if (!step.equals(List.of(name))) throw unknown(step);
        double[] eta = new double[2 * k];
        for (int j = 0; j < k; j++) {
            double[] e = family.natural(a[j], b[j]);
            eta[2 * j] = e[0];
            eta[2 * j + 1] = e[1];
        }
        return eta;
    }

    @Override
    void setNatural(List<String> step, double[] eta) {
        if (!step.equals(List.of(name))) throw unknown(step);
        for (int j = 0; j < k; j++) {
            double[] ab = family.fromNatural(eta[2 * j], eta[2 * j + 1]);
            a[j] = ab[0];
            b[j] = ab[1];
        }
    }

    /** E[log p(x | c, θ)], summed over the components, with the base measure. */
    double expectedLogLik(SuffStats s) {
        double e = logBase;
        for (int j = 0; j < k; j++) {
            double[] msg = message(s.n[j], s.sum(j));
            e += msg[0] * family.eT1(a[j], b[j]) + msg[1] * family.eT2(a[j], b[j]);
        }
        return e;
    }

    double priorTerm() {
        double e = 0;
        for (int j = 0; j < k; j++) e += family.priorTerm(a0, b0, family.eT1(a[j], b[j]), family.eT2(a[j], b[j]));
        return e;
    }

    double entropy() {
        double e = 0;
        for (int j = 0; j < k; j++) e += family.entropy(a[j], b[j]);
        return e;
    }

    @Override
    double elbo(SuffStats s) {
        return expectedLogLik(s) + priorTerm() + entropy();
    }

    @Override
    void terms(SuffStats s, String likelihood, Map<String, Double> out) {
        out.put(likelihood, expectedLogLik(s));
        out.put("E[log p(" + name + ")]", priorTerm());
        out.put("H[q(" + name + ")]", entropy());
    }

    @Override
    double[] key() {
        double[] mean = new double[k];
        for (int j = 0; j < k; j++) mean[j] = family.mean(a[j], b[j]);
        return mean;
    }

    @Override
    void report(Map<String, Posterior.Block> out) {
        out.put(name, new Posterior.Block(name, family.name(), family.report(a, b)));
    }
}

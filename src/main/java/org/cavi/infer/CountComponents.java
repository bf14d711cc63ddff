package org.cavi.infer;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;
import org.cavi.data.Points;
import org.cavi.plan.Mixture;

/**
 * Bernoulli likelihood with Beta(a0, b0) priors, or Poisson likelihood with Gamma(a0, b0)
 * priors: the exponent of each data point is linear in x, and the updates need N and Σφx.
 */
final class CountComponents extends ComponentModel {
    private final boolean bernoulli;
    private final String name;
    private final double a0, b0;
    /** Σ_i log x_i! over the data: the Poisson likelihood's base measure. */
    private final double logFactorials;
    final double[] a, b;

    CountComponents(Mixture.Components c, int k, double[] centres, double n, Points x) {
        super(k);
        this.bernoulli = c instanceof Mixture.Components.Bernoulli;
        if (c instanceof Mixture.Components.Bernoulli be) { name = be.p(); a0 = be.a0(); b0 = be.b0(); }
        else { Mixture.Components.Poisson p = (Mixture.Components.Poisson) c; name = p.rate(); a0 = p.a0(); b0 = p.b0(); }
        double lf = 0;
        if (!bernoulli) for (long i = 0; i < x.size(); i++) lf += Gamma.logGamma(x.get(i) + 1);
        logFactorials = lf;
        a = new double[k];
        b = new double[k];
        double share = n / k;
        for (int j = 0; j < k; j++) {
            if (bernoulli) {
                double p = centres[j] > 0.5 ? 0.75 : 0.25;
                a[j] = a0 + share * p;
                b[j] = b0 + share * (1 - p);
            } else {
                a[j] = a0 + share * (centres[j] + 0.5);
                b[j] = b0 + share;
            }
        }
    }

    @Override boolean quadratic() { return false; }

    private double eLog(int j) {
        return bernoulli ? Gamma.digamma(a[j]) - Gamma.digamma(a[j] + b[j]) : Gamma.digamma(a[j]) - Math.log(b[j]);
    }

    /** Bernoulli: E[log(1 − p)]; Poisson: E[rate]. */
    private double second(int j) {
        return bernoulli ? Gamma.digamma(b[j]) - Gamma.digamma(a[j] + b[j]) : a[j] / b[j];
    }

    @Override
    void coefficients(double[] bias, double[] halfA, double[] r, double[] slope) {
        for (int j = 0; j < k; j++) {
            if (bernoulli) {
                slope[j] = eLog(j) - second(j);
                bias[j] = second(j);
            } else {
                slope[j] = eLog(j);
                bias[j] = -second(j);
            }
        }
    }

    @Override
    void update(Stats s) {
        for (int j = 0; j < k; j++) {
            double nk = s.n[j], xk = s.sum(j);
            a[j] = a0 + xk;
            b[j] = bernoulli ? b0 + nk - xk : b0 + nk;
        }
    }

    @Override
    double elbo(Stats s) {
        double e = bernoulli ? 0 : -logFactorials;
        for (int j = 0; j < k; j++) {
            double nk = s.n[j], xk = s.sum(j), el = eLog(j), sec = second(j);
            if (bernoulli) {
                e += xk * el + (nk - xk) * sec;
                e += -Beta.logBeta(a0, b0) + (a0 - 1) * el + (b0 - 1) * sec;
                e += Beta.logBeta(a[j], b[j]) - (a[j] - 1) * Gamma.digamma(a[j]) - (b[j] - 1) * Gamma.digamma(b[j])
                        + (a[j] + b[j] - 2) * Gamma.digamma(a[j] + b[j]);
            } else {
                e += xk * el - nk * sec;
                e += a0 * Math.log(b0) - Gamma.logGamma(a0) + (a0 - 1) * el - b0 * sec;
                e += NormalComponents.gammaEntropy(a[j], b[j]);
            }
        }
        return e;
    }

    @Override
    double[] key() {
        double[] mean = new double[k];
        for (int j = 0; j < k; j++) mean[j] = bernoulli ? a[j] / (a[j] + b[j]) : a[j] / b[j];
        return mean;
    }

    @Override
    void report(Map<String, Posterior.Block> out) {
        if (!bernoulli) {
            out.put(name, NormalComponents.gammaBlock(name, a, b));
            return;
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("a", a.clone());
        f.put("b", b.clone());
        f.put("mean", key());
        out.put(name, new Posterior.Block(name, "Beta", f));
    }
}

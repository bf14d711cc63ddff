package org.cavi.infer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cavi.family.Gaussian;
import org.cavi.family.Posterior;
import org.cavi.family.PositiveFamily;
import org.cavi.family.SuffStats;
import org.cavi.plan.Mixture;

/**
 * Normal likelihood x ~ Normal(mu_k, 1/tau_k): q(mu_k) Normal (or a point mass when fixed),
 * tau_k known or q(tau_k) Gamma; with the Normal-Gamma prior mu_k ~ Normal(m0, 1/(beta0 tau_k)),
 * q(mu_k) q(tau_k) (mean-field) or the joint q(mu_k, tau_k) = Normal(m_k, 1/(beta_k tau_k)) Gamma(a_k, b_k).
 */
final class NormalComponents extends ComponentModel {
    private final Mixture.Components.Normal spec;
    private final boolean meansFixed;
    private final boolean scaled;
    private final double v0;      // prior variance of mu, when not scaled
    private final double beta0;   // prior scale, when scaled
    private final double knownTau;
    private final Mixture.Precision.Gamma gamma; // null when tau is known
    final double[] m, s2, beta, a, b;

    NormalComponents(Mixture.Components.Normal spec, int k, double[] m0, double[] fixedMeans, double n, double dataVariance) {
        super(k);
        this.spec = spec;
        this.meansFixed = fixedMeans != null;
        this.scaled = spec.meanPrior() instanceof Mixture.MeanPrior.Scaled;
        this.v0 = spec.meanPrior() instanceof Mixture.MeanPrior.Variance v ? v.v() : Double.NaN;
        this.beta0 = spec.meanPrior() instanceof Mixture.MeanPrior.Scaled s ? s.beta0() : Double.NaN;
        this.knownTau = spec.precision() instanceof Mixture.Precision.Known kn ? kn.tau() : Double.NaN;
        this.gamma = spec.precision() instanceof Mixture.Precision.Gamma g ? g : null;
        m = (meansFixed ? fixedMeans : m0).clone();
        s2 = new double[k];
        beta = new double[k];
        a = new double[k];
        b = new double[k];
        double share = n / k;
        // start each precision near K²/var(x): components narrower than the data by about K
        double tauStart = gamma == null ? knownTau : (dataVariance > 0 ? (double) k * k / dataVariance : 1);
        for (int j = 0; j < k; j++) {
            if (gamma != null) {
                a[j] = gamma.a0() + share / 2;
                b[j] = a[j] / tauStart;
            }
            if (meansFixed) continue;
            if (spec.joint()) beta[j] = beta0 + share;
            else if (scaled) s2[j] = 1 / ((beta0 + share) * tauStart);
            else s2[j] = 1 / (1 / v0 + share * tauStart);
        }
    }

    @Override boolean quadratic() { return true; }

    /** q(tau) is the Gamma unit's: E[tau] and E[log tau] are its E[T2] and E[T1]. */
    private static final PositiveFamily GAMMA = PositiveFamily.GAMMA;

    private double eTau(int j) { return gamma == null ? knownTau : GAMMA.eT2(a[j], b[j]); }
    private double eLogTau(int j) { return gamma == null ? Math.log(knownTau) : GAMMA.eT1(a[j], b[j]); }

    /** E[tau (mu − m)²]: the spread of q(mu) as the likelihood sees it. */
    private double spread(int j) {
        if (meansFixed) return 0;
        return spec.joint() ? 1 / beta[j] : eTau(j) * s2[j];
    }

    @Override
    void coefficients(double[] bias, double[] halfA, double[] r, double[] slope) {
        for (int j = 0; j < k; j++) {
            double et = eTau(j);
            bias[j] = 0.5 * eLogTau(j) - 0.5 * spread(j);
            halfA[j] = 0.5 * et;
            r[j] = m[j];
        }
    }

    /** Which of q(mu) and q(tau) a plan step sets; anything else is a compiler bug. */
    private boolean[] parts(List<String> step) {
        boolean mean = step.contains(spec.mean());
        boolean precision = gamma != null && step.contains(gamma.name());
        int known = (mean ? 1 : 0) + (precision ? 1 : 0);
        if (known == 0 || known != step.size() || (mean && meansFixed) || (spec.joint() && !meansFixed && !(mean && precision))) {
            throw unknown(step);
        }
        return new boolean[] {mean, precision};
    }

    /**
     * q(mu): (m/s2, −1/(2·s2)) for (mu, mu²); q(tau): (a − 1, −b) for (log tau, tau); the joint
     * q(mu, tau) = Normal(m, 1/(beta·tau))·Gamma(a, b): (beta·m, −beta/2, −b − beta·m²/2, a − ½)
     * for (tau·mu, tau·mu², tau, log tau). Per component, q(mu)'s block before q(tau)'s.
     */
    @Override
    double[] natural(List<String> step) {
        boolean[] p = parts(step);
        boolean joint = p[0] && p[1] && spec.joint();
        double[] eta = new double[(joint ? 4 : 2 * step.size()) * k];
        int t = 0;
        for (int j = 0; j < k; j++) {
            if (joint) {
                eta[t++] = beta[j] * m[j];
                eta[t++] = -beta[j] / 2;
                eta[t++] = -b[j] - beta[j] * m[j] * m[j] / 2;
                eta[t++] = a[j] - 0.5;
                continue;
            }
            if (p[0]) {
                eta[t++] = m[j] / s2[j];
                eta[t++] = -1 / (2 * s2[j]);
            }
            if (p[1]) {
                eta[t++] = a[j] - 1;
                eta[t++] = -b[j];
            }
        }
        return eta;
    }

    @Override
    void setNatural(List<String> step, double[] eta) {
        boolean[] p = parts(step);
        boolean joint = p[0] && p[1] && spec.joint();
        int t = 0;
        for (int j = 0; j < k; j++) {
            if (joint) {
                beta[j] = -2 * eta[t + 1];
                m[j] = eta[t] / beta[j];
                b[j] = -eta[t + 2] - beta[j] * m[j] * m[j] / 2;
                a[j] = eta[t + 3] + 0.5;
                t += 4;
                continue;
            }
            if (p[0]) {
                s2[j] = -1 / (2 * eta[t + 1]);
                m[j] = eta[t] * s2[j];
                t += 2;
            }
            if (p[1]) {
                a[j] = eta[t] + 1;
                b[j] = -eta[t + 1];
                t += 2;
            }
        }
    }

    /**
     * The plan's step: q(mu), q(tau), or the joint q(mu, tau) as one block. Each component's
     * q(tau) reads the m and s2 the plan set before it.
     */
    @Override
    void update(List<String> step, SuffStats s) {
        boolean[] p = parts(step);
        boolean mean = p[0], precision = p[1];
        for (int j = 0; j < k; j++) {
            double nk = s.n[j];
            double sum = s.sum(j);
            if (mean) {
                if (spec.joint()) {
                    beta[j] = beta0 + nk;
                    m[j] = (beta0 * spec.m0() + sum) / beta[j];
                } else if (scaled) {
                    s2[j] = 1 / ((beta0 + nk) * eTau(j));
                    m[j] = (beta0 * spec.m0() + sum) / (beta0 + nk);
                } else {
                    double et = eTau(j);
                    s2[j] = 1 / (1 / v0 + nk * et);
                    m[j] = s2[j] * (spec.m0() / v0 + et * sum);
                }
            }
            if (precision) {
                double squares = s.squaresAbout(j, m[j]);
                double dm = m[j] - spec.m0();
                if (meansFixed) {
                    a[j] = gamma.a0() + nk / 2;
                    b[j] = gamma.b0() + squares / 2 + (scaled ? beta0 * dm * dm / 2 : 0);
                    if (scaled) a[j] += 0.5;
                } else if (spec.joint()) {
                    a[j] = gamma.a0() + nk / 2;
                    b[j] = gamma.b0() + (squares + beta0 * dm * dm) / 2;
                } else if (scaled) {
                    a[j] = gamma.a0() + (nk + 1) / 2;
                    b[j] = gamma.b0() + (squares + nk * s2[j] + beta0 * (dm * dm + s2[j])) / 2;
                } else {
                    a[j] = gamma.a0() + nk / 2;
                    b[j] = gamma.b0() + (squares + nk * s2[j]) / 2;
                }
            }
        }
    }

    @Override
    double elbo(SuffStats s) {
        double e = 0;
        for (int j = 0; j < k; j++) {
            double nk = s.n[j];
            double et = eTau(j), elt = eLogTau(j), spread = spread(j);
            // likelihood: Σ_i φ_ik E[log Normal(x_i; mu_k, 1/tau_k)]
            e += Gaussian.expectedLogLik(nk, s.squaresAbout(j, m[j]), et, elt, spread);
            double dm = m[j] - spec.m0();
            // prior of mu_k
            if (scaled) {
                e += Gaussian.scaledPriorTerm(beta0, et, elt, dm, spread);
            } else {
                e += Gaussian.priorTerm(v0, dm, meansFixed ? 0 : s2[j]);
            }
            // prior of tau_k, and the entropies
            if (gamma != null) {
                e += GAMMA.priorTerm(gamma.a0(), gamma.b0(), elt, et);
                e += GAMMA.entropy(a[j], b[j]);
            }
            if (!meansFixed) {
                if (spec.joint()) e += Gaussian.conditionalEntropy(beta[j], elt);
                else e += Gaussian.entropy(s2[j]);
            }
        }
        return e;
    }

    @Override double[] key() { return m.clone(); }

    @Override
    void report(Map<String, Posterior.Block> out) {
        Map<String, Object> mu = new LinkedHashMap<>();
        if (meansFixed) {
            mu.put("value", m.clone());
            out.put(spec.mean(), new Posterior.Block(spec.mean(), "PointMass", mu));
        } else if (spec.joint()) {
            mu.put("mean", m.clone());
            mu.put("beta", beta.clone());
            out.put(spec.mean(), new Posterior.Block(spec.mean(), "Normal given " + gamma.name(), mu));
        } else {
            mu.put("mean", m.clone());
            double[] sd = new double[k];
            for (int j = 0; j < k; j++) sd[j] = Math.sqrt(s2[j]);
            mu.put("sd", sd);
            out.put(spec.mean(), new Posterior.Block(spec.mean(), "Normal", mu));
        }
        if (gamma != null) out.put(gamma.name(), new Posterior.Block(gamma.name(), GAMMA.name(), GAMMA.report(a, b)));
    }
}

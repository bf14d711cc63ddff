package org.cavi.infer;

import java.util.List;
import java.util.Map;
import org.cavi.family.NormalGammaComponents;
import org.cavi.family.NormalPrior;
import org.cavi.family.Posterior;
import org.cavi.family.SuffStats;
import org.cavi.plan.Mixture;

/**
 * The scalar sweep's view of the Normal family's unit ({@link NormalGammaComponents}): the
 * exponents e_k(x) = ½E[log tau_k] − ½E[tau_k (mu_k − m_k)²] − ½E[tau_k](x − m_k)² the pass needs;
 * the updates, the ELBO terms and the report are the unit's.
 */
final class NormalComponents extends ComponentModel {
    final NormalGammaComponents q;

    NormalComponents(Mixture.Components.Normal spec, int k, double[] m0, double[] fixedMeans, double n, double dataVariance) {
        super(k);
        // start each precision near K²/var(x): components narrower than the data by about K
        double tauStart = dataVariance > 0 ? (double) k * k / dataVariance : 1;
        boolean fixed = fixedMeans != null;
        q = new NormalGammaComponents(spec.mean(), spec.m0(), spec.meanPrior(), spec.precision(), spec.joint(), k,
                fixed ? fixedMeans : m0, fixed, n, spec.precision() instanceof NormalPrior.Precision.Gamma ? tauStart : Double.NaN);
    }

    @Override boolean quadratic() { return true; }

    @Override
    void coefficients(double[] bias, double[] halfA, double[] r, double[] slope) {
        for (int j = 0; j < k; j++) {
            double et = q.eTau(j);
            bias[j] = 0.5 * q.eLogTau(j) - 0.5 * q.spread(j);
            halfA[j] = 0.5 * et;
            r[j] = q.m[j];
        }
    }

    @Override double[] natural(List<String> step) { return q.natural(step); }

    @Override void setNatural(List<String> step, double[] eta) { q.setNatural(step, eta); }

    @Override void update(List<String> step, SuffStats s) { q.update(step, s); }

    @Override double elbo(SuffStats s) { return q.elbo(s); }
    @Override void terms(SuffStats s, String likelihood, java.util.Map<String, Double> out) { q.terms(s, likelihood, out); }

    @Override double[] key() { return q.m.clone(); }

    @Override void report(Map<String, Posterior.Block> out) { q.report(out); }
}

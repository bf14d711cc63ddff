package org.cavi.infer;

import org.cavi.family.DirichletWeights;
import org.cavi.family.StickBreakingWeights;
import org.cavi.family.Weights;
import org.cavi.plan.Mixture;

/** The weights' unit for a compiled plan: fixed, Dirichlet or stick-breaking. */
final class WeightsState {
    private WeightsState() {}

    static Weights of(Mixture.Weights spec, int k, long n) {
        if (spec instanceof Mixture.Weights.Fixed f) return new Weights.Fixed(f.logPi(), true);
        if (spec instanceof Mixture.Weights.Dirichlet d) return new DirichletWeights(d.name(), d.alpha0(), n);
        if (spec instanceof Mixture.Weights.StickBreaking sb) return new StickBreakingWeights(sb.name(), sb.alpha(), k, n);
        return new Weights.Fixed(new double[k], false);
    }
}

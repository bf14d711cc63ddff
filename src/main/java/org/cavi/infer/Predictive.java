package org.cavi.infer;

import java.util.Optional;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;
import org.cavi.family.Dense;
import org.cavi.family.Gaussian;
import org.cavi.family.NormalPrior;
import org.cavi.family.Posterior;
import org.cavi.family.Special;
import org.cavi.plan.Mixture;

/**
 * The posterior predictive under q: for a new point x*,
 * p(x* | x) ≈ Σ_k E_q[π_k] ∫ p(x* | θ_k) q(θ_k) dθ_k, which is exact under q because q keeps the
 * weights apart from the components. Each component's integral is its family's closed form: a
 * Student-t where a Gamma or Wishart precision is integrated out (with the mean, in a joint block),
 * a Normal where the precision is known, the beta-binomial, negative binomial or Lomax of a linear
 * likelihood ({@link org.cavi.family.LinearLikelihood#logPredictive}); for a mean-field q(mu)q(tau)
 * the one integral over tau left is done by quadrature. The point's responsibilities are
 * P(c* = k | x*, x) under the same q.
 */
public final class Predictive {
    /** One component's log predictive density at a point (its D coordinates). */
    private interface Component {
        double logDensity(double[] x);
    }

    /** The log predictive density of a point, and its responsibilities in the report's order of components (none without assignments). */
    public record Point(double logDensity, double[] responsibilities) {
        public Point { responsibilities = responsibilities.clone(); }
        public double[] responsibilities() { return responsibilities.clone(); }
    }

    private final Component[] components;
    private final double[] logWeights;   // model order
    private final Component rest;        // the components past a stick-breaking truncation, at their prior
    private final double logRestWeight;
    private final int[] rank;            // model order → report order
    private final boolean mixture;

    private Predictive(Component[] components, double[] logWeights, Component rest, double logRestWeight, int[] rank,
                       boolean mixture) {
        this.components = components;
        this.logWeights = logWeights;
        this.rest = rest;
        this.logRestWeight = logRestWeight;
        this.rank = rank;
        this.mixture = mixture;
    }

    /** Why this model's predictive is not computed, if it is not. */
    public static Optional<String> unsupported(Mixture mix) {
        if (mix.components() instanceof Mixture.Components.MvNormal mv && !mv.joint()
                && mv.precision() instanceof NormalPrior.MvPrecision.Wishart && mix.fixed().get(mv.mean()) == null) {
            return Optional.of("the predictive density of a mean-field q(" + mv.mean() + ")q(Lambda) has no closed form in "
                    + "D dimensions; declare the joint factor q(" + mv.mean() + "[k], Lambda[k]) to predict");
        }
        if (mix.weights() instanceof Mixture.Weights.StickBreaking && mix.fixed().containsKey(mix.components().key())) {
            return Optional.of("with stick-breaking weights the components past the truncation have no fixed value; "
                    + "predict without --set " + mix.components().key());
        }
        return Optional.empty();
    }

    /**
     * The predictive of the fitted q in {@code state}; check {@link #unsupported} first. Throws
     * NotPositiveDefinite when a component's predictive covariance is beyond doubles.
     */
    public static Predictive of(Mixture mix, CaviState state) {
        Posterior q = state.posterior();
        int k = mix.k();
        Component[] comps = new Component[k];
        for (int j = 0; j < k; j++) comps[j] = component(mix, q, j);
        double[] logW = new double[k];
        Component rest = null;
        double logRest = Double.NEGATIVE_INFINITY;
        if (mix.weights() instanceof Mixture.Weights.Fixed f) {
            logW = f.logPi();
        } else if (mix.weights() instanceof Mixture.Weights.Dirichlet d) {
            double[] mean = q.block(d.name()).field("mean");
            for (int j = 0; j < k; j++) logW[j] = Math.log(mean[j]);
        } else if (mix.weights() instanceof Mixture.Weights.StickBreaking sb) {
            double[] mean = q.block(sb.name()).field("mean");
            double total = 0;
            for (int j = 0; j < k; j++) {
                logW[j] = Math.log(mean[j]);
                total += mean[j];
            }
            // E[π] past the truncation: its components' q is their prior
            if (total < 1) {
                logRest = Math.log1p(-total);
                rest = prior(mix);
            }
        }
        double[] key = state.key();
        Integer[] order = new Integer[k];
        for (int j = 0; j < k; j++) order[j] = j;
        java.util.Arrays.sort(order, java.util.Comparator.comparingDouble(j -> key[j]));
        int[] rank = new int[k];
        for (int r = 0; r < k; r++) rank[order[r]] = r;
        return new Predictive(comps, logW, rest, logRest, rank, mix.selector().isPresent());
    }

    /** log p(x* | x) and the responsibilities, by log-sum-exp over the components. */
    public Point at(double[] x) {
        int k = components.length;
        double[] joint = new double[k];
        double most = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            joint[j] = logWeights[j] + components[j].logDensity(x);
            most = Math.max(most, joint[j]);
        }
        double restJoint = rest == null ? Double.NEGATIVE_INFINITY : logRestWeight + rest.logDensity(x);
        most = Math.max(most, restJoint);
        double sum = 0;
        for (double v : joint) sum += Math.exp(v - most);
        if (rest != null) sum += Math.exp(restJoint - most);
        double log = most + Math.log(sum);
        double[] r = new double[mixture ? k : 0];
        for (int j = 0; j < r.length; j++) r[rank[j]] = Math.exp(joint[j] - log);
        return new Point(log, r);
    }

    private static Component component(Mixture mix, Posterior q, int j) {
        if (mix.components() instanceof Mixture.Components.Linear lin) {
            Posterior.Block b = q.block(lin.parameter());
            String[] names = lin.likelihood().prior().parameterNames();
            double a = b.field(names[0])[j], bb = b.field(names[1])[j];
            return x -> lin.likelihood().logPredictive(a, bb, x[0]);
        }
        if (mix.components() instanceof Mixture.Components.Normal n) {
            Posterior.Block mu = q.block(n.mean());
            double[] tau = n.precision() instanceof NormalPrior.Precision.Gamma g
                    ? new double[] {q.block(g.name()).field("shape")[j], q.block(g.name()).field("rate")[j]} : null;
            double known = n.precision() instanceof NormalPrior.Precision.Known kn ? kn.tau() : Double.NaN;
            if (mu.family().equals("PointMass")) {
                double v = mu.field("value")[j];
                if (tau == null) return x -> Gaussian.logNormal(x[0], v, 1 / known);
                // tau integrated out of Normal(v, 1/tau): Student-t with 2a degrees of freedom, scale² b/a
                return x -> Gaussian.logStudentT(x[0], 2 * tau[0], v, Math.sqrt(tau[1] / tau[0]));
            }
            double m = mu.field("mean")[j];
            if (n.joint()) {
                double beta = mu.field("beta")[j], a = tau[0], b = tau[1];
                // Normal-Gamma integrated out: Student-t, 2a degrees of freedom, scale² b(1 + beta)/(a·beta)
                return x -> Gaussian.logStudentT(x[0], 2 * a, m, Math.sqrt(b * (1 + beta) / (a * beta)));
            }
            double s2 = Math.pow(mu.field("sd")[j], 2);
            if (tau == null) return x -> Gaussian.logNormal(x[0], m, s2 + 1 / known);
            return x -> meanFieldNormalGamma(x[0], m, s2, tau[0], tau[1]);
        }
        Mixture.Components.MvNormal mv = (Mixture.Components.MvNormal) mix.components();
        Posterior.Block mu = q.block(mv.mean());
        int d = mv.d();
        double[][] w = null;
        double nu = Double.NaN;
        if (mv.precision() instanceof NormalPrior.MvPrecision.Wishart wi) {
            Posterior.Block lam = q.block(wi.name());
            w = lam.matrices("W")[j];
            nu = lam.field("nu")[j];
        }
        double[][] knownCov = mv.precision() instanceof NormalPrior.MvPrecision.Known kn ? Dense.inverse(kn.lambda()) : null;
        if (mu.family().equals("PointMass")) {
            double[] v = mu.vectors("value")[j];
            if (w == null) return mvNormal(v, knownCov);
            return mvStudentT(nu - d + 1, v, Dense.scaled(w, nu - d + 1));
        }
        double[] m = mu.vectors("mean")[j];
        if (mv.joint()) {
            double beta = mu.field("beta")[j], dof = nu - d + 1;
            // Bishop (2006), (10.81)–(10.82): St(x | m, L, nu + 1 − D), L = (nu + 1 − D)·beta/(1 + beta)·W
            return mvStudentT(dof, m, Dense.scaled(w, dof * (beta / (1 + beta))));
        }
        double[][] s = mu.matrices("cov")[j];
        double[][] cov = new double[d][d];
        for (int r = 0; r < d; r++) for (int c = 0; c < d; c++) cov[r][c] = s[r][c] + knownCov[r][c];
        return mvNormal(m, cov);
    }

    /** A component past the truncation: its q is the prior, so this is the prior predictive. */
    private static Component prior(Mixture mix) {
        if (mix.components() instanceof Mixture.Components.Linear lin) {
            return x -> lin.likelihood().logPredictive(lin.a0(), lin.b0(), x[0]);
        }
        if (mix.components() instanceof Mixture.Components.Normal n) {
            double m0 = n.m0();
            if (n.precision() instanceof NormalPrior.Precision.Known kn) {
                double v = ((NormalPrior.MeanPrior.Variance) n.meanPrior()).v();
                return x -> Gaussian.logNormal(x[0], m0, v + 1 / kn.tau());
            }
            NormalPrior.Precision.Gamma g = (NormalPrior.Precision.Gamma) n.precision();
            if (n.meanPrior() instanceof NormalPrior.MeanPrior.Scaled sc) {
                return x -> Gaussian.logStudentT(x[0], 2 * g.a0(), m0, Math.sqrt(g.b0() * (1 + sc.beta0()) / (g.a0() * sc.beta0())));
            }
            double v = ((NormalPrior.MeanPrior.Variance) n.meanPrior()).v();
            return x -> meanFieldNormalGamma(x[0], m0, v, g.a0(), g.b0());
        }
        Mixture.Components.MvNormal mv = (Mixture.Components.MvNormal) mix.components();
        double[] m0 = mv.m0();
        int d = mv.d();
        if (mv.precision() instanceof NormalPrior.MvPrecision.Wishart wi && mv.meanPrior() instanceof NormalPrior.MvMeanPrior.Scaled sc) {
            double dof = wi.nu0() - d + 1;
            return mvStudentT(dof, m0, Dense.scaled(wi.w0(), dof * (sc.beta0() / (1 + sc.beta0()))));
        }
        if (mv.precision() instanceof NormalPrior.MvPrecision.Known kn && mv.meanPrior() instanceof NormalPrior.MvMeanPrior.Covariance c) {
            double[][] cov = Dense.inverse(kn.lambda());
            double[][] s0 = c.s0();
            for (int r = 0; r < d; r++) for (int cc = 0; cc < d; cc++) cov[r][cc] += s0[r][cc];
            return mvNormal(m0, cov);
        }
        throw new IllegalStateException("no prior predictive for a mean-field Normal-Wishart"); // unsupported() refuses it first
    }

    /** MvNormal(m, cov), its inverse and log-determinant made once; a cov beyond doubles throws NotPositiveDefinite. */
    private static Component mvNormal(double[] m, double[][] cov) {
        double[][] inverse = Dense.inverse(cov);
        double logDet = Dense.logDet(cov);
        return x -> Gaussian.logMvNormal(x, m, inverse, logDet);
    }

    private static Component mvStudentT(double dof, double[] m, double[][] precision) {
        double logDet = Dense.logDet(precision);
        return x -> Gaussian.logMvStudentT(x, dof, m, precision, logDet);
    }

    private static final GaussIntegrator LEGENDRE = new GaussIntegratorFactory().legendre(16, -1, 1);
    private static final int PANELS = 12;

    /**
     * log ∫ N(x | m, s2 + 1/τ) Gamma(τ | a, b) dτ: μ ~ N(m, s2) integrates out in closed form, τ by
     * composite Gauss–Legendre in log τ over its mean ± 14 sd, summed as logs (log-sum-exp).
     */
    static double meanFieldNormalGamma(double x, double m, double s2, double a, double b) {
        double centre = Special.digamma(a) - Math.log(b), spread = Math.sqrt(org.apache.commons.math3.special.Gamma.trigamma(a));
        double lo = centre - 14 * spread, hi = centre + 14 * spread, width = (hi - lo) / PANELS;
        int nodes = LEGENDRE.getNumberOfPoints();
        double[] terms = new double[PANELS * nodes];
        double logNorm = a * Math.log(b) - Special.logGamma(a);
        double most = Double.NEGATIVE_INFINITY;
        for (int p = 0; p < PANELS; p++) {
            for (int i = 0; i < nodes; i++) {
                double u = lo + width * (p + (LEGENDRE.getPoint(i) + 1) / 2);
                double tau = Math.exp(u);
                // Gamma(τ | a, b)·τ (the Jacobian of u = log τ) · N(x | m, s2 + 1/τ) · the node's weight
                double t = logNorm + a * u - b * tau + Gaussian.logNormal(x, m, s2 + 1 / tau) + Math.log(LEGENDRE.getWeight(i) * width / 2);
                terms[p * nodes + i] = t;
                most = Math.max(most, t);
            }
        }
        double sum = 0;
        for (double t : terms) sum += Math.exp(t - most);
        return most + Math.log(sum);
    }
}

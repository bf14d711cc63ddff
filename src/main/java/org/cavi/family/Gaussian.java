package org.cavi.family;

/**
 * The Gaussian unit: a Normal likelihood's expected log density, and q(mu) = Normal(m, s2)
 * (MvNormal(m, S) in D dimensions) with its prior term and entropy, under a known or Gamma
 * (Wishart) precision, mean-field or as the mean of the joint Normal-Gamma (Normal-Wishart)
 * block. Each formula comes in its one-dimensional form, kept in the arithmetic the scalar
 * sweep has always used, and its D-dimensional form; "spread" is E[(mu − m)ᵀΛ(mu − m)], the
 * part of E[(x − mu)ᵀΛ(x − mu)] that q(mu)'s width adds: E[Λ]·s2 (tr(E[Λ]S)) mean-field,
 * D/beta for the joint block, 0 for fixed means.
 */
public final class Gaussian {
    private Gaussian() {}

    public static final double LOG_2PI = Math.log(2 * Math.PI);

    /** Σ_i φ_ik E[log Normal(x_i; mu_k, 1/tau_k)] from N, Σφ(x − m)² and E[tau], E[log tau]. */
    public static double expectedLogLik(double n, double squares, double eTau, double eLogTau, double spread) {
        return n * 0.5 * (eLogTau - LOG_2PI) - 0.5 * (eTau * squares + n * spread);
    }

    /** The same in D dimensions, from Σφ(x − m)(x − m)ᵀ and E[Λ], E[log|Λ|]. */
    public static double expectedLogLik(double n, double[][] squares, double[][] eLambda, double eLogDet, double spread) {
        int d = squares.length;
        return n * 0.5 * (eLogDet - d * LOG_2PI) - 0.5 * (Dense.traceProduct(eLambda, squares) + n * spread);
    }

    /** E[log Normal(mu; m0, v0)] under q: dm = m − m0, s2 the variance of q(mu) (0 for a fixed mean). */
    public static double priorTerm(double v0, double dm, double s2) {
        return -0.5 * Math.log(2 * Math.PI * v0) - (dm * dm + s2) / (2 * v0);
    }

    /** E[log MvNormal(mu; m0, S0)]: trace = tr(S0⁻¹S), 0 for a fixed mean. */
    public static double priorTerm(double logDetS0, double[][] s0inv, double[] dm, double trace) {
        int d = dm.length;
        return -0.5 * (d * LOG_2PI + logDetS0) - 0.5 * (Dense.quadratic(s0inv, dm) + trace);
    }

    /** E[log Normal(mu; m0, 1/(beta0·tau))], the Normal-Gamma prior of the mean. */
    public static double scaledPriorTerm(double beta0, double eTau, double eLogTau, double dm, double spread) {
        return 0.5 * (Math.log(beta0) - LOG_2PI + eLogTau) - 0.5 * beta0 * (eTau * dm * dm + spread);
    }

    /** E[log MvNormal(mu; m0, inv(beta0·Λ))], the Normal-Wishart prior of the mean. */
    public static double scaledPriorTerm(double beta0, double[][] eLambda, double eLogDet, double[] dm, double spread) {
        int d = dm.length;
        return 0.5 * (d * Math.log(beta0) - d * LOG_2PI + eLogDet) - 0.5 * beta0 * (Dense.quadratic(eLambda, dm) + spread);
    }

    /** H[Normal(m, s2)]. */
    public static double entropy(double s2) {
        return 0.5 * (LOG_2PI + 1 + Math.log(s2));
    }

    /** H[MvNormal(m, S)]. */
    public static double entropy(double[][] s) {
        int d = s.length;
        return d / 2.0 * (1 + LOG_2PI) + 0.5 * Dense.logDet(s);
    }

    /** H[q(mu | tau)] of the joint block, Normal(m, 1/(beta·tau)), in expectation over q(tau). */
    public static double conditionalEntropy(double beta, double eLogTau) {
        return 0.5 * (LOG_2PI + 1) - 0.5 * Math.log(beta) - 0.5 * eLogTau;
    }

    /** The same for MvNormal(m, inv(beta·Λ)) in D dimensions. */
    public static double conditionalEntropy(int d, double beta, double eLogDet) {
        return d / 2.0 * (1 + LOG_2PI) - d / 2.0 * Math.log(beta) - 0.5 * eLogDet;
    }

    /** log N(x | m, variance). */
    public static double logNormal(double x, double m, double variance) {
        double d = x - m;
        return -0.5 * (LOG_2PI + Math.log(variance) + d * d / variance);
    }

    /** log of Student-t with {@code dof} degrees of freedom, location m and scale s at x. */
    public static double logStudentT(double x, double dof, double m, double s) {
        double z = (x - m) / s;
        return Special.logGamma((dof + 1) / 2) - Special.logGamma(dof / 2) - 0.5 * Math.log(dof * Math.PI) - Math.log(s)
                - (dof + 1) / 2 * Math.log1p(z * z / dof);
    }

    /** log N(x | m, cov) in D dimensions, given cov⁻¹ and log|cov| (made once per component, not per point). */
    public static double logMvNormal(double[] x, double[] m, double[][] covInverse, double logDetCov) {
        double[] d = new double[x.length];
        for (int c = 0; c < x.length; c++) d[c] = x[c] - m[c];
        return -0.5 * (x.length * LOG_2PI + logDetCov + Dense.quadratic(covInverse, d));
    }

    /**
     * log of the multivariate Student-t St(x | m, L, dof) with precision matrix L (Bishop 2006,
     * (2.162)), given log|L|: the marginal of x when its precision has a Wishart distribution.
     */
    public static double logMvStudentT(double[] x, double dof, double[] m, double[][] precision, double logDetPrecision) {
        int dims = x.length;
        double[] d = new double[dims];
        for (int c = 0; c < dims; c++) d[c] = x[c] - m[c];
        double delta = Dense.quadratic(precision, d);
        return Special.logGamma((dof + dims) / 2) - Special.logGamma(dof / 2) + 0.5 * logDetPrecision
                - dims / 2.0 * Math.log(dof * Math.PI) - (dof + dims) / 2 * Math.log1p(delta / dof);
    }
}

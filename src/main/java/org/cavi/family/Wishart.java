package org.cavi.family;

import java.util.LinkedHashMap;
import java.util.SplittableRandom;
import org.apache.commons.math3.random.RandomGenerator;
import java.util.Map;

/**
 * The Wishart family of a D×D precision matrix, in Bishop's parameterisation (2006, B.78):
 * Wishart(Λ | W, ν) = B(W, ν)·|Λ|^((ν−D−1)/2)·exp(−tr(W⁻¹Λ)/2), E[Λ] = ν·W. As a prior it holds
 * (ν0, W0); as q its parameters (ν, W) live in the runtime's arrays and the methods take them.
 */
public record Wishart(double nu0, double[][] w0, double[][] w0inv, double logDetW0, int d) {
    private static final double LOG_2 = Math.log(2);

    /** The prior Wishart(nu0, W0). */
    public static Wishart prior(double nu0, double[][] w0) {
        return new Wishart(nu0, w0, Dense.inverse(w0), Dense.logDet(w0), w0.length);
    }

    /** E[Λ] = ν·W. */
    public static double[][] mean(double nu, double[][] w) { return Dense.scaled(w, nu); }

    /** E[log|Λ|] = Σ_d ψ((ν + 1 − d)/2) + D·log 2 + log|W| (Bishop 10.65). */
    public static double expectedLogDet(double nu, double[][] w) {
        return Dense.expectedLogDet(nu, Dense.logDet(w), w.length);
    }

    /** E[log p(Λ)] under q, given E[log|Λ|] and E[Λ]: log B(W0, ν0) + (ν0 − D − 1)/2·E[log|Λ|] − ½tr(W0⁻¹E[Λ]) (10.74). */
    public double priorTerm(double eLogDet, double[][] eLambda) {
        return -nu0 * d / 2 * LOG_2 - nu0 / 2 * logDetW0 - Dense.logMultiGamma(nu0 / 2, d)
                + (nu0 - d - 1) / 2 * eLogDet - 0.5 * Dense.traceProduct(w0inv, eLambda);
    }

    /** H[Wishart(ν, W)] = −log B(W, ν) − (ν − D − 1)/2·E[log|Λ|] + ν·D/2 (B.82). */
    public static double entropy(double nu, double[][] w, double eLogDet) {
        int d = w.length;
        double logDetW = Dense.logDet(w);
        return nu / 2 * logDetW + nu * d / 2 * LOG_2 + Dense.logMultiGamma(nu / 2, d)
                - (nu - d - 1) / 2 * eLogDet + nu * d / 2;
    }

    /** Typed report fields: ν, W and E[Λ] per component. */
    public static Map<String, Object> report(double[] nu, double[][][] w) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("nu", nu.clone());
        f.put("W", w);
        double[][][] ep = new double[nu.length][][];
        for (int j = 0; j < nu.length; j++) ep[j] = mean(nu[j], w[j]);
        f.put("expected_precision", ep);
        // the component's covariance as the report states it: inv(E[Lambda])
        double[][][] cov = new double[nu.length][][];
        boolean finite = true;
        for (int j = 0; j < nu.length; j++) {
            cov[j] = Dense.inverse(ep[j]);
            for (double[] row : cov[j]) for (double v : row) finite &= Double.isFinite(v);
        }
        if (finite) f.put("covariance", cov); // none where E[Lambda] is beyond doubles
        return f;
    }

    /**
     * A draw Λ ~ Wishart(nu, W) by the Bartlett decomposition, Λ = L A Aᵀ Lᵀ with W = L Lᵀ: the
     * off-diagonal Normals from {@code rng}, the chi-squares from {@code well} (the simulator's streams).
     */
    public static double[][] sample(double nu, double[][] w, SplittableRandom rng, RandomGenerator well) {
        int d = w.length;
        double[][] l = Dense.lowerOfSymmetric(w);
        double[][] a = new double[d][d];
        for (int i = 0; i < d; i++) {
            // a chi-square with nu - i degrees of freedom: Gamma(shape (nu - i)/2, rate 1/2)
            a[i][i] = Math.sqrt(PositiveFamily.GAMMA.sample((nu - i) / 2, 0.5, well));
            for (int j = 0; j < i; j++) a[i][j] = rng.nextGaussian();
        }
        double[][] la = new double[d][d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) for (int t = 0; t < d; t++) la[i][j] += l[i][t] * a[t][j];
        double[][] out = new double[d][d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) for (int t = 0; t < d; t++) out[i][j] += la[i][t] * la[j][t];
        return out;
    }
}

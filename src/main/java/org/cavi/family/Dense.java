package org.cavi.family;

/** Small dense symmetric-matrix kernels over double[][]: Cholesky, inverse, log-determinant. */
public final class Dense {
    private Dense() {}

    /** The lower Cholesky factor L of a symmetric positive-definite A = L·Lᵀ. */
    public static double[][] cholesky(double[][] a) {
        int d = a.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) s -= l[i][k] * l[j][k];
                if (i == j) {
                    if (!(s > 0)) throw new NotPositiveDefinite();
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }

    public static double logDet(double[][] a) {
        double[][] l = cholesky(a);
        double s = 0;
        for (int i = 0; i < l.length; i++) s += Math.log(l[i][i]);
        return 2 * s;
    }

    /** A⁻¹ for symmetric positive-definite A, through its Cholesky factor. */
    public static double[][] inverse(double[][] a) {
        int d = a.length;
        double[][] l = cholesky(a);
        double[][] inv = new double[d][d];
        double[] col = new double[d];
        for (int c = 0; c < d; c++) {
            // solve L y = e_c, then Lᵀ z = y
            for (int i = 0; i < d; i++) {
                double s = i == c ? 1 : 0;
                for (int k = 0; k < i; k++) s -= l[i][k] * col[k];
                col[i] = s / l[i][i];
            }
            for (int i = d - 1; i >= 0; i--) {
                double s = col[i];
                for (int k = i + 1; k < d; k++) s -= l[k][i] * inv[k][c];
                inv[i][c] = s / l[i][i];
            }
        }
        return symmetric(inv);
    }

    /** (A + Aᵀ)/2: removes rounding asymmetry. */
    public static double[][] symmetric(double[][] a) {
        int d = a.length;
        double[][] s = new double[d][d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) s[i][j] = 0.5 * (a[i][j] + a[j][i]);
        return s;
    }

    /** tr(A·B) for symmetric A, B. */
    public static double traceProduct(double[][] a, double[][] b) {
        double t = 0;
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a.length; j++) t += a[i][j] * b[j][i];
        return t;
    }

    /** vᵀ A v. */
    public static double quadratic(double[][] a, double[] v) {
        double t = 0;
        for (int i = 0; i < v.length; i++) {
            double row = 0;
            for (int j = 0; j < v.length; j++) row += a[i][j] * v[j];
            t += v[i] * row;
        }
        return t;
    }

    public static double[] times(double[][] a, double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) for (int j = 0; j < v.length; j++) out[i] += a[i][j] * v[j];
        return out;
    }

    public static double[][] scaled(double[][] a, double c) {
        double[][] out = new double[a.length][a.length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a.length; j++) out[i][j] = c * a[i][j];
        return out;
    }

    /** log Γ_D(a), the multivariate log-gamma function. */
    public static double logMultiGamma(double a, int d) {
        double s = d * (d - 1) / 4.0 * Math.log(Math.PI);
        for (int j = 1; j <= d; j++) s += Special.logGamma(a + (1 - j) / 2.0);
        return s;
    }

    /** E[log |Lambda|] under Wishart(nu, W). */
    public static double expectedLogDet(double nu, double logDetW, int d) {
        double s = d * Math.log(2) + logDetW;
        for (int j = 1; j <= d; j++) s += Special.digamma((nu + 1 - j) / 2);
        return s;
    }

    /**
     * The lower Cholesky factor by Commons Math, of a matrix the checker accepted as symmetric, symmetrised first so
     * rounding cannot trip it: what the simulator has always drawn with (its bits differ from {@link #cholesky}'s).
     */
    public static double[][] lowerOfSymmetric(double[][] a) {
        return new org.apache.commons.math3.linear.CholeskyDecomposition(
                new org.apache.commons.math3.linear.Array2DRowRealMatrix(symmetrised(a)), 1e-10, 1e-300).getL().getData();
    }

    /**
     * A matrix accepted as symmetric, made exactly so: the diagonal as given, ½a_ij + ½a_ji off it. Bit for bit the
     * same matrix when it already is symmetric, and no overflow near the largest doubles (unlike {@link #symmetric}).
     */
    public static double[][] symmetrised(double[][] a) {
        int d = a.length;
        double[][] s = new double[d][d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) s[i][j] = i == j ? a[i][i] : 0.5 * a[i][j] + 0.5 * a[j][i];
        return s;
    }
}

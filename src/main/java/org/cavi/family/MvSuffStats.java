package org.cavi.family;

/**
 * {@link SuffStats} in D dimensions: per component k, N = Σφ, D = Σφ(x − r) (k·D values) and the
 * upper triangle of Q = Σφ(x − r)(x − r)ᵀ (k·D·D values, row by row, entries a ≤ b set) about
 * the reference points r (k·D values) the pass used.
 */
public final class MvSuffStats {
    public final int k, dim;
    public final double[] n, d, q, r;

    public MvSuffStats(int k, int dim) {
        this.k = k;
        this.dim = dim;
        n = new double[k];
        d = new double[k * dim];
        q = new double[k * dim * dim];
        r = new double[k * dim];
    }

    /** Σ_i φ_ik (x_i − r_k)(x_i − r_k)ᵀ, full and symmetric. */
    private double[][] aboutR(int j) {
        double[][] out = new double[dim][dim];
        for (int a = 0; a < dim; a++) {
            for (int b = a; b < dim; b++) {
                out[a][b] = q[j * dim * dim + a * dim + b];
                out[b][a] = out[a][b];
            }
        }
        return out;
    }

    /** Σ_i φ_ik (x_i − t)(x_i − t)ᵀ, from the sums about r. */
    public double[][] squaresAbout(int j, double[] t) {
        double[][] out = aboutR(j);
        double nk = n[j];
        double[] delta = new double[dim];
        for (int a = 0; a < dim; a++) delta[a] = r[j * dim + a] - t[a];
        for (int a = 0; a < dim; a++) {
            for (int b = 0; b < dim; b++) {
                out[a][b] += delta[a] * d[j * dim + b] + d[j * dim + a] * delta[b] + nk * delta[a] * delta[b];
            }
        }
        return Dense.symmetric(out);
    }

    /** Σ_i φ_ik x_i. */
    public double[] sum(int j) {
        double[] out = new double[dim];
        for (int a = 0; a < dim; a++) out[a] = d[j * dim + a] + n[j] * r[j * dim + a];
        return out;
    }
}

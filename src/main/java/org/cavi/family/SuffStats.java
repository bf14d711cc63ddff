package org.cavi.family;

/**
 * What one pass over the data leaves behind, per component k: N = Σφ, D = Σφ(x − r),
 * Q = Σφ(x − r)² about the reference points r the pass used (r = 0 for likelihoods whose
 * exponent is linear in x), and the total Σ_i log Σ_k exp(e_ik) of the pass's exponents.
 * The pass sums these per block, and the blocks in block order: any engine that keeps that
 * order gives the same bits.
 */
public final class SuffStats {
    public final int k;
    public final double[] n, d, q, r;
    public double lse;

    public SuffStats(int k) {
        this.k = k;
        n = new double[k];
        d = new double[k];
        q = new double[k];
        r = new double[k];
    }

    /** Σ_i φ_ik (x_i − t)², from the sums about r: exact algebra, no cancellation of large terms. */
    public double squaresAbout(int j, double t) {
        double delta = r[j] - t;
        return q[j] + 2 * delta * d[j] + n[j] * delta * delta;
    }

    /** Σ_i φ_ik x_i. */
    public double sum(int j) { return d[j] + n[j] * r[j]; }

    /** N summed over the components after j: what the sticks of a stick-breaking prior need. */
    public double tail(int j) {
        double t = 0;
        for (int i = j + 1; i < k; i++) t += n[i];
        return t;
    }
}

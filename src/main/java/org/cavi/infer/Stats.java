package org.cavi.infer;

/**
 * What one pass over the data leaves behind, per component k: N = Σφ, D = Σφ(x − r),
 * Q = Σφ(x − r)² about the reference points r the pass used (r = 0 for counts), and
 * the total Σ_i log Σ_k exp(e_ik) of the pass's exponents.
 */
final class Stats {
    final int k;
    final double[] n, d, q, r;
    double lse;
    /** Σ_i Σ_k φ_ik e_ik of the pass's exponents: what the entropy of q(c) subtracts from lse. */
    double phiE;

    Stats(int k) {
        this.k = k;
        n = new double[k];
        d = new double[k];
        q = new double[k];
        r = new double[k];
    }

    /** Σ_i φ_ik (x_i − t)², from the sums about r: exact algebra, no cancellation of large terms. */
    double squaresAbout(int j, double t) {
        double delta = r[j] - t;
        return q[j] + 2 * delta * d[j] + n[j] * delta * delta;
    }

    /** Σ_i φ_ik x_i. */
    double sum(int j) { return d[j] + n[j] * r[j]; }
}

package org.cavi.infer;

/**
 * The softmax's exponentials: exp(t) for t ≤ 0, the same bits on every JVM, and 0 at or below
 * NEGLIGIBLE, where a term could not change a sum that is at least 1 by a bit. Two forms: {@link
 * #terms}, within an ulp, for the vectorised passes; and {@link #exp}, within 2 ulp,
 * table-driven, for code that goes one value at a time.
 *
 * <p>t = n·ln2 + r with n = rint(t/ln2) (−57 ≤ n ≤ 0) and |r| ≤ ln2/2; exp(r) is its Taylor
 * polynomial to r¹³ (the remainder is below 2^-60), and 2^n is applied as one exact factor per
 * bit of −n. There is no table, no branch and no integer arithmetic, so the JIT vectorises
 * {@link #terms}, whose three loops are each short enough for it to unroll.
 */
final class FastExp {
    /** log(2^-57): exp of anything lower is less than a quarter of the last bit of 1. */
    static final double NEGLIGIBLE = -57 * Math.log(2);
    private static final double INV_LN2 = 1 / Math.log(2);
    // ln2 as fdlibm's two parts: hi has trailing zero bits, so n·LN2_HI is exact for |n| ≤ 57
    private static final double LN2_HI = Double.longBitsToDouble(0x3fe62e42fee00000L);
    private static final double LN2_LO = Double.longBitsToDouble(0x3dea39ef35793c76L);

    private FastExp() {}

    // the table form, for one value at a time: t = (j + 2048·i)·ln2/2048 + r with |r| ≤ ln2/4096,
    // exp(t) = 2^i · 2^(j/2048) · exp(r), a table entry times a short polynomial
    private static final int BITS = 11, N = 1 << BITS;
    private static final double[] TABLE = new double[N];
    private static final double N_OVER_LN2 = N / Math.log(2);
    private static final double LN2_HI_N = LN2_HI / N, LN2_LO_N = LN2_LO / N;

    static {
        for (int j = 0; j < N; j++) TABLE[j] = Math.pow(2, (double) j / N);
    }

    /**
     * exp(t) for t ≤ 0, within 2 ulp of Math.exp, one value at a time; 0 at or below NEGLIGIBLE.
     * Cheaper than {@link #terms} wherever the JIT does not vectorise: in the pointwise sweep of
     * small data, mostly run before the JIT has compiled anything, and in assignments.
     */
    static double exp(double t) {
        if (t <= NEGLIGIBLE) return 0;
        double k = Math.rint(t * N_OVER_LN2);
        long n = (long) k;
        double r = (t - k * LN2_HI_N) - k * LN2_LO_N;
        double p = 1 + r * (1 + r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24))));
        int j = (int) (n & (N - 1));
        long i = n >> BITS;
        return TABLE[j] * p * Double.longBitsToDouble((i + 1023) << 52);
    }

    /**
     * e[i] ← exp(e[i] − max[i]) for i < len, within an ulp of Math.exp; 0 where e[i] − max[i] ≤
     * NEGLIGIBLE. {@code powers} and {@code keep} are scratch of at
     * least len values.
     */
    static void terms(double[] e, double[] max, double[] powers, double[] keep, int len) {
        for (int i = 0; i < len; i++) {
            double t = e[i] - max[i];
            double n = exponent(t);
            keep[i] = cut(t);
            powers[i] = -n;
            e[i] = reduced(t, n);
        }
        for (int i = 0; i < len; i++) e[i] = polynomial(e[i]);
        for (int i = 0; i < len; i++) e[i] = scale(e[i] * keep[i], powers[i]);
    }

    /**
     * The softmax's terms for a chunk of points, component by component along the points: max[i]
     * ← max_j e[j][i], e[j][i] ← exp(e[j][i] − max[i]) by {@link #terms}, sum[i] ← Σ_j e[j][i].
     */
    static void softmaxTerms(double[][] e, int k, int len, double[] max, double[] sum, double[] powers, double[] keep) {
        System.arraycopy(e[0], 0, max, 0, len);
        for (int j = 1; j < k; j++) {
            double[] ej = e[j];
            for (int i = 0; i < len; i++) max[i] = Math.max(max[i], ej[i]);
        }
        for (int j = 0; j < k; j++) terms(e[j], max, powers, keep, len);
        System.arraycopy(e[0], 0, sum, 0, len);
        for (int j = 1; j < k; j++) {
            double[] ej = e[j];
            for (int i = 0; i < len; i++) sum[i] += ej[i];
        }
    }

    /** 1 above the cut, 0 at or below it: t − NEGLIGIBLE is 0 or at least ulp(39.5) above it. */
    private static double cut(double t) {
        return Math.min(Math.max((t - NEGLIGIBLE) * 0x1p1000, 0), 1);
    }

    /** n = rint(t / ln2), t clamped to the cut. */
    private static double exponent(double t) {
        return Math.rint(Math.max(t, NEGLIGIBLE) * INV_LN2);
    }

    /** r = t − n·ln2, in two steps so that it is exact to about 2^-60. */
    private static double reduced(double t, double n) {
        return (Math.max(t, NEGLIGIBLE) - n * LN2_HI) - n * LN2_LO;
    }

    private static double polynomial(double r) {
        return 1 + r * (1 + r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720
                + r * (1.0 / 5040 + r * (1.0 / 40320 + r * (1.0 / 362880 + r * (1.0 / 3628800 + r * (1.0 / 39916800
                + r * (1.0 / 479001600 + r * (1.0 / 6227020800.0)))))))))))));
    }

    /** p·2^-k for an integer 0 ≤ k < 64, one bit of k at a time: each factor is 1 or a power of 2, so exact. */
    private static double scale(double p, double k) {
        double h = Math.floor(k * 0.5);
        p *= 1 - 0.5 * (k - 2 * h);
        k = h;
        h = Math.floor(k * 0.5);
        p *= 1 - 0.75 * (k - 2 * h);
        k = h;
        h = Math.floor(k * 0.5);
        p *= 1 - (1 - 0x1p-4) * (k - 2 * h);
        k = h;
        h = Math.floor(k * 0.5);
        p *= 1 - (1 - 0x1p-8) * (k - 2 * h);
        k = h;
        h = Math.floor(k * 0.5);
        p *= 1 - (1 - 0x1p-16) * (k - 2 * h);
        return p * (1 - (1 - 0x1p-32) * h);
    }
}

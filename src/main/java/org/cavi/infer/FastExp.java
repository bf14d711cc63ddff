package org.cavi.infer;

/**
 * exp(t) for t ≤ 0 in plain Java arithmetic, within about 2 ulp of Math.exp, and the same
 * bits on every JVM: t = (j + 2048·i)·ln2/2048 + r with |r| ≤ ln2/4096, so
 * exp(t) = 2^i · 2^(j/2048) · exp(r), a table entry times a short polynomial.
 * It inlines into the sweep's loops, where Math.exp is a call.
 */
final class FastExp {
    private static final int BITS = 11, N = 1 << BITS;
    private static final double[] TABLE = new double[N];
    private static final double N_OVER_LN2 = N / Math.log(2);
    // ln2/N as fdlibm's two-part ln2 (hi has trailing zero bits, so k·LN2_HI is exact here), over N
    private static final double LN2_HI = Double.longBitsToDouble(0x3fe62e42fee00000L) / N;
    private static final double LN2_LO = Double.longBitsToDouble(0x3dea39ef35793c76L) / N;

    static {
        for (int j = 0; j < N; j++) TABLE[j] = Math.pow(2, (double) j / N);
    }

    private FastExp() {}

    static double exp(double t) {
        if (t < -708) return 0;
        double k = Math.rint(t * N_OVER_LN2);
        long n = (long) k;
        double r = (t - k * LN2_HI) - k * LN2_LO;
        double p = 1 + r * (1 + r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24))));
        int j = (int) (n & (N - 1));
        long i = n >> BITS;
        return TABLE[j] * p * Double.longBitsToDouble((i + 1023) << 52);
    }
}

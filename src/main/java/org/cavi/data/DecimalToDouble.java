package org.cavi.data;

import java.math.BigInteger;

/**
 * w·10^q to the nearest double, for a decimal significand w of up to 19 digits, without making
 * a String: Clinger's exact fast path when w < 2^53 and |q| ≤ 22, otherwise the Eisel-Lemire
 * algorithm (D. Lemire, "Number parsing at a gigabyte per second", 2021), which multiplies w by
 * a 128-bit truncation of 10^q and proves from the product's low bits that the rounding is
 * right. Where it cannot prove it (a value too near a halfway point, subnormal or overflowing
 * results, q outside the table) it answers NaN and the caller parses the text with
 * Double.parseDouble. Either way the result is the double Java's parser gives.
 */
final class DecimalToDouble {
    private static final int Q_MIN = -64, Q_MAX = 64;
    /** 10^q's 128 most significant bits, rounded down: [hi, lo] at 2·(q − Q_MIN). */
    private static final long[] POW10_128 = new long[2 * (Q_MAX - Q_MIN + 1)];
    private static final double[] EXACT = new double[23];

    static {
        EXACT[0] = 1;
        for (int i = 1; i < EXACT.length; i++) EXACT[i] = EXACT[i - 1] * 10;
        BigInteger mask = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        for (int q = Q_MIN; q <= Q_MAX; q++) {
            BigInteger v;
            if (q >= 0) {
                v = BigInteger.TEN.pow(q);
                int bits = v.bitLength();
                v = bits <= 128 ? v.shiftLeft(128 - bits) : v.shiftRight(bits - 128);
            } else {
                BigInteger d = BigInteger.TEN.pow(-q);
                v = BigInteger.ONE.shiftLeft(128 + d.bitLength()).divide(d);
                int bits = v.bitLength();
                if (bits > 128) v = v.shiftRight(bits - 128);
            }
            POW10_128[2 * (q - Q_MIN)] = v.shiftRight(64).longValue();
            POW10_128[2 * (q - Q_MIN) + 1] = v.and(mask).longValue();
        }
    }

    private DecimalToDouble() {}

    /** ±w·10^q, w read as unsigned; NaN when the caller must parse the text instead. */
    static double of(long w, int q, boolean negative) {
        double v;
        if (w == 0) {
            v = 0;
        } else if (w > 0 && w < (1L << 53) && q >= -22 && q <= 22) {
            v = q < 0 ? w / EXACT[-q] : w * EXACT[q];
        } else {
            v = eiselLemire(w, q);
        }
        return negative ? -v : v;
    }

    private static double eiselLemire(long w, int q) {
        if (q < Q_MIN || q > Q_MAX) return Double.NaN;
        int clz = Long.numberOfLeadingZeros(w);
        w <<= clz;
        // floor(q·log2 10) by 217706/2^16, exact over the table's range
        long exp2 = ((217706L * q) >> 16) + 64 + 1023 - clz;
        long powHi = POW10_128[2 * (q - Q_MIN)], powLo = POW10_128[2 * (q - Q_MIN) + 1];
        long hi = unsignedMultiplyHigh(w, powHi), lo = w * powHi;
        if ((hi & 0x1FF) == 0x1FF && Long.compareUnsigned(lo + w, w) < 0) {
            // the top 64 bits of 10^q leave the rounding open: bring in the next 64
            long yHi = unsignedMultiplyHigh(w, powLo), yLo = w * powLo;
            long mergedLo = lo + yHi, mergedHi = hi;
            if (Long.compareUnsigned(mergedLo, lo) < 0) mergedHi++;
            if ((mergedHi & 0x1FF) == 0x1FF && mergedLo == -1L && Long.compareUnsigned(yLo + w, w) < 0) return Double.NaN;
            hi = mergedHi;
            lo = mergedLo;
        }
        long msb = hi >>> 63;
        long mantissa = hi >>> (msb + 9);
        exp2 -= 1 ^ msb;
        // exactly halfway between two doubles: round-half-even needs the digits beyond 128 bits
        if (lo == 0 && (hi & 0x1FF) == 0 && (mantissa & 3) == 1) return Double.NaN;
        mantissa += mantissa & 1;
        mantissa >>>= 1;
        if ((mantissa >>> 53) > 0) {
            mantissa >>>= 1;
            exp2++;
        }
        // subnormal or infinite: leave to the full parser
        if (exp2 < 1 || exp2 > 0x7FE) return Double.NaN;
        return Double.longBitsToDouble(exp2 << 52 | (mantissa & ((1L << 52) - 1)));
    }

    /** The high 64 bits of the unsigned 128-bit product (Math.unsignedMultiplyHigh arrives in Java 18). */
    private static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }
}

package org.cavi.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every double DecimalToDouble answers is the one Double.parseDouble gives for the same text. */
class DecimalToDoubleTest {
    private static void same(long w, int q, boolean negative, int[] answered) {
        double got = DecimalToDouble.of(w, q, negative);
        if (Double.isNaN(got)) return; // left to parseDouble
        answered[0]++;
        String text = (negative ? "-" : "") + Long.toUnsignedString(w) + "e" + q;
        assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)), Double.doubleToRawLongBits(got), text);
    }

    @Test
    void randomSignificandsAndExponents() {
        SplittableRandom rng = new SplittableRandom(1);
        int[] answered = {0};
        for (int i = 0; i < 1_000_000; i++) {
            int digits = 1 + rng.nextInt(19);
            long w = 0;
            for (int d = 0; d < digits; d++) w = w * 10 + rng.nextInt(10);
            same(w, rng.nextInt(-64, 65), rng.nextBoolean(), answered);
        }
        // within the table the fast paths must do nearly all the work, or they are not worth having
        assertTrue(answered[0] > 990_000, answered[0] + " of 1000000 answered");
        // outside it they answer nothing wrong
        for (int i = 0; i < 10_000; i++) same(1 + rng.nextLong(Long.MAX_VALUE - 1), rng.nextInt(-400, 400), false, answered);
    }

    @Test
    void theShortestTextOfRandomDoubles() {
        SplittableRandom rng = new SplittableRandom(2);
        int[] answered = {0};
        for (int i = 0; i < 300_000; i++) {
            double v = rng.nextGaussian() * Math.pow(10, rng.nextInt(-40, 41));
            BigDecimal exact = new BigDecimal(Double.toString(Math.abs(v)));
            BigDecimal unscaled = exact.stripTrailingZeros();
            if (unscaled.precision() > 19) continue;
            same(unscaled.unscaledValue().longValueExact(), -unscaled.scale(), v < 0, answered);
        }
        assertTrue(answered[0] > 290_000, answered[0] + " answered");
    }

    @Test
    void hardCases() {
        int[] answered = {0};
        long[][] cases = {
            {9007199254740993L, 0},        // 2^53 + 1: halfway between two doubles
            {9007199254740995L, 0},        // 2^53 + 3: halfway, rounds up to even
            {1, 23}, {1, 22}, {1, -22}, {1, -23},
            {17976931348623157L, 292},     // the largest double
            {17976931348623159L, 292},     // beyond it: infinity, left to parseDouble
            {22250738585072014L, -324},    // the smallest normal double
            {49, -325},                    // subnormal: left to parseDouble
            {-1L, 0},                      // 2^64 − 1, read unsigned
            {1000000000000000000L, -18},
            {7205759403792794L, -16},
        };
        for (long[] c : cases) same(c[0], (int) c[1], false, answered);
        assertEquals(0.0, DecimalToDouble.of(0, 5, false));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(DecimalToDouble.of(0, 5, true)));
    }
}

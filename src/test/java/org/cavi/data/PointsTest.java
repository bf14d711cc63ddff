package org.cavi.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.DoubleBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Mapped values read the same as the array they came from, across segment boundaries too. */
class PointsTest {
    @Test
    void mappedSegmentsReadLikeOneArray() {
        SplittableRandom rng = new SplittableRandom(1);
        double[] all = new double[8 * 5 + 3];
        for (int i = 0; i < all.length; i++) all[i] = rng.nextGaussian();
        DoubleBuffer[] segments = new DoubleBuffer[6];
        for (int s = 0; s < segments.length; s++) {
            segments[s] = DoubleBuffer.wrap(Arrays.copyOfRange(all, 8 * s, Math.min(all.length, 8 * s + 8)));
        }
        Points mapped = new Points.Mapped(segments, 3, all.length);
        Points heap = Points.of(all);
        assertEquals(all.length, mapped.size());
        for (int i = 0; i < all.length; i++) assertEquals(all[i], mapped.get(i));
        for (int from = 0; from < all.length; from++) {
            for (int len = 0; from + len <= all.length; len += 5) {
                double[] a = new double[len + 2], b = new double[len + 2];
                mapped.read(from, a, 1, len);
                heap.read(from, b, 1, len);
                assertArrayEquals(b, a, "from " + from + ", " + len);
            }
        }
        assertArrayEquals(all, mapped.rows(1, 1000));
        // rows evenly spaced when there are more than asked for: rows 0, 4, 8, ... of 43 / 3 = 14 rows of 3
        double[] sample = mapped.rows(3, 4);
        assertArrayEquals(heap.rows(3, 4), sample);
        assertEquals(12, sample.length);
        assertArrayEquals(Arrays.copyOfRange(all, 9, 12), Arrays.copyOfRange(sample, 3, 6));
    }
}

package org.cavi.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The GIF palette keeps the pictures' colours exactly and leaves its see-through index to itself. */
class GifTest {
    static Set<Integer> entries(int below) {
        Set<Integer> out = new HashSet<>();
        for (int i = 0; i < below; i++) out.add(Gif.PALETTE.getRGB(i) & 0xffffff);
        return out;
    }

    @Test
    void theComponentColoursAreInThePaletteExactly() {
        Set<Integer> palette = entries(Gif.CLEAR);
        for (Color c : Plots.PALETTE) {
            assertTrue(palette.contains(c.getRGB() & 0xffffff), "solid " + c);
            // a faded point as Java2D composites alpha 110 over white, and two on top of each other
            assertTrue(palette.contains(Gif.over(c, Gif.POINT_ALPHA)), "faded " + c);
            assertTrue(palette.contains(Gif.over(c, 1 - Math.pow(1 - Gif.POINT_ALPHA, 2))), "twice faded " + c);
        }
        for (int grey : new int[] {0, 205, 220, 255}) assertTrue(palette.contains(grey << 16 | grey << 8 | grey), "grey " + grey);
    }

    @Test
    void noColourIsDrawnSeeThrough() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int i = 0; i < 20_000; i++) {
            int c = i < 256 ? i << 16 | i << 8 | i : random.nextInt(1 << 24);
            int index = Gif.closest(c) & 0xff;
            assertTrue(index < Gif.CLEAR, Integer.toHexString(c) + " → " + index);
            // and each palette colour is its own nearest entry
            if (i < Gif.CLEAR) assertEquals(Gif.PALETTE.getRGB(i) & 0xffffff, Gif.PALETTE.getRGB(Gif.closest(Gif.PALETTE.getRGB(i) & 0xffffff) & 0xff) & 0xffffff);
        }
    }
}

package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.cavi.report.Plots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a teacher sees in `--plot`: coloured assignments, no phantom components, and q itself for one-parameter models. */
class PlotPictureTest {
    @TempDir Path tmp;

    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
        new Color(0xff7f0e), new Color(0x17becf), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22)};

    BufferedImage plot(String model) throws Exception {
        Path png = tmp.resolve(model.replace('/', '_') + ".png");
        Cli r = Cli.run("run", model, "--plot", png.toString());
        assertEquals(0, r.code(), r.err());
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(Plots.WIDTH, image.getWidth());
        assertEquals(Plots.HEIGHT, image.getHeight());
        return image;
    }

    /** Pixels in the box [x0, x1) × [y0, y1) within 12 of {@code c} in each channel. */
    static int count(BufferedImage image, Color c, int x0, int x1, int y0, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                Color p = new Color(image.getRGB(x, y));
                if (Math.abs(p.getRed() - c.getRed()) <= 12 && Math.abs(p.getGreen() - c.getGreen()) <= 12
                        && Math.abs(p.getBlue() - c.getBlue()) <= 12) n++;
            }
        }
        return n;
    }

    /** A colour at opacity 110/255 over white, as a lone point is drawn. */
    static Color faded(Color c) {
        double a = 110 / 255.0;
        return new Color((int) Math.round(c.getRed() * a + 255 * (1 - a)), (int) Math.round(c.getGreen() * a + 255 * (1 - a)),
                (int) Math.round(c.getBlue() * a + 255 * (1 - a)));
    }

    @Test
    void pointsTakeTheColourOfTheirComponent() throws Exception {
        BufferedImage image = plot("models/bishop-gmm.vi");
        int dataPanel = (int) (Plots.WIDTH * 0.62);
        for (int j = 0; j < 4; j++) {
            int points = count(image, faded(PALETTE[j]), 0, dataPanel, 40, Plots.HEIGHT - 90);
            // 640 to 1040 here; grey points leave 70 to 90, the antialiased edges of the ellipses
            assertTrue(points > 300, "component " + (j + 1) + "'s points: " + points + " pixels of its colour");
        }
    }

    @Test
    void emptyComponentsDrawNoEllipse() throws Exception {
        BufferedImage image = plot("models/dp-mixture.vi");
        int dataPanel = (int) (Plots.WIDTH * 0.62);
        // dp-mixture leaves 6 of its 10 components empty; 2, 3, 4, 5, 6 and 7 in its numbering
        for (int j : new int[] {1, 2, 3, 4, 5, 6}) {
            assertEquals(0, count(image, PALETTE[j], 0, dataPanel, 40, Plots.HEIGHT - 90), "an ellipse of empty component " + (j + 1));
        }
        assertTrue(count(image, PALETTE[0], 0, dataPanel, 40, Plots.HEIGHT - 90) > 100, "component 1's ellipse");
    }

    @Test
    void theElboTermsHaveTheirPanelUnderTheElbo() throws Exception {
        BufferedImage image = plot("models/gmm-normal-gamma.vi");
        int right = (int) (Plots.WIDTH * 0.62);
        // the eighth term, H[q(c)], in the eighth colour, in the lower half beside the data
        int pink = count(image, PALETTE[7], right, Plots.WIDTH, Plots.HEIGHT / 2 + 30, Plots.HEIGHT - 70);
        assertTrue(pink > 100, "H[q(c)]'s line: " + pink + " pixels");
        assertEquals(0, count(image, PALETTE[7], right, Plots.WIDTH, 30, Plots.HEIGHT / 2 - 40), "no term above, beside the ELBO");
    }

    @Test
    void aModelWithoutAssignmentsShowsItsPosterior() throws Exception {
        for (String model : new String[] {"models/beta-bernoulli.vi", "models/gamma-poisson.vi", "models/normal-mean-precision.vi"}) {
            BufferedImage image = plot(model);
            int middle = count(image, PALETTE[0], (int) (Plots.WIDTH * 0.42), (int) (Plots.WIDTH * 0.71), 40, Plots.HEIGHT - 60);
            assertTrue(middle > 300, model + ": q's curve in the middle panel, " + middle + " pixels");
        }
    }

    @Test
    void countsAreDrawnAsValuesInTheTerminal() {
        // the REPL's :plot of 0/1 data: one group of columns per value, not 64 bins of a continuum
        String out = ReplTest.script(":load models/bernoulli-mixture.vi", ":run --max-iter 5", ":plot").out();
        assertTrue(out.contains("• fitted mixture probability of each value"), out);
        assertTrue(out.contains("          0       1\n"), out);
        assertFalse(out.contains("density"), out);
    }
}

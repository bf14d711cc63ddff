package org.cavi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.cavi.data.Points;
import org.cavi.driver.Driver;
import org.cavi.infer.FitOptions;
import org.cavi.infer.Fitter;
import org.cavi.report.Animation;
import org.cavi.source.SourceFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `cavi run --animate` and `--snapshots`: the GIF's frames, loop and colours, the grid's panels, the replay, the usage errors. */
class AnimationTest {
    @TempDir Path tmp;

    static final Color[] PALETTE = PlotPictureTest.PALETTE;

    /** A GIF read back as a viewer shows it: each frame drawn over the ones before at its place, with its delay. */
    record Gif(int width, int height, List<BufferedImage> frames, List<Integer> delays, boolean loops) {}

    static Gif read(Path file) throws Exception {
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            reader.setInput(in);
            int n = reader.getNumImages(true);
            IIOMetadataNode stream = (IIOMetadataNode) reader.getStreamMetadata().getAsTree("javax_imageio_gif_stream_1.0");
            IIOMetadataNode screen = (IIOMetadataNode) stream.getElementsByTagName("LogicalScreenDescriptor").item(0);
            int w = Integer.parseInt(screen.getAttribute("logicalScreenWidth")), h = Integer.parseInt(screen.getAttribute("logicalScreenHeight"));
            BufferedImage canvas = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = canvas.createGraphics();
            List<BufferedImage> frames = new ArrayList<>();
            List<Integer> delays = new ArrayList<>();
            boolean loops = false;
            for (int i = 0; i < n; i++) {
                IIOMetadataNode meta = (IIOMetadataNode) reader.getImageMetadata(i).getAsTree("javax_imageio_gif_image_1.0");
                IIOMetadataNode at = (IIOMetadataNode) meta.getElementsByTagName("ImageDescriptor").item(0);
                IIOMetadataNode control = (IIOMetadataNode) meta.getElementsByTagName("GraphicControlExtension").item(0);
                delays.add(Integer.parseInt(control.getAttribute("delayTime")));
                var apps = meta.getElementsByTagName("ApplicationExtension");
                for (int a = 0; a < apps.getLength(); a++) {
                    IIOMetadataNode app = (IIOMetadataNode) apps.item(a);
                    byte[] data = (byte[]) app.getUserObject();
                    // NETSCAPE2.0, sub-block 1, loop count 0: for ever
                    if (app.getAttribute("applicationID").equals("NETSCAPE") && app.getAttribute("authenticationCode").equals("2.0")
                            && data.length == 3 && data[0] == 1 && data[1] == 0 && data[2] == 0) loops = true;
                }
                g.drawImage(reader.read(i), Integer.parseInt(at.getAttribute("imageLeftPosition")),
                        Integer.parseInt(at.getAttribute("imageTopPosition")), null);
                BufferedImage copy = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
                copy.getGraphics().drawImage(canvas, 0, 0, null);
                frames.add(copy);
            }
            g.dispose();
            return new Gif(w, h, frames, delays, loops);
        } finally {
            reader.dispose();
        }
    }

    /** The sweeps of the best restart, as the report says them. */
    static int sweeps(String out) {
        Matcher m = Pattern.compile("(?:after|maximum of) (\\d+) sweeps").matcher(out);
        assertTrue(m.find(), out);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void theBishopFitAsAGif() throws Exception {
        Path gif = tmp.resolve("bishop.gif");
        Cli r = Cli.run("run", "models/bishop-gmm.vi", "--animate", gif.toString());
        assertEquals(0, r.code(), r.err());
        int sweeps = sweeps(r.out());
        assertTrue(r.out().endsWith("animation written to " + gif + " (" + (sweeps + 1) + " frames)\n"), r.out());
        Gif g = read(gif);
        assertEquals(sweeps + 1, g.frames().size(), "a frame for the start and one per sweep");
        assertEquals(Animation.WIDTH, g.width());
        assertEquals(Animation.HEIGHT, g.height());
        assertTrue(g.loops(), "the NETSCAPE2.0 extension with loop count 0");
        for (int i = 0; i < sweeps; i++) assertEquals(Animation.FRAME_MILLIS / 10, g.delays().get(i), "frame " + i);
        assertEquals(Animation.LAST_FRAME_MILLIS / 10, g.delays().get(sweeps));
        // the fit's four components, each in its own colour: its points (faded) and its ellipse (solid)
        BufferedImage last = g.frames().get(sweeps);
        for (int j = 0; j < 4; j++) {
            int points = PlotPictureTest.count(last, PlotPictureTest.faded(PALETTE[j]), 0, Animation.WIDTH, 30, Animation.HEIGHT - 60);
            int ellipse = PlotPictureTest.count(last, PALETTE[j], 0, Animation.WIDTH, 30, Animation.HEIGHT - 60);
            assertTrue(points > 300, "component " + (j + 1) + "'s points: " + points + " pixels of its colour");
            assertTrue(ellipse > 300, "component " + (j + 1) + "'s ellipse: " + ellipse + " pixels of its colour");
        }
        for (int j = 4; j < PALETTE.length; j++) {
            if (j == 8) continue; // grey, as the axes' text is
            assertEquals(0, PlotPictureTest.count(last, PALETTE[j], 0, Animation.WIDTH, 0, Animation.HEIGHT), "no component " + (j + 1));
        }
        // the frames differ: the fit moves
        assertFalse(same(g.frames().get(0), last), "the start and the fit are different pictures");
    }

    static boolean same(BufferedImage a, BufferedImage b) {
        for (int y = 0; y < a.getHeight(); y++) for (int x = 0; x < a.getWidth(); x++) if (a.getRGB(x, y) != b.getRGB(x, y)) return false;
        return true;
    }

    @Test
    void aLongFitIsCutToTwoHundredFrames() throws Exception {
        assertArrayEquals(new int[] {0, 1, 2, 3}, Animation.frames(3));
        assertEquals(200, Animation.frames(199).length);
        for (int sweeps : new int[] {200, 250, 1000, 123457}) {
            int[] f = Animation.frames(sweeps);
            assertEquals(Animation.MAX_FRAMES, f.length);
            assertEquals(0, f[0]);
            assertEquals(1, f[1]);
            assertEquals(sweeps, f[f.length - 1]);
            for (int i = 1; i < f.length; i++) assertTrue(f[i] > f[i - 1], "ascending at " + i);
        }
        Path gif = tmp.resolve("long.gif");
        Cli r = Cli.run("run", "models/bernoulli-mixture.vi", "--restarts", "1", "--max-iter", "250", "--animate", gif.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(250, sweeps(r.out()));
        assertTrue(r.out().endsWith("(200 frames)\n"), r.out());
        Gif g = read(gif);
        assertEquals(200, g.frames().size());
    }

    @Test
    void snapshotsAreAGridOfPanels() throws Exception {
        Path png = tmp.resolve("grid.png");
        Cli r = Cli.run("run", "models/bishop-gmm.vi", "--snapshots", png.toString());
        assertEquals(0, r.code(), r.err());
        int last = sweeps(r.out());
        assertTrue(r.out().endsWith("snapshots of sweeps 0, 1, 5, " + last + " written to " + png + "\n"), r.out());
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(2 * Animation.WIDTH, image.getWidth());
        assertEquals(2 * Animation.HEIGHT, image.getHeight());
        for (int panel = 0; panel < 4; panel++) {
            int x0 = panel % 2 * Animation.WIDTH, y0 = panel / 2 * Animation.HEIGHT;
            for (int j = 0; j < 4; j++) {
                int n = PlotPictureTest.count(image, PALETTE[j], x0, x0 + Animation.WIDTH, y0 + 30, y0 + Animation.HEIGHT - 60);
                assertTrue(n > 200, "panel " + panel + ", component " + (j + 1) + "'s ellipse: " + n + " pixels");
            }
        }
        Path svg = tmp.resolve("grid.svg");
        r = Cli.run("run", "models/gmm.vi", "--snapshots", svg.toString(), "--at", "last, 0");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().endsWith("snapshots of sweeps 0, 34 written to " + svg + "\n"), r.out());
        String text = Files.readString(svg);
        assertTrue(text.contains("width='" + 2 * Animation.WIDTH + ".0' height='" + Animation.HEIGHT + ".0'"), text.substring(0, 300));
        assertTrue(text.contains("GaussianMixture: the start, before sweep 1") && text.contains("GaussianMixture: sweep 34, ELBO -13799.286141"));
    }

    @Test
    void theDefaultSnapshotsAreThoseTheFitMade() throws Exception {
        // beta-bernoulli converges in a few sweeps: 5 is left out of the default, not refused
        Path png = tmp.resolve("q.png");
        Cli r = Cli.run("run", "models/beta-bernoulli.vi", "--snapshots", png.toString());
        assertEquals(0, r.code(), r.err());
        int last = sweeps(r.out());
        assertTrue(last < 5, r.out());
        String shown = last == 1 ? "0, 1" : "0, 1, " + last;
        assertTrue(r.out().endsWith("snapshots of sweeps " + shown + " written to " + png + "\n"), r.out());
        BufferedImage image = ImageIO.read(png.toFile());
        // two or three panels, two to a row
        assertEquals(2 * Animation.WIDTH, image.getWidth(), r.out());
        assertEquals((last == 1 ? 1 : 2) * Animation.HEIGHT, image.getHeight(), r.out());
        // a model without assignments shows q's density beside the data in every panel
        int right = PlotPictureTest.count(image, PALETTE[0], (int) (Animation.WIDTH * 0.56), Animation.WIDTH, 30, Animation.HEIGHT - 40);
        assertTrue(right > 200, "q's curve: " + right + " pixels");
    }

    @Test
    void everyModelAnimates() throws Exception {
        List<Path> models;
        try (Stream<Path> s = Files.list(Path.of("models"))) {
            models = s.filter(p -> p.toString().endsWith(".vi")).sorted().toList();
        }
        assertTrue(models.size() >= 13, "models: " + models);
        for (Path model : models) {
            Path gif = tmp.resolve(model.getFileName() + ".gif");
            Cli r = Cli.run("run", model.toString(), "--restarts", "2", "--max-iter", "30", "--animate", gif.toString());
            assertEquals(0, r.code(), model + ": " + r.err());
            Gif g = read(gif);
            assertEquals(sweeps(r.out()) + 1, g.frames().size(), model.toString());
            BufferedImage last = g.frames().get(g.frames().size() - 1);
            // component 1's or 2's colour (q's curve, without assignments); a component's curve can lie under the mixture's
            int coloured = PlotPictureTest.count(last, PALETTE[0], 0, Animation.WIDTH, 30, Animation.HEIGHT - 40)
                    + PlotPictureTest.count(last, PALETTE[1], 0, Animation.WIDTH, 30, Animation.HEIGHT - 40);
            assertTrue(coloured > 50, model + ": " + coloured + " pixels of the components' colours in the last frame");
        }
    }

    /** The replay of the best restart ends, sweep for sweep, at the fit's ELBO, bit for bit. */
    @Test
    void theReplayRepeatsTheFit() throws Exception {
        List<String> names;
        try (Stream<Path> s = Files.list(Path.of("models"))) {
            names = s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".vi")).map(f -> f.replace(".vi", "")).sorted().toList();
        }
        assertTrue(names.size() >= 13, "models: " + names);
        for (String name : names) {
            Path base = Path.of("models");
            Driver.Request req = new Driver.Request(new SourceFile(name + ".vi", Files.readString(base.resolve(name + ".vi"))), base,
                    Map.of(), List.of(), true);
            Driver.Compiled c = Driver.compile(req).get();
            Points x = Driver.loadData(c, req, Path.of(".")).get();
            for (int threads : new int[] {1, 3}) {
                FitOptions options = new FitOptions(7, 4, 200, 1e-8, threads);
                Fitter.Run run = Fitter.run(c.plan(), x, options, () -> false, Fitter.Listener.NONE);
                int sweeps = run.result().iterations();
                int[] seen = {0};
                double[] replayed = Fitter.replay(c.plan().mixture(), x, options, run.restart(), sweeps, (t, s, elbo) -> {
                    assertEquals(seen[0]++, t);
                    assertNotNull(s.posterior());
                });
                assertEquals(sweeps + 1, seen[0], name);
                double[] trace = run.result().trace();
                for (int t = 0; t < sweeps; t++) {
                    assertEquals(Double.doubleToRawLongBits(trace[t]), Double.doubleToRawLongBits(replayed[t]),
                            name + " (" + threads + " threads), restart " + (run.restart() + 1) + ", sweep " + (t + 1));
                }
                assertEquals(Double.doubleToRawLongBits(run.result().elbo()), Double.doubleToRawLongBits(replayed[sweeps - 1]), name);
            }
        }
    }

    @Test
    void badValuesAreUsageErrors() {
        String png = tmp.resolve("s.png").toString();
        List<List<String>> cases = List.of(
            List.of("--animate " + tmp.resolve("fit.png"), "--animate " + tmp.resolve("fit.png") + ": the file must end in .gif"),
            List.of("--snapshots " + tmp.resolve("s.gif"), "--snapshots " + tmp.resolve("s.gif") + ": the file must end in .png or .svg"),
            List.of("--at 1", "--at chooses the sweeps of --snapshots FILE, which is not given"),
            List.of("--snapshots " + png + " --at 1,two", "--at 1,two: 'two' is not a sweep; give whole numbers from 0 (the start) or 'last', separated by commas"),
            List.of("--snapshots " + png + " --at -1", "--at -1: '-1' is not a sweep"),
            List.of("--snapshots " + png + " --at 2000", "--at 2000: sweep 2000 is past --max-iter 1000, the most a restart sweeps"),
            List.of("--snapshots " + png + " --at 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16", "at most 16 sweeps, not 17"),
            List.of("--animate no/such/dir/a.gif", "--animate no/such/dir/a.gif: no such directory"));
        for (List<String> c : cases) {
            List<String> args = new ArrayList<>(List.of("run", "models/gmm.vi"));
            args.addAll(List.of(c.get(0).split(" ")));
            Cli r = Cli.run(args.toArray(new String[0]));
            assertEquals(2, r.code(), c.get(0) + "\n" + r.err());
            assertEquals("", r.out(), c.get(0));
            assertTrue(r.err().startsWith("error: ") && r.err().contains(c.get(1)), c.get(0) + "\n" + r.err());
        }
        Cli empty = Cli.run("run", "models/gmm.vi", "--snapshots", png, "--at", "");
        assertEquals(2, empty.code(), empty.err());
        assertTrue(empty.err().startsWith("error: --at needs at least one sweep"), empty.err());
        // known only after the fit: a sweep past the best restart's last
        Cli r = Cli.run("run", "models/gmm.vi", "--snapshots", tmp.resolve("s.png").toString(), "--at", "0,40");
        assertEquals(2, r.code(), r.err());
        assertEquals("error: --at 0,40: the best restart stopped after 34 sweeps, before sweep 40; give sweeps from 0 to 34, "
                + "or 'last'\n", r.err());
        assertFalse(Files.exists(tmp.resolve("s.png")));
        // cavi select fits many K: it refuses
        r = Cli.run("select", "models/gmm.vi", "--K", "2..3", "--animate", tmp.resolve("a.gif").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("cavi select draws no fit sweep by sweep"), r.err());
    }

    @Test
    void anUnwritableFileIsAClearError() {
        // a directory where the file should be: the write fails, as --plot's does, with exit 65 and no stack trace
        Path dir = tmp.resolve("taken.gif");
        assertTrue(dir.toFile().mkdir());
        Cli r = Cli.run("run", "models/gmm.vi", "--animate", dir.toString());
        assertEquals(65, r.code(), r.err());
        assertTrue(r.err().startsWith("error: " + dir + ": cannot write it"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void theReplsRunTakesThem() throws Exception {
        Path gif = tmp.resolve("repl.gif"), png = tmp.resolve("repl.png");
        ReplTest.Transcript t = ReplTest.script(":load models/gmm.vi", ":run --animate " + gif + " --snapshots " + png + " --at 0,2",
                ":run --animate " + tmp.resolve("x.png"), ":run --snapshots " + png + " --at 99");
        assertTrue(t.out().contains("animation written to " + gif + " (35 frames)\n"), t.out());
        assertTrue(t.out().contains("snapshots of sweeps 0, 2 written to " + png + "\n"), t.out());
        assertEquals(35, read(gif).frames().size());
        assertEquals(2 * Animation.WIDTH, ImageIO.read(png.toFile()).getWidth());
        assertTrue(t.err().contains("error: --animate " + tmp.resolve("x.png") + ": the file must end in .gif"), t.err());
        assertTrue(t.err().contains("error: --at 99: the best restart stopped after 34 sweeps, before sweep 99"), t.err());
    }
}

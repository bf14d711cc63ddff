package org.cavi.report;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * An animated GIF written with the JDK's ImageIO, frame by frame. A GIF holds at most 256
 * colours, so each frame, drawn in full colour, is put on one fixed palette: white, a grey ramp
 * for text and axes, and each of {@link Plots#PALETTE}'s colours at the opacities the pictures
 * draw them with (a solid line, a faded point, two and three faded points on top of each other)
 * and at a few steps towards white for the antialiased edges. The colours the pictures draw
 * with are in it exactly, so a component keeps its colour, and every other pixel takes the
 * nearest colour of the palette.
 */
final class Gif {
    private Gif() {}

    /** The opacity of a scatter plot's points ({@link Plots}'s scatter draws them with alpha 110). */
    static final double POINT_ALPHA = 110 / 255.0;

    /** The index of the see-through colour: a pixel that has not changed since the last frame. */
    static final int CLEAR = 255;

    static final IndexColorModel PALETTE = palette();

    /** The palette with {@link #CLEAR} see-through, for the frames after the first (ImageIO takes the flag from it). */
    private static final IndexColorModel PALETTE_CLEAR = clear(PALETTE);

    private static IndexColorModel clear(IndexColorModel p) {
        byte[] r = new byte[256], g = new byte[256], b = new byte[256];
        p.getReds(r);
        p.getGreens(g);
        p.getBlues(b);
        return new IndexColorModel(8, 256, r, g, b, CLEAR);
    }

    private static IndexColorModel palette() {
        Set<Integer> rgb = new LinkedHashSet<>();
        rgb.add(0xffffff);
        rgb.add(0x000000);
        for (int v = 0; v < 256; v += 8) rgb.add(grey(v));
        // the histogram's bars, the grid lines, grey points and their faded form
        for (int v : new int[] {205, 220, 90, 250, 240, 230, 192, 128, 64}) rgb.add(grey(v));
        rgb.add(over(new Color(90, 90, 90), POINT_ALPHA));
        for (Color c : Plots.PALETTE) {
            rgb.add(c.getRGB() & 0xffffff);
            // 1 − (1 − a)^m: m faded points on top of each other
            for (int m = 1; m <= 3; m++) rgb.add(over(c, 1 - Math.pow(1 - POINT_ALPHA, m)));
            // the 95% band of q's density is drawn at alpha 40; the rest are antialiased edges
            for (double a : new double[] {40 / 255.0, 0.1, 0.2, 0.3, 0.5, 0.6, 0.8, 0.9}) rgb.add(over(c, a));
        }
        List<Integer> all = new ArrayList<>(rgb);
        if (all.size() > CLEAR) throw new IllegalStateException("the GIF palette has " + all.size() + " colours");
        byte[] r = new byte[256], g = new byte[256], b = new byte[256];
        for (int i = 0; i < 256; i++) {
            int c = i < all.size() ? all.get(i) : 0xffffff;
            r[i] = (byte) (c >> 16);
            g[i] = (byte) (c >> 8);
            b[i] = (byte) c;
        }
        return new IndexColorModel(8, 256, r, g, b);
    }

    private static int grey(int v) {
        return v << 16 | v << 8 | v;
    }

    /** {@code c} at opacity {@code a} over white, rounded as Java2D composites it. */
    static int over(Color c, double a) {
        int r = (int) Math.round(c.getRed() * a + 255 * (1 - a));
        int g = (int) Math.round(c.getGreen() * a + 255 * (1 - a));
        int b = (int) Math.round(c.getBlue() * a + 255 * (1 - a));
        return r << 16 | g << 8 | b;
    }

    /** Writes frames into a GIF in memory that loops for ever. */
    static final class Writer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final ImageOutputStream stream;
        private final ImageWriter writer;
        private final Nearest nearest = new Nearest();
        private boolean first = true;
        private byte[] previous;

        Writer() throws IOException {
            writer = ImageIO.getImageWritersByFormatName("gif").next();
            stream = ImageIO.createImageOutputStream(bytes);
            writer.setOutput(stream);
            writer.prepareWriteSequence(globalTable(writer));
        }

        /** The palette as the GIF's global colour table, which every frame uses (ImageIO's default is a fixed web palette). */
        private static IIOMetadata globalTable(ImageWriter writer) throws IOException {
            IIOMetadata meta = writer.getDefaultStreamMetadata(null);
            String format = meta.getNativeMetadataFormatName();
            IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
            IIOMetadataNode table = child(root, "GlobalColorTable");
            while (table.getFirstChild() != null) table.removeChild(table.getFirstChild());
            table.setAttribute("sizeOfGlobalColorTable", "256");
            table.setAttribute("backgroundColorIndex", "0");
            table.setAttribute("sortFlag", "FALSE");
            for (int i = 0; i < 256; i++) {
                IIOMetadataNode entry = new IIOMetadataNode("ColorTableEntry");
                entry.setAttribute("index", Integer.toString(i));
                entry.setAttribute("red", Integer.toString(PALETTE.getRed(i)));
                entry.setAttribute("green", Integer.toString(PALETTE.getGreen(i)));
                entry.setAttribute("blue", Integer.toString(PALETTE.getBlue(i)));
                table.appendChild(entry);
            }
            meta.setFromTree(format, root);
            return meta;
        }

        /** Adds a frame drawn in RGB ({@code TYPE_INT_RGB}), shown for {@code millis} (rounded to 10 ms, as GIF counts). */
        void add(BufferedImage rgb, int millis) throws IOException {
            BufferedImage full = indexed(rgb);
            byte[] now = ((DataBufferByte) full.getRaster().getDataBuffer()).getData();
            int width = full.getWidth(), height = full.getHeight();
            // after the first frame only the box of changed pixels is written, its unchanged pixels
            // see-through: the axes and the legend stay, and a converged fit's frames are a few bytes
            int x0 = 0, y0 = 0, x1 = width - 1, y1 = height - 1;
            BufferedImage frame = full;
            if (previous != null) {
                x0 = width;
                y0 = height;
                x1 = -1;
                y1 = -1;
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        if (now[y * width + x] != previous[y * width + x]) {
                            x0 = Math.min(x0, x);
                            x1 = Math.max(x1, x);
                            y0 = Math.min(y0, y);
                            y1 = Math.max(y1, y);
                        }
                    }
                }
                if (x1 < 0) { x0 = 0; y0 = 0; x1 = 0; y1 = 0; }
                frame = new BufferedImage(x1 - x0 + 1, y1 - y0 + 1, BufferedImage.TYPE_BYTE_INDEXED, PALETTE_CLEAR);
                byte[] part = ((DataBufferByte) frame.getRaster().getDataBuffer()).getData();
                int w = x1 - x0 + 1;
                for (int y = y0; y <= y1; y++) {
                    for (int x = x0; x <= x1; x++) {
                        int i = y * width + x;
                        part[(y - y0) * w + x - x0] = now[i] == previous[i] ? (byte) CLEAR : now[i];
                    }
                }
            }
            previous = now;
            IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), null);
            String format = meta.getNativeMetadataFormatName();
            IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
            IIOMetadataNode descriptor = child(root, "ImageDescriptor");
            descriptor.setAttribute("interlaceFlag", "FALSE");
            descriptor.setAttribute("imageLeftPosition", Integer.toString(x0));
            descriptor.setAttribute("imageTopPosition", Integer.toString(y0));
            descriptor.setAttribute("imageWidth", Integer.toString(x1 - x0 + 1));
            descriptor.setAttribute("imageHeight", Integer.toString(y1 - y0 + 1));
            IIOMetadataNode control = child(root, "GraphicControlExtension");
            control.setAttribute("disposalMethod", "doNotDispose");
            control.setAttribute("userInputFlag", "FALSE");
            control.setAttribute("transparentColorFlag", first ? "FALSE" : "TRUE");
            control.setAttribute("delayTime", Integer.toString(Math.max(1, Math.round(millis / 10f))));
            control.setAttribute("transparentColorIndex", Integer.toString(CLEAR));
            if (first) {
                // NETSCAPE2.0 with a loop count of 0: play for ever
                IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
                app.setAttribute("applicationID", "NETSCAPE");
                app.setAttribute("authenticationCode", "2.0");
                app.setUserObject(new byte[] {1, 0, 0});
                child(root, "ApplicationExtensions").appendChild(app);
                first = false;
            }
            // ImageIO's default metadata carries a web palette as a local table: every frame uses the global one
            for (int i = root.getLength() - 1; i >= 0; i--) {
                if (root.item(i).getNodeName().equals("LocalColorTable")) root.removeChild(root.item(i));
            }
            meta.setFromTree(format, root);
            writer.writeToSequence(new IIOImage(frame, null, meta), null);
        }

        /** The whole GIF; no frame can be added after. */
        byte[] finish() throws IOException {
            writer.endWriteSequence();
            stream.close();
            writer.dispose();
            return bytes.toByteArray();
        }

        /** The frame on the palette: each colour its nearest entry, found once per colour. */
        private BufferedImage indexed(BufferedImage rgb) {
            BufferedImage out = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_BYTE_INDEXED, PALETTE);
            int[] from = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
            byte[] to = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
            int last = -1;
            byte index = 0;
            for (int i = 0; i < from.length; i++) {
                int c = from[i] & 0xffffff;
                // most neighbours share a colour (white, mostly): skip the lookup for a run
                if (c != last) {
                    last = c;
                    index = nearest.of(c);
                }
                to[i] = index;
            }
            return out;
        }
    }

    /**
     * Each colour's nearest palette entry, found once: an open-addressing table of the colours
     * seen (a frame has a few thousand; a HashMap of boxed colours cost a third of the time).
     */
    private static final class Nearest {
        private int[] keys = new int[1 << 12];
        private byte[] values = new byte[1 << 12];
        private int size;

        Nearest() {
            Arrays.fill(keys, -1);
        }

        byte of(int c) {
            int mask = keys.length - 1;
            for (int i = (c * 0x9E3779B9 >>> 7) & mask; ; i = (i + 1) & mask) {
                if (keys[i] == c) return values[i];
                if (keys[i] == -1) {
                    byte v = closest(c);
                    keys[i] = c;
                    values[i] = v;
                    if (++size > keys.length / 2) grow();
                    return v;
                }
            }
        }

        private void grow() {
            int[] oldKeys = keys;
            byte[] oldValues = values;
            keys = new int[oldKeys.length * 2];
            values = new byte[oldKeys.length * 2];
            Arrays.fill(keys, -1);
            int mask = keys.length - 1;
            for (int j = 0; j < oldKeys.length; j++) {
                if (oldKeys[j] == -1) continue;
                int i = (oldKeys[j] * 0x9E3779B9 >>> 7) & mask;
                while (keys[i] != -1) i = (i + 1) & mask;
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }

    /** The palette's entry nearest to colour {@code c}, never the see-through one. */
    static byte closest(int c) {
        int r = c >> 16 & 0xff, g = c >> 8 & 0xff, b = c & 0xff;
        int best = 0;
        long bestDistance = Long.MAX_VALUE;
        for (int i = 0; i < CLEAR; i++) {
            long dr = r - PALETTE.getRed(i), dg = g - PALETTE.getGreen(i), db = b - PALETTE.getBlue(i);
            long d = dr * dr + dg * dg + db * db;
            if (d < bestDistance) { bestDistance = d; best = i; }
        }
        return (byte) best;
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) return (IIOMetadataNode) root.item(i);
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }
}

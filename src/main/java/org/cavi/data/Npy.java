package org.cavi.data;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads numpy's .npy format: little-endian float64 ('<f8'), C order, shape (n,) or (n, D).
 * The file is memory-mapped, not read into the heap: the fit reads it where it lies, so data
 * larger than the heap can be fitted (the operating system pages them in and out).
 */
public final class Npy {
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    public static boolean is(Path file) {
        return file.getFileName() != null && file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".npy");
    }

    /** Where an (n, d) float64 array starts in a .npy file and how many rows it has. */
    public record Layout(long offset, long rows) {}

    /**
     * The layout of a .npy file of {@code size} bytes from its first bytes ({@code head}, up to
     * 64 KiB), checked for d columns of little-endian float64 in C order; or why it cannot be read.
     */
    public static Object layout(java.nio.ByteBuffer head, long size, String name, int d) {
        head.order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[6];
        if (size < 10) return name + ": too short to be a .npy file";
        head.get(magic);
        if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
            return name + ": not a .npy file (no \\x93NUMPY magic)";
        }
        int major = head.get() & 0xff;
        head.get();
        long headerLen = major == 1 ? head.getShort() & 0xffff : head.getInt() & 0xffffffffL;
        int start = major == 1 ? 10 : 12;
        if (start + headerLen > head.limit()) return name + ": its .npy header is damaged";
        byte[] h = new byte[(int) headerLen];
        head.position(start);
        head.get(h);
        String header = new String(h, StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(header), fortran = FORTRAN.matcher(header), shape = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            return name + ": its .npy header is damaged: " + header.strip();
        }
        if (!descr.group(1).equals("<f8") && !descr.group(1).equals("=f8")) {
            return name + ": the array's dtype is '" + descr.group(1)
                    + "'; cavi reads little-endian float64 ('<f8'): save it with x.astype('<f8')";
        }
        if (fortran.group(1).equals("True")) {
            return name + ": the array is in Fortran order; save it with np.ascontiguousarray(x)";
        }
        String[] dims = shape.group(1).split(",");
        long n = Long.parseLong(dims[0].trim());
        long cols = dims.length > 1 && !dims[1].isBlank() ? Long.parseLong(dims[1].trim()) : 1;
        int rank = dims.length > 1 && !dims[1].isBlank() ? 2 : 1;
        if (dims.length > 2 && !dims[2].isBlank()) {
            return name + ": the array has shape (" + shape.group(1) + "); cavi reads (n,) or (n, D)";
        }
        if (cols != d || (d > 1 && rank != 2)) {
            return name + ": the array has shape (" + shape.group(1).trim() + ") but the data need "
                    + (d == 1 ? "(n,) or (n, 1)" : "(n, " + d + ")");
        }
        long count = n * cols;
        if (count == 0) return name + ": the array is empty";
        if (n > Integer.MAX_VALUE - 8) return name + ": " + n + " rows is more than cavi can index";
        long offset = start + headerLen;
        if (offset + 8 * count > size) return name + ": the file is shorter than its shape says";
        return new Layout(offset, n);
    }

    static DataLoader.Loaded load(Path file, String name, int d) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            MappedByteBuffer head = ch.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(size, 65536));
            Object read = layout(head, size, name, d);
            if (read instanceof String why) return DataLoader.Loaded.fail(why);
            Layout layout = (Layout) read;
            long offset = layout.offset(), count = layout.rows() * d;
            int segment = 1 << Points.Mapped.SEGMENT_BITS;
            java.nio.DoubleBuffer[] segments = new java.nio.DoubleBuffer[(int) ((count + segment - 1) / segment)];
            for (int s = 0; s < segments.length; s++) {
                long first = (long) s * segment;
                long part = Math.min(count - first, segment);
                MappedByteBuffer body = ch.map(FileChannel.MapMode.READ_ONLY, offset + 8 * first, 8 * part);
                segments[s] = body.order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
            }
            Points points = new Points.Mapped(segments, Points.Mapped.SEGMENT_BITS, count);
            double[] chunk = new double[1 << 16];
            for (long from = 0; from < count; from += chunk.length) {
                int len = (int) Math.min(chunk.length, count - from);
                points.read(from, chunk, 0, len);
                for (int i = 0; i < len; i++) {
                    if (!Double.isFinite(chunk[i])) {
                        long at = from + i;
                        // rows and columns counted from 1, as in the README and the CSV messages
                        return DataLoader.Loaded.fail(name + ": row " + (at / d + 1) + (d > 1 ? ", column " + (at % d + 1) : "")
                                + ": " + chunk[i] + " is not a finite number");
                    }
                }
            }
            return DataLoader.Loaded.ok(points);
        } catch (NoSuchFileException e) {
            return DataLoader.Loaded.fail(name + ": no such file");
        } catch (IOException | RuntimeException e) {
            return DataLoader.Loaded.fail(name + ": cannot read it as .npy: " + e.getMessage());
        }
    }
}

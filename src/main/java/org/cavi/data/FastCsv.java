package org.cavi.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A fast reader for the common case of numeric CSV: no quotes, one record per line. It reads
 * bytes in large blocks and parses numbers without making a String for each ({@link
 * DecimalToDouble}), and with Double.parseDouble where that cannot decide, so every value is the
 * double Java would parse.
 * It answers {@code null} when the file needs a real CSV parser (a quote, say); the caller
 * then falls back to Commons CSV.
 */
final class FastCsv {
    private FastCsv() {}

    /** A bad cell or row: its line within the part read, and what is wrong. */
    static final class Bad extends Exception {
        final long line;
        Bad(long line, String message) {
            super(message, null, false, false);
            this.line = line;
        }
    }

    private static final class NeedsFullParser extends Exception {
        NeedsFullParser() { super(null, null, false, false); }
    }

    /**
     * What every part of a file needs to be read apart: where its data start (after the header
     * line), which cells to read (wantedAt[cell] = the value's place in a row, or −1), the labels
     * of the cells for messages, the delimiter, and the picked columns.
     */
    record Layout(long dataStart, int[] cols, int[] wantedAt, List<String> labels, byte delimiter, String width)
            implements java.io.Serializable {}

    /**
     * The layout from the start of a file ({@code in}); a String that says what is wrong with it; or
     * null when the file needs the full CSV parser (a quote in the first line, a blank first line).
     */
    static Object layout(InputStream in, String name, java.util.Optional<String> column, int d, DataLoader.Format format)
            throws IOException {
        String empty = name + ":1: the file is empty" + (format.header() ? "; expected a header row" : "");
        Lines lines = new Lines(in, Long.MAX_VALUE);
        if (!lines.next()) return empty;
        int to = lines.to > lines.from && lines.buf[lines.to - 1] == '\r' ? lines.to - 1 : lines.to;
        String headerText = new String(lines.buf, lines.from, to - lines.from, StandardCharsets.UTF_8);
        if (headerText.indexOf('"') >= 0) return null;
        char delim = format.delimiterFor(headerText);
        if (delim > 127) return null;
        List<String> header = new ArrayList<>();
        for (String cell : headerText.split(java.util.regex.Pattern.quote(String.valueOf(delim)), -1)) header.add(cell.strip());
        if (header.size() == 1 && header.get(0).isEmpty()) return null; // a blank first line: the full parser skips it
        long dataStart = format.header() ? lines.to + 1L : 0;
        Object chosen = DataLoader.columns(header, format, new DataLoader.Source(Path.of(name), column, name), d, name);
        if (chosen instanceof String why) return why;
        int[] cols = (int[]) chosen;
        boolean named = format.header();
        List<String> labels = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) labels.add(DataLoader.label(header, named, c));
        String width = (named ? "the header has " : "the first line has ") + header.size();
        int[] wantedAt = new int[header.size()];
        Arrays.fill(wantedAt, -1);
        for (int c = 0; c < d; c++) wantedAt[cols[c]] = c;
        return new Layout(dataStart, cols, wantedAt, List.copyOf(labels), (byte) delim, width);
    }

    /** The message of a part's bad line, numbered in the file: the line before the part plus its line in the part. */
    static String badMessage(Layout layout, Part part, String name, long lineBefore) {
        String message = part.bad.getMessage();
        if (message.startsWith("missing:")) {
            message = "this row has too few cells, so no value for " + layout.labels().get(layout.cols()[Integer.parseInt(message.substring(8))]);
        }
        return name + ":" + (lineBefore + part.bad.line) + ": " + message;
    }

    /** Below this many bytes of data a file is read by one thread. */
    private static final long PARALLEL_BYTES = 8L << 20;

    /** Values row by row (row-major for d columns), or null if the file needs the full CSV parser. */
    static DataLoader.Loaded read(Path file, String name, DataLoader.Source src, int d, DataLoader.Format format)
            throws IOException {
        Object laid;
        try (InputStream in = Files.newInputStream(file)) {
            laid = layout(in, name, src.column(), d, format);
        }
        if (laid == null || laid instanceof String) return laid == null ? null : DataLoader.Loaded.fail((String) laid);
        Layout layout = (Layout) laid;
        long dataStart = layout.dataStart();
        int[] cols = layout.cols(), wantedAt = layout.wantedAt();
        List<String> labels = layout.labels();
        byte delimiter = layout.delimiter();
        String width = layout.width();
        boolean named = format.header();

        // the data are cut at line breaks into parts that threads read at once; lines are
        // numbered afterwards, part by part, so messages name the right line
        long size = Files.size(file);
        int parts = size - dataStart >= PARALLEL_BYTES ? Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())) : 1;
        long[] bounds = new long[parts + 1];
        bounds[0] = Math.min(dataStart, size);
        bounds[parts] = size;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int t = 1; t < parts; t++) bounds[t] = nextLine(ch, bounds[0] + (size - bounds[0]) * t / parts, size);
        }
        Part[] results = new Part[parts];
        Thread[] helpers = new Thread[parts - 1];
        for (int t = 1; t < parts; t++) {
            final int tt = t;
            helpers[t - 1] = new Thread(() -> results[tt] = Part.read(file, bounds[tt], bounds[tt + 1], wantedAt, d, labels, delimiter, width),
                    "cavi-csv");
            helpers[t - 1].start();
        }
        results[0] = Part.read(file, bounds[0], bounds[1], wantedAt, d, labels, delimiter, width);
        for (Thread h : helpers) {
            try {
                h.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading " + name);
            }
        }
        for (Part r : results) if (r == null || r.outOfMemory) return DataLoader.Loaded.outOfMemory(name);
        long lineBefore = named ? 1 : 0;
        long total = 0;
        for (Part r : results) {
            if (r.io != null) throw r.io;
            if (r.needsFullParser) return null;
            if (r.bad != null) return DataLoader.Loaded.fail(badMessage(layout, r, name, lineBefore));
            lineBefore += r.lines;
            total += r.count;
        }
        if (total == 0) {
            return DataLoader.Loaded.fail(name + ": " + labels.get(cols[0]) + " is empty: there are no rows after the header");
        }
        if (total > Integer.MAX_VALUE - 8) return DataLoader.Loaded.outOfMemory(name);
        double[] values = new double[(int) total];
        int at = 0;
        for (Part r : results) {
            System.arraycopy(r.values, 0, values, at, r.count);
            at += r.count;
        }
        return DataLoader.Loaded.ok(values);
    }

    /** The offset just after the first line break at or after pos (or the end). */
    private static long nextLine(FileChannel ch, long pos, long size) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 << 16);
        long p = pos;
        while (p < size) {
            b.clear();
            int n = ch.read(b, p);
            if (n <= 0) break;
            for (int i = 0; i < n; i++) if (b.get(i) == '\n') return p + i + 1;
            p += n;
        }
        return size;
    }

    /** What one thread read of bytes [begin, end): values, how many lines, or why it stopped. */
    static final class Part {
        double[] values = new double[0];
        int count;
        long lines;
        Bad bad;
        boolean needsFullParser;
        boolean outOfMemory;
        IOException io;
        /** The first line (from 1) with a value the check refused, and the value; 0 when none. */
        long invalidLine;
        double invalid;

        static Part read(Path file, long begin, long end, int[] wantedAt, int d, List<String> labels, byte delimiter,
                         String width) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ch.position(begin);
                return read(java.nio.channels.Channels.newInputStream(ch), end - begin, wantedAt, d, labels, delimiter, width, null);
            } catch (IOException e) {
                Part part = new Part();
                part.io = e;
                return part;
            }
        }

        /**
         * The whole lines of the next {@code length} bytes of {@code in}, which starts at a line.
         * With {@code valid}, also the first line with a value it refuses, and that value.
         */
        static Part read(InputStream in, long length, int[] wantedAt, int d, List<String> labels, byte delimiter, String width,
                         java.util.function.DoublePredicate valid) {
            Part part = new Part();
            try {
                Lines lines = new Lines(in, length);
                double[] values = new double[1 << 16];
                double[] row = new double[d];
                int wanted = 0;
                for (int w : wantedAt) if (w >= 0) wanted++;
                int count = 0;
                long line = 0;
                while (lines.next()) {
                    line++;
                    int got = parseLine(lines.buf, lines.from, lines.to, wantedAt, wanted, row, line, labels, delimiter, width);
                    if (got == 0) continue; // blank
                    if (got < 0) throw new Bad(line, "missing:" + (-got - 1));
                    if (count + d > values.length) {
                        if (values.length >= Integer.MAX_VALUE / 2 - 8) throw new OutOfMemoryError("more values than one array holds");
                        values = Arrays.copyOf(values, 2 * values.length);
                    }
                    System.arraycopy(row, 0, values, count, d);
                    count += d;
                    if (valid != null && part.invalidLine == 0) {
                        for (int a = 0; a < d; a++) {
                            if (!valid.test(row[a])) { part.invalidLine = line; part.invalid = row[a]; break; }
                        }
                    }
                }
                part.values = values;
                part.count = count;
                part.lines = line;
            } catch (Bad b) {
                part.bad = b;
            } catch (NeedsFullParser q) {
                part.needsFullParser = true;
            } catch (IOException e) {
                part.io = e;
            } catch (OutOfMemoryError e) {
                part.values = null;
                part.outOfMemory = true;
            }
            return part;
        }
    }

    /**
     * Parses the wanted cells of buf[from, to) into row. Returns 1 for a full row, 0 for a blank
     * line, −(c + 1) when wanted column c is missing.
     */
    private static int parseLine(byte[] buf, int from, int to, int[] wantedAt, int wanted, double[] row, long line,
                                 List<String> labels, byte delimiter, String width) throws Bad, NeedsFullParser {
        int end = to;
        if (end > from && buf[end - 1] == '\r') end--;
        boolean blank = true;
        for (int p = from; p < end; p++) if (buf[p] != ' ' && buf[p] != '\t') { blank = false; break; }
        if (blank) return 0;
        int filled = 0;
        int cell = 0, p = from;
        while (true) {
            int q = p;
            while (q < end && buf[q] != delimiter) {
                if (buf[q] == '"') throw new NeedsFullParser();
                q++;
            }
            if (cell < wantedAt.length && wantedAt[cell] >= 0) {
                row[wantedAt[cell]] = number(buf, p, q, line, labels.get(cell));
                filled++;
            }
            cell++;
            if (q >= end) break;
            p = q + 1;
        }
        if (cell != wantedAt.length) {
            if (filled < wanted) {
                for (int c = 0; c < wantedAt.length; c++) {
                    if (wantedAt[c] >= 0 && c >= cell) return -(wantedAt[c] + 1);
                }
            }
            throw new Bad(line, "this row has " + cell + " cell" + (cell == 1 ? "" : "s") + " but " + width);
        }
        return 1;
    }

    private static double number(byte[] buf, int from, int to, long line, String col) throws Bad {
        int p = from, e = to;
        while (p < e && (buf[p] == ' ' || buf[p] == '\t')) p++;
        while (e > p && (buf[e - 1] == ' ' || buf[e - 1] == '\t')) e--;
        int s = p;
        boolean negative = false;
        if (p < e && (buf[p] == '-' || buf[p] == '+')) { negative = buf[p] == '-'; p++; }
        // the significand's digits as an unsigned long (up to 19 of them) and the power of ten
        long mantissa = 0;
        int digits = 0, exp10 = 0;
        boolean dot = false, sawDigit = false, simple = p < e;
        for (; p < e && simple; p++) {
            byte b = buf[p];
            if (b >= '0' && b <= '9') {
                sawDigit = true;
                if (mantissa == 0 && b == '0') {
                    if (dot) exp10--;
                } else if (digits < 19) {
                    mantissa = mantissa * 10 + (b - '0');
                    digits++;
                    if (dot) exp10--;
                } else if (b == '0') {
                    if (!dot) exp10++; // a trailing zero beyond 19 digits
                } else {
                    simple = false;
                }
            } else if (b == '.' && !dot) {
                dot = true;
            } else if ((b == 'e' || b == 'E') && sawDigit) {
                int x = exponent(buf, p + 1, e);
                simple = x != NO_EXPONENT;
                if (simple) exp10 += x;
                break;
            } else {
                simple = false;
            }
        }
        if (simple && sawDigit) {
            double v = DecimalToDouble.of(mantissa, exp10, negative);
            if (!Double.isNaN(v)) return v;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(buf, s, e - s)).toString();
        } catch (java.nio.charset.CharacterCodingException ex) {
            // shown as decoded it would be mojibake or '�': say what is wrong with the file instead
            throw new Bad(line, col + ": this cell is not a number, and not UTF-8 text either; save the file as UTF-8");
        }
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException ex) {
            throw new Bad(line, col + ": " + DataLoader.notANumber(text));
        }
        if (!Double.isFinite(v)) throw new Bad(line, col + ": " + text + " is not a finite number");
        return v;
    }

    private static final int NO_EXPONENT = Integer.MIN_VALUE;

    /** The exponent written in buf[p, e) (after the 'e'), or NO_EXPONENT if it is malformed or beyond ±9999. */
    private static int exponent(byte[] buf, int p, int e) {
        boolean negative = false;
        if (p < e && (buf[p] == '-' || buf[p] == '+')) { negative = buf[p] == '-'; p++; }
        if (p == e || e - p > 4) return NO_EXPONENT;
        int x = 0;
        for (; p < e; p++) {
            if (buf[p] < '0' || buf[p] > '9') return NO_EXPONENT;
            x = 10 * x + (buf[p] - '0');
        }
        return negative ? -x : x;
    }

    /** Whole lines out of a stream, in a buffer that grows to hold the longest line. */
    private static final class Lines {
        private final InputStream in;
        private long left;     // bytes still to read
        byte[] buf = new byte[1 << 20];
        int from, to;          // the current line is buf[from, to), without its '\n'
        private int start, limit;
        private boolean eof;

        Lines(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        boolean next() throws IOException {
            while (true) {
                for (int p = start; p < limit; p++) {
                    if (buf[p] == '\n') {
                        from = start;
                        to = p;
                        start = p + 1;
                        return true;
                    }
                }
                if (eof) {
                    if (start < limit) {
                        from = start;
                        to = limit;
                        start = limit;
                        return true;
                    }
                    return false;
                }
                int scanned = limit - start;
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, scanned);
                    start = 0;
                    limit = scanned;
                }
                if (limit == buf.length) buf = Arrays.copyOf(buf, 2 * buf.length);
                int n = left <= 0 ? -1 : in.read(buf, limit, (int) Math.min(buf.length - limit, left));
                if (n < 0) eof = true;
                else {
                    limit += n;
                    left -= n;
                }
            }
        }
    }
}

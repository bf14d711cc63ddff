package org.cavi.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.Optional;
import java.util.function.DoublePredicate;

/**
 * A CSV file read in pieces that need not be on one machine: the layout from the file's first
 * line, then each piece of whole lines parsed on its own by the same reader as a local file's
 * ({@link FastCsv}), so every value is the same double; lines are numbered afterwards, piece by
 * piece, so a message names the same FILE:LINE as for a local file. For a distributed engine,
 * which reads files where they lie.
 */
public final class CsvPieces {
    private CsvPieces() {}

    /** What every piece needs; made once from the file's start. */
    public static final class Layout implements Serializable {
        private static final long serialVersionUID = 1L;
        final FastCsv.Layout layout;
        final String name;

        Layout(FastCsv.Layout layout, String name) {
            this.layout = layout;
            this.name = name;
        }

        /** The offset of the first data line (after the header line, if there is one). */
        public long dataStart() { return layout.dataStart(); }
    }

    /**
     * The layout from the start of the file ({@code in}), named {@code name} in messages: a
     * {@link Layout}, or a String saying what is wrong, or empty when the file needs a full CSV
     * parser (quoted cells), which reads a file on one machine only.
     */
    public static Optional<Object> layout(InputStream in, String name, Optional<String> columns, int d, DataLoader.Format format)
            throws IOException {
        Object laid = FastCsv.layout(in, name, columns, d, format);
        if (laid == null) return Optional.empty();
        return Optional.of(laid instanceof String ? laid : new Layout((FastCsv.Layout) laid, name));
    }

    /**
     * One piece's rows, lines and problems. {@code bad} says what is wrong at {@code badLine} (its line
     * within the piece, from 1); {@code invalidLine} is the first line with a value outside the
     * likelihood's support, which is {@code invalid}; 0 when there is none.
     */
    public record Piece(double[] values, int count, long lines, long badLine, String bad, boolean needsFullParser,
                        long invalidLine, double invalid) implements Serializable {
        /** Rows of d values. */
        public int rows(int d) { return count / d; }
    }

    /**
     * The whole lines in the next {@code length} bytes of {@code in}, which starts at a line: each
     * value checked by {@code valid}, if given.
     *
     * @throws IOException when the stream cannot be read
     */
    public static Piece read(InputStream in, long length, Layout layout, int d, DoublePredicate valid) throws IOException {
        FastCsv.Layout l = layout.layout;
        FastCsv.Part part = FastCsv.Part.read(in, length, l.wantedAt(), d, l.labels(), l.delimiter(), l.width(), valid);
        if (part.io != null) throw part.io;
        if (part.outOfMemory) throw new OutOfMemoryError("a piece of " + layout.name + " is larger than one array holds");
        String bad = part.bad == null ? null : FastCsv.badMessage(l, part, layout.name, 0);
        long badLine = part.bad == null ? 0 : part.bad.line;
        double[] values = part.values == null ? new double[0] : java.util.Arrays.copyOf(part.values, part.count);
        return new Piece(values, part.count, part.lines, badLine, bad, part.needsFullParser, part.invalidLine, part.invalid);
    }

    /**
     * The message of a piece's bad line, its line numbered in the file: {@code linesBefore} lines
     * (the header's included) come before the piece.
     */
    public static String message(Layout layout, Piece piece, long linesBefore) {
        String within = layout.name + ":" + piece.badLine() + ": ";
        return layout.name + ":" + (linesBefore + piece.badLine()) + ": " + piece.bad().substring(within.length());
    }

    /** How many lines precede the data: the header's, if the file has one. */
    public static long headerLines(Layout layout) {
        return layout.dataStart() > 0 ? 1 : 0;
    }

    /** "column 'x' is empty: …" for a file with no data rows, as the local reader says it. */
    public static String noRows(Layout layout) {
        return layout.name + ": " + layout.layout.labels().get(layout.layout.cols()[0]) + " is empty: there are no rows after the header";
    }
}

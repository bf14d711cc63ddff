package org.cavi.data;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** Reads one numeric column of a CSV file with a header row. */
public final class DataLoader {
    private DataLoader() {}

    /** A data source: a file and, when it has several columns, which one. */
    public record Source(Path file, Optional<String> column, String display) {
        /** FILE or FILE:COLUMN, relative to base. A path that exists as written is taken whole. */
        public static Source parse(String spec, Path base) {
            Path whole = base.resolve(spec);
            int colon = spec.lastIndexOf(':');
            if (Files.exists(whole) || colon <= 0 || colon == spec.length() - 1) {
                return new Source(whole, Optional.empty(), spec);
            }
            String name = spec.substring(0, colon);
            return new Source(base.resolve(name), Optional.of(spec.substring(colon + 1)), name);
        }

        @Override public String toString() { return display + column.map(c -> ":" + c).orElse(""); }
    }

    /**
     * How a CSV file is laid out: whether its first line is a header row, and its delimiter
     * ({@code 0}: detect it from the first line, a tab when that line has a tab and no comma,
     * else a comma).
     */
    public record Format(boolean header, char delimiter) {
        public static final Format DEFAULT = new Format(true, (char) 0);

        /** The delimiter of a file whose first line is {@code first}. */
        char delimiterFor(String first) {
            if (delimiter != 0) return delimiter;
            return first.indexOf('\t') >= 0 && first.indexOf(',') < 0 ? '\t' : ',';
        }
    }

    /** The values, or what is wrong with the file. Exactly one of the two is present. */
    public record Loaded(Points points, DataError error) {
        static Loaded ok(double[] v) { return new Loaded(Points.of(v), null); }
        static Loaded ok(Points p) { return new Loaded(p, null); }
        static Loaded fail(String msg) { return new Loaded(null, new DataError(msg)); }
        static Loaded outOfMemory(String name) {
            return new Loaded(null, new DataError(name + ": out of memory while reading the data; give Java a larger heap "
                    + "(CAVI_JAVA_OPTS=-Xmx8g), or save the data as a .npy file, which is read where it lies", true));
        }
        public boolean ok() { return error == null; }

        /** The values in one heap array (a copy, when they are mapped). */
        public double[] values() {
            return points.rows(1, Integer.MAX_VALUE);
        }
    }

    public static Loaded load(Source src) { return load(src, 1); }

    public static Loaded load(Source src, int d) { return load(src, d, Format.DEFAULT); }

    /**
     * Reads {@code d} numeric columns, row by row (row-major, n·d values): the columns named or
     * numbered in the source (FILE:a,b or FILE:1,3), or all of them when the file has exactly d.
     */
    public static Loaded load(Source src, int d, Format format) {
        Path file = src.file();
        String name = src.display();
        if (Files.isDirectory(file)) return Loaded.fail(name + ": is a directory, not a CSV file");
        if (Npy.is(file)) {
            if (src.column().isPresent()) return Loaded.fail(name + ": a .npy file has no columns to pick; drop :" + src.column().get());
            return Npy.load(file, name, d);
        }
        try {
            Loaded fast = FastCsv.read(file, name, src, d, format);
            if (fast != null) return fast;
            return loadWithCommonsCsv(src, d, format);
        } catch (NoSuchFileException ex) {
            return Loaded.fail(name + ": no such file");
        } catch (IOException ex) {
            return Loaded.fail(name + ": cannot read it: " + ex.getMessage());
        } catch (OutOfMemoryError ex) {
            return Loaded.outOfMemory(name);
        }
    }

    /**
     * The file line (1-based, the header line included) of data row {@code row} (0-based), as
     * "FILE:LINE" for messages; "FILE: row R" for a .npy file, which has no lines.
     */
    public static String where(Source src, Format format, long row) {
        String name = src.display();
        if (Npy.is(src.file())) return name + ": row " + (row + 1);
        try {
            long line = lineOfUnquoted(src.file(), format, row);
            if (line > 0) return name + ":" + line;
        } catch (IOException | RuntimeException ex) {
            return name + ": data row " + (row + 1);
        }
        try (java.io.BufferedReader reader = Files.newBufferedReader(src.file(), StandardCharsets.UTF_8)) {
            reader.mark(1 << 20);
            String firstLine = reader.readLine();
            reader.reset();
            long line = lineOf(reader, format, format.delimiterFor(firstLine == null ? "" : firstLine), row);
            return line > 0 ? name + ":" + line : name + ": data row " + (row + 1);
        } catch (IOException | RuntimeException ex) {
            return name + ": data row " + (row + 1);
        }
    }

    /**
     * The line of data row {@code row} by counting the lines that are not blank, as the fast
     * reader does; −1 when the file has a quote (a quoted cell may hold a line break), 0 when
     * there is no such row.
     */
    private static long lineOfUnquoted(Path file, Format format, long row) throws IOException {
        long seen = format.header() ? -2 : -1, line = 1;
        boolean blank = true;
        byte[] buf = new byte[1 << 16];
        try (java.io.InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        if (!blank && ++seen == row) return line;
                        line++;
                        blank = true;
                    } else if (b == '"') {
                        return -1;
                    } else if (b != ' ' && b != '\t' && b != '\r') {
                        blank = false;
                    }
                }
            }
        }
        return !blank && ++seen == row ? line : 0;
    }

    /** The line of data row {@code row}, with Commons CSV (quotes may hold line breaks); 0 if there is none. */
    private static long lineOf(Reader reader, Format format, char delimiter, long row) throws IOException {
        CSVParser csv = CSVParser.parse(reader, CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setIgnoreEmptyLines(false).get());
        java.util.Iterator<CSVRecord> records = csv.iterator();
        long seen = format.header() ? -2 : -1;
        while (true) {
            long line = csv.getCurrentLineNumber() + 1;
            if (!records.hasNext()) return 0;
            CSVRecord r = records.next();
            if (r.size() == 1 && r.get(0).isBlank()) continue;
            if (++seen == row) return line;
        }
    }

    /** Why a cell is not read: numpy's and R's spellings of infinity and NaN are numbers, just not finite ones. */
    static String notANumber(String cell) {
        return cell.strip().matches("(?i)[+-]?(inf|infinity|nan)")
                ? cell.strip() + " is not a finite number" : "'" + cell + "' is not a number";
    }

    /** What a column is called in messages: its name, or its number in a file without a header. */
    static String label(List<String> header, boolean named, int c) {
        return named ? "column '" + header.get(c) + "'" : "column " + (c + 1);
    }

    private static final java.util.regex.Pattern NUMBER =
            java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /**
     * The columns to read, by index, or why they cannot be: each wanted column by name or
     * by its number (a name wins when a column is called by digits), else all of them when
     * the file has exactly d. {@code first} is the first line's cells: the header, or the
     * first row of a file without one.
     */
    static Object columns(List<String> first, Format format, Source src, int d, String name) {
        boolean named = format.header();
        if (named && first.stream().allMatch(c -> NUMBER.matcher(c).matches())) {
            return name + ":1: the first line holds numbers (" + String.join(", ", first) + "), not column names; "
                    + "if the file has no header row, pass --no-header";
        }
        int[] cols = new int[d];
        if (src.column().isPresent()) {
            String[] wanted = src.column().get().split(",", -1);
            if (wanted.length != d) {
                return name + ": " + wanted.length + " column" + (wanted.length == 1 ? "" : "s") + " picked ("
                        + src.column().get() + ") but the data need " + d + "; pick them as " + name
                        + ":A,B,... (names or numbers)";
            }
            for (int c = 0; c < d; c++) {
                String w = wanted[c].trim();
                int at = named ? first.indexOf(w) : -1;
                if (at >= 0 && first.lastIndexOf(w) != at) {
                    // picking the first of two same-named columns would be a silent guess
                    return name + ":1: columns " + (at + 1) + " and " + (first.lastIndexOf(w) + 1) + " are both named '" + w
                            + "'; pick one by its number (" + name + ":" + (at + 1) + ")";
                }
                if (at < 0 && w.matches("\\d{1,9}")) {
                    int number = Integer.parseInt(w);
                    if (number == 0) return name + ":1: no column 0: columns are numbered from 1";
                    if (number > first.size()) {
                        return name + ":1: no column " + number + ": the file has " + first.size() + " column"
                                + (first.size() == 1 ? "" : "s") + (named ? " (" + String.join(", ", first) + ")" : "");
                    }
                    at = number - 1;
                }
                if (at < 0) {
                    return named ? name + ":1: no column '" + w + "'; the columns are " + String.join(", ", first)
                            : name + ": without a header row columns are picked by number (" + name + ":2), not by name '" + w + "'";
                }
                cols[c] = at;
            }
            return cols;
        }
        if (first.size() == d) {
            for (int c = 0; c < d; c++) cols[c] = c;
            return cols;
        }
        String list = named ? " (" + String.join(", ", first) + ")" : "";
        if (d == 1) {
            return name + ":1: the file has " + first.size() + " columns" + list + "; pick one as " + name + ":COLUMN (a name or a number)";
        }
        return name + ":1: the file has " + first.size() + " column" + (first.size() == 1 ? "" : "s") + list
                + " but the data need " + d + "; pick them as " + name + ":A,B,... (names or numbers)";
    }

    /** The general reader: quotes. */
    private static Loaded loadWithCommonsCsv(Source src, int d, Format format) throws IOException {
        Path file = src.file();
        String name = src.display();
        String firstLine;
        try (java.io.BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            firstLine = r.readLine();
        } catch (java.nio.charset.CharacterCodingException ex) {
            return Loaded.fail(name + ": cannot read it as CSV: it is not UTF-8 text");
        }
        char delimiter = format.delimiterFor(firstLine == null ? "" : firstLine);
        CSVFormat csvFormat = CSVFormat.DEFAULT.builder().setDelimiter(delimiter)
                .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(false).get();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser csv = CSVParser.parse(reader, csvFormat)) {
            java.util.Iterator<CSVRecord> records = csv.iterator();
            List<String> first = null;
            int[] cols = null;
            boolean named = format.header();
            String widthOf = named ? "the header has " : "the first line has ";
            double[] values = new double[1024];
            int count = 0;
            while (true) {
                long line = csv.getCurrentLineNumber() + 1; // the line this record starts on
                CSVRecord r;
                try {
                    if (!records.hasNext()) break;
                    r = records.next();
                } catch (java.io.UncheckedIOException ex) {
                    return Loaded.fail(name + ":" + line + ": cannot read it as CSV: " + csvProblem(ex.getCause()));
                }
                if (r.size() == 1 && r.get(0).isBlank()) continue;
                if (first == null) {
                    first = r.toList().stream().map(String::strip).toList();
                    Object chosen = columns(first, format, src, d, name);
                    if (chosen instanceof String why) return Loaded.fail(why);
                    cols = (int[]) chosen;
                    if (named) continue;
                }
                if (r.size() != first.size()) {
                    for (int c = 0; c < d; c++) {
                        if (r.size() <= cols[c]) {
                            return Loaded.fail(name + ":" + line + ": this row has too few cells, so no value for "
                                    + label(first, named, cols[c]));
                        }
                    }
                    return Loaded.fail(name + ":" + line + ": this row has " + r.size() + " cell" + (r.size() == 1 ? "" : "s")
                            + " but " + widthOf + first.size());
                }
                for (int c = 0; c < d; c++) {
                    String cell = r.get(cols[c]);
                    double v;
                    try {
                        v = Double.parseDouble(cell);
                    } catch (NumberFormatException ex) {
                        return Loaded.fail(name + ":" + line + ": " + label(first, named, cols[c]) + ": " + notANumber(cell));
                    }
                    if (!Double.isFinite(v)) {
                        return Loaded.fail(name + ":" + line + ": " + label(first, named, cols[c]) + ": " + cell + " is not a finite number");
                    }
                    if (count == values.length) values = Arrays.copyOf(values, 2 * count);
                    values[count++] = v;
                }
            }
            if (first == null) return Loaded.fail(name + ":1: the file is empty" + (named ? "; expected a header row" : ""));
            if (count == 0) {
                return Loaded.fail(name + ": " + label(first, named, cols[0]) + " is empty: there are no rows after the header");
            }
            return Loaded.ok(Arrays.copyOf(values, count));
        } catch (java.io.UncheckedIOException | IllegalArgumentException | IllegalStateException ex) {
            String why = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            return Loaded.fail(name + ": cannot read it as CSV: " + why);
        }
    }

    /** What Commons CSV found wrong, in words, without its class name and positions. */
    private static String csvProblem(Throwable t) {
        String m = t == null || t.getMessage() == null ? "malformed CSV" : t.getMessage();
        if (m.contains("EOF reached before encapsulated token finished")) return "a quote is not closed before the end of the file";
        if (m.contains("Invalid character between encapsulated token and delimiter")) {
            return "a quoted cell is followed by something other than the delimiter";
        }
        return m.replaceFirst("^\\(startline \\d+\\) ", "").replaceFirst(" at line: \\d+, position: \\d+$", "");
    }

    /** CSV of row-major points with d coordinates, columns named prefix1..prefixD (or prefix when d = 1). */
    public static String toCsv(String prefix, double[] x, int d) {
        return toCsv(prefix, x, d, false);
    }

    /** As {@link #toCsv(String, double[], int)}; counts and 0/1 outcomes are written as integers (6, not 6.0). */
    public static String toCsv(String prefix, double[] x, int d, boolean counts) {
        Map<String, double[]> cols = new java.util.LinkedHashMap<>();
        int n = x.length / d;
        for (int a = 0; a < d; a++) {
            double[] col = new double[n];
            for (int i = 0; i < n; i++) col[i] = x[i * d + a];
            cols.put(d == 1 ? prefix : prefix + (a + 1), col);
        }
        return toCsv(cols, counts);
    }

    /** CSV with a header row: one column per name, all columns the same length. */
    public static String toCsv(Map<String, double[]> columns) {
        return toCsv(columns, false);
    }

    private static String toCsv(Map<String, double[]> columns, boolean counts) {
        StringBuilder out = new StringBuilder();
        out.append(String.join(",", columns.keySet())).append('\n');
        double[][] cols = columns.values().toArray(new double[0][]);
        int n = cols.length == 0 ? 0 : cols[0].length;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < cols.length; c++) {
                if (c > 0) out.append(',');
                double v = cols[c][i];
                // a count is exact as a long below 2^63; beyond that (or if not whole) the double's own text
                if (counts && v == Math.rint(v) && Math.abs(v) < 0x1p63) out.append((long) v);
                else out.append(v);
            }
            out.append('\n');
        }
        return out.toString();
    }
}

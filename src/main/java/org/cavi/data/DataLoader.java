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

    /** The values, or what is wrong with the file. Exactly one of the two is present. */
    public record Loaded(Points points, DataError error) {
        static Loaded ok(double[] v) { return new Loaded(Points.of(v), null); }
        static Loaded ok(Points p) { return new Loaded(p, null); }
        static Loaded fail(String msg) { return new Loaded(null, new DataError(msg)); }
        public boolean ok() { return error == null; }

        /** The values in one heap array (a copy, when they are mapped). */
        public double[] values() {
            return points.rows(1, Integer.MAX_VALUE);
        }
    }

    public static Loaded load(Source src) { return load(src, 1); }

    /**
     * Reads {@code d} numeric columns, row by row (row-major, n·d values): the columns named in
     * the source (FILE:a,b), or all of them when the file has exactly d.
     */
    public static Loaded load(Source src, int d) {
        Path file = src.file();
        String name = src.display();
        if (Files.isDirectory(file)) return Loaded.fail(name + ": is a directory, not a CSV file");
        if (Npy.is(file)) {
            if (src.column().isPresent()) return Loaded.fail(name + ": a .npy file has no named columns; drop :" + src.column().get());
            return Npy.load(file, name, d);
        }
        try {
            Loaded fast = FastCsv.read(file, name, src, d);
            if (fast != null) return fast;
        } catch (NoSuchFileException ex) {
            return Loaded.fail(name + ": no such file");
        } catch (IOException ex) {
            return Loaded.fail(name + ": cannot read it: " + ex.getMessage());
        }
        return loadWithCommonsCsv(src, d);
    }

    /** The columns to read, by index; null when they cannot be chosen (the full parser says why). */
    static int[] columns(List<String> header, Source src, int d, String name) {
        int[] cols = new int[d];
        if (src.column().isPresent()) {
            String[] wanted = src.column().get().split(",");
            if (wanted.length != d) return null;
            for (int c = 0; c < d; c++) {
                cols[c] = header.indexOf(wanted[c].trim());
                if (cols[c] < 0) return null;
            }
            return cols;
        }
        if (header.size() != d) return null;
        for (int c = 0; c < d; c++) cols[c] = c;
        return cols;
    }

    /** The general reader: quotes, and the messages about columns. */
    private static Loaded loadWithCommonsCsv(Source src, int d) {
        Path file = src.file();
        String name = src.display();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser csv = CSVParser.parse(reader, format)) {
            List<String> header = csv.getHeaderNames();
            if (header.isEmpty()) return Loaded.fail(name + ":1: the file is empty; expected a header row");
            int[] cols = new int[d];
            if (src.column().isPresent()) {
                String[] wanted = src.column().get().split(",");
                if (wanted.length != d) {
                    return Loaded.fail(name + ": " + wanted.length + " column" + (wanted.length == 1 ? "" : "s")
                            + " named, but the data needs " + d);
                }
                for (int c = 0; c < d; c++) {
                    cols[c] = header.indexOf(wanted[c].trim());
                    if (cols[c] < 0) {
                        return Loaded.fail(name + ":1: no column '" + wanted[c].trim() + "'; the columns are "
                                + String.join(", ", header));
                    }
                }
            } else if (header.size() == d) {
                for (int c = 0; c < d; c++) cols[c] = c;
            } else if (d == 1) {
                return Loaded.fail(name + ":1: the file has " + header.size() + " columns (" + String.join(", ", header)
                        + "); name one as " + name + ":COLUMN");
            } else {
                return Loaded.fail(name + ":1: the file has " + header.size() + " column" + (header.size() == 1 ? "" : "s")
                        + " (" + String.join(", ", header) + ") but the data need " + d + "; name them as " + name + ":A,B,...");
            }
            double[] values = new double[1024];
            int count = 0;
            for (CSVRecord r : csv) {
                long line = csv.getCurrentLineNumber();
                for (int c = 0; c < d; c++) {
                    String colName = header.get(cols[c]);
                    if (r.size() <= cols[c]) {
                        return Loaded.fail(name + ":" + line + ": this row has " + r.size() + " cells, so no value for column '"
                                + colName + "'");
                    }
                    String cell = r.get(cols[c]);
                    double v;
                    try {
                        v = Double.parseDouble(cell);
                    } catch (NumberFormatException ex) {
                        return Loaded.fail(name + ":" + line + ": column '" + colName + "': '" + cell + "' is not a number");
                    }
                    if (!Double.isFinite(v)) {
                        return Loaded.fail(name + ":" + line + ": column '" + colName + "': " + cell + " is not a finite number");
                    }
                    if (count == values.length) values = Arrays.copyOf(values, 2 * count);
                    values[count++] = v;
                }
            }
            if (count == 0) {
                return Loaded.fail(name + ": column '" + header.get(cols[0]) + "' is empty: there are no rows after the header");
            }
            return Loaded.ok(Arrays.copyOf(values, count));
        } catch (NoSuchFileException ex) {
            return Loaded.fail(name + ": no such file");
        } catch (IOException | java.io.UncheckedIOException | IllegalArgumentException | IllegalStateException ex) {
            String why = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            return Loaded.fail(name + ": cannot read it as CSV: " + why);
        }
    }

    /** CSV of row-major points with d coordinates, columns named prefix1..prefixD (or prefix when d = 1). */
    public static String toCsv(String prefix, double[] x, int d) {
        Map<String, double[]> cols = new java.util.LinkedHashMap<>();
        int n = x.length / d;
        for (int a = 0; a < d; a++) {
            double[] col = new double[n];
            for (int i = 0; i < n; i++) col[i] = x[i * d + a];
            cols.put(d == 1 ? prefix : prefix + (a + 1), col);
        }
        return toCsv(cols);
    }

    /** CSV with a header row: one column per name, all columns the same length. */
    public static String toCsv(Map<String, double[]> columns) {
        StringBuilder out = new StringBuilder();
        out.append(String.join(",", columns.keySet())).append('\n');
        double[][] cols = columns.values().toArray(new double[0][]);
        int n = cols.length == 0 ? 0 : cols[0].length;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < cols.length; c++) {
                if (c > 0) out.append(',');
                out.append(cols[c][i]);
            }
            out.append('\n');
        }
        return out.toString();
    }
}

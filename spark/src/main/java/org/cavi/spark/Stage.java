package org.cavi.spark;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Copies data at any Hadoop file-system path (hdfs://, s3a://, file://, …) to a local .npy file
 * (little-endian float64, C order), which cavi then memory-maps: the data need not fit the
 * driver's heap, only its disk. A .npy source is copied as it is; CSV and Parquet are read by
 * Spark, their numeric columns (or the ones named) cast to double, and streamed to the file
 * partition by partition, in the order Spark reads the rows: for one file, the file's order.
 *
 * <pre>spark-submit --class org.cavi.spark.Stage cavi-spark.jar SOURCE OUT.npy [--columns a,b] [--no-header]</pre>
 */
public final class Stage {
    private Stage() {}

    public static void main(String[] args) {
        PrintStream err = System.err;
        List<String> positional = new ArrayList<>();
        List<String> columns = List.of();
        boolean header = true;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--columns") && i + 1 < args.length) columns = List.of(args[++i].split(","));
            else if (args[i].equals("--no-header")) header = false;
            else positional.add(args[i]);
        }
        if (positional.size() != 2) {
            err.println("usage: Stage SOURCE OUT.npy [--columns a,b] [--no-header]   (SOURCE: a .npy, .csv or Parquet path, any Hadoop file system)");
            System.exit(2);
        }
        try {
            long rows = stage(positional.get(0), Path.of(positional.get(1)), columns, header);
            err.println(rows < 0 ? "copied " + positional.get(0) + " to " + positional.get(1) : "staged " + rows + " rows to " + positional.get(1));
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println("error: " + e.getMessage());
            System.exit(65);
        }
    }

    /** Stages {@code source} to {@code out}; returns the rows written. */
    public static long stage(String source, Path out, List<String> columns, boolean header) {
        String lower = source.toLowerCase(Locale.ROOT);
        SparkSession spark = SparkSession.builder().config(SparkEngine.conf(java.util.Optional.empty())).getOrCreate();
        if (lower.endsWith(".npy")) return copy(spark, source, out);
        Dataset<Row> df = lower.endsWith(".csv") || lower.endsWith(".csv.gz") || lower.endsWith(".tsv")
                ? spark.read().option("header", header).option("inferSchema", "true")
                        .option("sep", lower.endsWith(".tsv") ? "\t" : ",").csv(source)
                : spark.read().parquet(source);
        List<String> names = columns.isEmpty() ? numeric(df) : columns;
        if (names.isEmpty()) throw new IllegalArgumentException(source + " has no numeric column");
        Column[] cols = names.stream().map(c -> functions.col(c).cast("double")).toArray(Column[]::new);
        Dataset<Row> values = df.select(cols);
        long rows = values.count();
        int d = names.size();
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
            o.write(header(rows, d));
            ByteBuffer row = ByteBuffer.allocate(8 * d).order(ByteOrder.LITTLE_ENDIAN);
            long written = 0;
            for (Iterator<Row> it = values.toLocalIterator(); it.hasNext(); written++) {
                Row r = it.next();
                row.clear();
                for (int a = 0; a < d; a++) {
                    if (r.isNullAt(a)) throw new IllegalArgumentException(source + ": row " + (written + 1) + ", column " + names.get(a) + " is empty or not a number");
                    row.putDouble(r.getDouble(a));
                }
                o.write(row.array());
            }
            if (written != rows) throw new IllegalStateException("read " + written + " rows, counted " + rows);
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": " + e.getMessage(), e);
        }
        return rows;
    }

    private static List<String> numeric(Dataset<Row> df) {
        List<String> out = new ArrayList<>();
        for (var f : df.schema().fields()) {
            if (f.dataType() instanceof org.apache.spark.sql.types.NumericType) out.add(f.name());
        }
        return out;
    }

    /** A .npy version 1.0 header for an (n, d) float64 array in C order, padded to 64 bytes. */
    static byte[] header(long n, int d) {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + n + ", " + d + "), }";
        int unpadded = 10 + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64;
        String text = dict + " ".repeat(total - unpadded) + "\n";
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) text.length());
        b.put(text.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    private static long copy(SparkSession spark, String source, Path out) {
        try {
            URI uri = URI.create(source);
            FileSystem fs = FileSystem.get(uri, spark.sparkContext().hadoopConfiguration());
            try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(uri))) {
                Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            }
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": " + e.getMessage(), e);
        }
    }
}

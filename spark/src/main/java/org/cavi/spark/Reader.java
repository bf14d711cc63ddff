package org.cavi.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.DoublePredicate;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.cavi.data.CsvPieces;
import org.cavi.data.DataLoader;
import org.cavi.data.Npy;
import org.cavi.infer.DistributedEngine;
import org.cavi.infer.Engine;
import scala.Tuple2;

/**
 * Reads data where they lie, at any Hadoop file-system path, into the engine's {@link Engine#BLOCKS}
 * fixed blocks, kept on the executors: nothing of size n passes through the driver.
 * <ul>
 * <li>.npy: each block is read by an executor straight from its byte range of the file;
 * <li>CSV: the file is cut into pieces of whole lines, which executors parse with cavi's own CSV
 * reader (the same doubles and the same FILE:LINE messages as a local file's), then the rows are
 * sent once to the blocks they belong to;
 * <li>Parquet (a file or a folder): read by Spark SQL, the columns cast to double, then sent to
 * their blocks as CSV rows are.
 * </ul>
 * Every value is checked, as a local file's are: finite, and in the likelihood's support.
 */
final class Reader {
    private Reader() {}

    /** A CSV piece is about this many bytes: small enough for an executor's heap, many enough to spread. */
    static final long PIECE_BYTES = 64L << 20;

    /** The blocks, and the number of rows; or why the data cannot be read. */
    record Result(JavaRDD<Block> blocks, long rows, DistributedEngine.Read problem) {
        static Result failed(String message) { return new Result(null, 0, new DistributedEngine.Read.Failed(message)); }
    }

    static Result read(JavaSparkContext sc, String path, Optional<String> columns, int d, DataLoader.Format format,
                       DistributedEngine.ValueCheck valid, int partitions) {
        String lower = path.toLowerCase(Locale.ROOT);
        try {
            if (lower.endsWith(".parquet") || lower.endsWith(".parquet/")) return parquet(sc, path, columns, d, valid, partitions);
            FileSystem fs = FileSystem.get(URI.create(path), sc.hadoopConfiguration());
            FileStatus status;
            try {
                status = fs.getFileStatus(new Path(path));
            } catch (FileNotFoundException e) {
                return Result.failed(path + ": no such file");
            }
            if (status.isDirectory()) return Result.failed(path + ": is a directory; cavi reads one .npy or CSV file, or Parquet (a file or a folder ending in .parquet)");
            if (lower.endsWith(".npy")) {
                if (columns.isPresent()) return Result.failed(path + ": a .npy file has no columns to pick; drop :" + columns.get());
                return npy(sc, fs, path, status.getLen(), d, valid, partitions);
            }
            return csv(sc, fs, path, status.getLen(), columns, d, format, valid, partitions);
        } catch (IOException | IllegalArgumentException e) {
            return Result.failed(path + ": cannot read it: " + firstLine(e));
        }
    }

    static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    // ---- .npy: each block reads its own byte range

    private static Result npy(JavaSparkContext sc, FileSystem fs, String path, long size, int d,
                              DistributedEngine.ValueCheck valid, int partitions) throws IOException {
        byte[] head = new byte[(int) Math.min(size, 65536)];
        try (FSDataInputStream in = fs.open(new Path(path))) {
            in.readFully(0, head);
        }
        Object layout = Npy.layout(ByteBuffer.wrap(head), size, path, d);
        if (layout instanceof String why) return Result.failed(why);
        long offset = ((Npy.Layout) layout).offset(), n = ((Npy.Layout) layout).rows();
        ShippedConf conf = new ShippedConf(sc.hadoopConfiguration());
        List<Integer> indices = new ArrayList<>();
        for (int b = 0; b < Engine.BLOCKS; b++) indices.add(b);
        JavaRDD<Block> blocks = sc.parallelize(indices, partitions).map(b -> {
            int from = Engine.blockStart(n, b), to = Engine.blockStart(n, b + 1);
            byte[] bytes = new byte[Math.toIntExact(8L * d * (to - from))];
            try (FSDataInputStream in = FileSystem.get(URI.create(path), conf.get()).open(new Path(path))) {
                in.readFully(offset + 8L * d * from, bytes);
            }
            double[] values = new double[(to - from) * d];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(values);
            return new Block(b, to - from, values);
        });
        return checked(keep(blocks), n, d, valid, path, null);
    }

    // ---- CSV: pieces of whole lines, parsed apart, then sent to their blocks

    /** One piece: its index, what cavi's reader found in it. */
    record Piece(int index, CsvPieces.Piece piece) implements Serializable {}

    private static Result csv(JavaSparkContext sc, FileSystem fs, String path, long size, Optional<String> columns, int d,
                              DataLoader.Format format, DistributedEngine.ValueCheck valid, int partitions) throws IOException {
        Optional<Object> laid;
        try (FSDataInputStream in = fs.open(new Path(path))) {
            laid = CsvPieces.layout(in, path, columns, d, format);
        }
        if (laid.isEmpty()) return quoted(path);
        if (laid.get() instanceof String why) return Result.failed(why);
        CsvPieces.Layout layout = (CsvPieces.Layout) laid.get();
        long start = Math.min(layout.dataStart(), size);
        int count = (int) Math.max(partitions, Math.min(100_000, (size - start + PIECE_BYTES - 1) / PIECE_BYTES));
        long[] bounds = new long[count + 1];
        for (int i = 0; i <= count; i++) bounds[i] = start + (size - start) * i / count;
        ShippedConf conf = new ShippedConf(sc.hadoopConfiguration());
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < count; i++) indices.add(i);
        JavaRDD<Piece> pieces = sc.parallelize(indices, count).map(i -> {
            try (FSDataInputStream in = FileSystem.get(URI.create(path), conf.get()).open(new Path(path))) {
                long from = lineStart(in, bounds[i], start, size), to = lineStart(in, bounds[i + 1], start, size);
                in.seek(from);
                DoublePredicate check = valid == null ? null : valid::valid;
                return new Piece(i, CsvPieces.read(in, to - from, layout, d, check));
            }
        }).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            // what each piece found, without its values
            List<Piece> found = pieces.map(p -> new Piece(p.index(), new CsvPieces.Piece(new double[0], p.piece().count(),
                    p.piece().lines(), p.piece().badLine(), p.piece().bad(), p.piece().needsFullParser(), p.piece().invalidLine(),
                    p.piece().invalid()))).collect();
            CsvPieces.Piece[] meta = new CsvPieces.Piece[count];
            for (Piece p : found) meta[p.index()] = p.piece();
            for (CsvPieces.Piece p : meta) if (p.needsFullParser()) return quoted(path);
            // as for a local file: the first bad line of the file, else its first value out of the support
            long before = CsvPieces.headerLines(layout);
            for (CsvPieces.Piece p : meta) {
                if (p.bad() != null) return Result.failed(CsvPieces.message(layout, p, before));
                before += p.lines();
            }
            before = CsvPieces.headerLines(layout);
            for (CsvPieces.Piece p : meta) {
                if (p.invalidLine() > 0) return new Result(null, 0, new DistributedEngine.Read.Invalid(path + ":" + (before + p.invalidLine()), p.invalid()));
                before += p.lines();
            }
            long[] rowStart = new long[count + 1];
            for (int i = 0; i < count; i++) rowStart[i + 1] = rowStart[i] + meta[i].rows(d);
            long n = rowStart[count];
            if (n == 0) return Result.failed(CsvPieces.noRows(layout));
            if (n > Integer.MAX_VALUE - 8) return Result.failed(tooMany(path, n));
            JavaRDD<Rows> rows = pieces.map(p -> new Rows(p.index(), p.piece().values()));
            return new Result(keep(reblock(rows, rowStart, n, d, partitions)), n, null);
        } finally {
            pieces.unpersist(false);
        }
    }

    private static Result quoted(String path) {
        return Result.failed(path + ": has quoted cells, which the Spark engine does not read (it reads CSV of one record a line, "
                + "without quotes); write it without quotes, or as Parquet or .npy");
    }

    private static String tooMany(String path, long n) {
        return path + ": " + n + " rows is more than cavi can index (2^31 − 9); fit a sample, or split the data";
    }

    /**
     * The first line start at or after {@code p}: the pieces' boundaries, which two neighbouring
     * pieces find alike, so every line is read once. {@code start} and the end are line starts.
     */
    static long lineStart(FSDataInputStream in, long p, long start, long size) throws IOException {
        if (p <= start || p >= size) return Math.min(Math.max(p, start), size);
        in.seek(p - 1);
        byte[] buf = new byte[1 << 16];
        long at = p - 1;
        while (at < size) {
            int got = in.read(buf, 0, (int) Math.min(buf.length, size - at));
            if (got <= 0) break;
            for (int i = 0; i < got; i++) if (buf[i] == '\n') return at + i + 1;
            at += got;
        }
        return size;
    }

    // ---- Parquet: Spark SQL's reader, then to the blocks

    private static Result parquet(JavaSparkContext sc, String path, Optional<String> columns, int d,
                                  DistributedEngine.ValueCheck valid, int partitions) {
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        Dataset<Row> df;
        try {
            df = spark.read().parquet(path);
        } catch (Exception e) { // Spark's AnalysisException is checked, though Scala does not declare it
            String why = firstLine(e);
            return Result.failed(path + (why.contains("PATH_NOT_FOUND") || why.contains("does not exist") ? ": no such file or folder"
                    : ": cannot read it as Parquet: " + why));
        }
        List<String> names = new ArrayList<>();
        List<String> all = Arrays.asList(df.columns());
        if (columns.isPresent()) {
            for (String w : columns.get().split(",", -1)) {
                String c = w.trim();
                if (!all.contains(c)) return Result.failed(path + ": no column '" + c + "'; the columns are " + String.join(", ", all));
                names.add(c);
            }
            if (names.size() != d) {
                return Result.failed(path + ": " + names.size() + " column" + (names.size() == 1 ? "" : "s") + " picked ("
                        + columns.get() + ") but the data need " + d + "; pick them as " + path + ":A,B,...");
            }
        } else {
            for (var f : df.schema().fields()) if (f.dataType() instanceof org.apache.spark.sql.types.NumericType) names.add(f.name());
            if (names.size() != d) {
                return Result.failed(path + ": the file has " + names.size() + " numeric column" + (names.size() == 1 ? "" : "s")
                        + " (" + String.join(", ", names) + ") but the data need " + d + "; pick "
                        + (d == 1 ? "one as " + path + ":COLUMN" : "them as " + path + ":A,B,..."));
            }
        }
        Column[] cast = names.stream().map(c -> functions.col(c).cast("double")).toArray(Column[]::new);
        JavaRDD<Rows> pieces;
        try {
            pieces = df.select(cast).javaRDD().mapPartitionsWithIndex((i, it) -> List.of(rowsOf(i, it, d)).iterator(), true)
                    .persist(StorageLevel.MEMORY_AND_DISK());
        } catch (Exception e) {
            return Result.failed(path + ": cannot read it as Parquet: " + firstLine(e));
        }
        try {
            List<long[]> counts = pieces.map(p -> new long[] {p.index(), p.values().length / d, p.empty()}).collect();
            int count = counts.size();
            long[] rowStart = new long[count + 1];
            long[][] byIndex = new long[count][];
            for (long[] c : counts) byIndex[(int) c[0]] = c;
            for (int i = 0; i < count; i++) rowStart[i + 1] = rowStart[i] + byIndex[i][1];
            for (int i = 0; i < count; i++) {
                if (byIndex[i][2] >= 0) {
                    long at = byIndex[i][2];
                    return Result.failed(path + ": row " + (rowStart[i] + at / d + 1) + ", column '" + names.get((int) (at % d)) + "' is empty (null)");
                }
            }
            long n = rowStart[count];
            if (n == 0) return Result.failed(path + ": there are no rows");
            if (n > Integer.MAX_VALUE - 8) return Result.failed(tooMany(path, n));
            return checked(keep(reblock(pieces, rowStart, n, d, partitions)), n, d, valid, path, names);
        } catch (Exception e) {
            return Result.failed(path + ": cannot read it as Parquet: " + firstLine(e));
        } finally {
            pieces.unpersist(false);
        }
    }

    /** A piece's rows (d values each, in one array) by the piece's index; {@code empty}: the first null value's place, or −1. */
    record Rows(int index, double[] values, long empty) implements Serializable {
        Rows(int index, double[] values) { this(index, values, -1); }
    }

    private static Rows rowsOf(int index, Iterator<Row> it, int d) {
        double[] values = new double[1 << 12];
        int count = 0;
        long empty = -1;
        while (it.hasNext()) {
            Row r = it.next();
            if (count + d > values.length) values = Arrays.copyOf(values, 2 * values.length);
            for (int a = 0; a < d; a++) {
                if (r.isNullAt(a)) {
                    if (empty < 0) empty = count + a;
                    values[count + a] = Double.NaN;
                } else {
                    values[count + a] = r.getDouble(a);
                }
            }
            count += d;
        }
        return new Rows(index, Arrays.copyOf(values, count), empty);
    }

    // ---- the fixed blocks

    /** Which partition holds block b: consecutive blocks in each, as parallelize cuts a list of the 64. */
    static int[] owners(int partitions) {
        int[] owner = new int[Engine.BLOCKS];
        for (int p = 0; p < partitions; p++) {
            int from = (int) ((long) p * Engine.BLOCKS / partitions), to = (int) ((long) (p + 1) * Engine.BLOCKS / partitions);
            for (int b = from; b < to; b++) owner[b] = p;
        }
        return owner;
    }

    /** Sends each block's block index to its partition. */
    static final class ByOwner extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int[] owner;
        private final int partitions;

        ByOwner(int partitions) {
            this.owner = owners(partitions);
            this.partitions = partitions;
        }

        @Override public int numPartitions() { return partitions; }

        @Override public int getPartition(Object key) { return owner[(Integer) key]; }
    }

    /** A slice of a piece's rows for one block: where in the block it starts (a row), and its values. */
    record Slice(int at, double[] values) implements Serializable {}

    /**
     * The pieces' rows cut into the fixed blocks: row r of the data (piece i holds rows
     * [rowStart[i], rowStart[i + 1])) goes to block b with blockStart(n, b) ≤ r < blockStart(n, b + 1).
     * One shuffle; each partition then holds its blocks, in order, each one array.
     */
    static JavaRDD<Block> reblock(JavaRDD<Rows> pieces, long[] rowStart, long n, int d, int partitions) {
        int[] owner = owners(partitions);
        return pieces.flatMapToPair(p -> {
            List<Tuple2<Integer, Slice>> out = new ArrayList<>();
            long from = rowStart[p.index()], to = rowStart[p.index() + 1];
            for (int b = 0; b < Engine.BLOCKS; b++) {
                long bs = Engine.blockStart(n, b), be = Engine.blockStart(n, b + 1);
                long s = Math.max(from, bs), e = Math.min(to, be);
                if (s >= e) continue;
                out.add(new Tuple2<>(b, new Slice((int) (s - bs), Arrays.copyOfRange(p.values(), (int) ((s - from) * d), (int) ((e - from) * d)))));
            }
            return out.iterator();
        }).partitionBy(new ByOwner(partitions)).mapPartitionsWithIndex((part, it) -> {
            List<Block> blocks = new ArrayList<>();
            double[][] values = new double[Engine.BLOCKS][];
            for (int b = 0; b < Engine.BLOCKS; b++) {
                if (owner[b] == part) values[b] = new double[(Engine.blockStart(n, b + 1) - Engine.blockStart(n, b)) * d];
            }
            while (it.hasNext()) {
                Tuple2<Integer, Slice> t = it.next();
                System.arraycopy(t._2().values(), 0, values[t._1()], t._2().at() * d, t._2().values().length);
            }
            for (int b = 0; b < Engine.BLOCKS; b++) {
                if (owner[b] == part) blocks.add(new Block(b, values[b].length / d, values[b]));
            }
            return blocks.iterator();
        }, true);
    }

    /** Keeps the blocks on the executors (read now), and cuts their lineage there: a sweep's tasks carry no data. */
    static JavaRDD<Block> keep(JavaRDD<Block> blocks) {
        blocks.rdd().localCheckpoint();
        blocks.count();
        return blocks;
    }

    /**
     * Reads the blocks (which keeps them) and checks every value as the local reader does: the first
     * value that is not finite, else the first outside the support, in row order. Rows and columns
     * are counted from 1; {@code names} are the columns' names, or null to number them.
     */
    private static Result checked(JavaRDD<Block> blocks, long n, int d, DistributedEngine.ValueCheck valid, String path, List<String> names) {
        List<double[]> found = blocks.map(b -> {
            double nonFinite = -1, invalid = -1, invalidValue = 0, nonFiniteValue = 0;
            for (int i = 0; i < b.values().length; i++) {
                double v = b.values()[i];
                if (nonFinite < 0 && !Double.isFinite(v)) { nonFinite = i; nonFiniteValue = v; }
                if (invalid < 0 && Double.isFinite(v) && valid != null && !valid.valid(v)) { invalid = i; invalidValue = v; }
            }
            return new double[] {b.index(), nonFinite, nonFiniteValue, invalid, invalidValue};
        }).collect();
        double[][] byBlock = new double[Engine.BLOCKS][];
        for (double[] f : found) byBlock[(int) f[0]] = f;
        for (int b = 0; b < Engine.BLOCKS; b++) {
            if (byBlock[b][1] >= 0) {
                long at = (long) Engine.blockStart(n, b) * d + (long) byBlock[b][1];
                String column = d == 1 && names == null ? "" : ", column " + (names == null ? Long.toString(at % d + 1) : "'" + names.get((int) (at % d)) + "'");
                return Result.failed(path + ": row " + (at / d + 1) + column + ": " + byBlock[b][2] + " is not a finite number");
            }
        }
        for (int b = 0; b < Engine.BLOCKS; b++) {
            if (byBlock[b][3] >= 0) {
                long at = (long) Engine.blockStart(n, b) * d + (long) byBlock[b][3];
                return new Result(null, 0, new DistributedEngine.Read.Invalid(path + ": row " + (at / d + 1), byBlock[b][4]));
            }
        }
        return new Result(blocks, n, null);
    }
}

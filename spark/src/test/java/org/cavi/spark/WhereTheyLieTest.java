package org.cavi.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cavi.data.DataLoader;
import org.cavi.data.Points;
import org.cavi.infer.DistributedEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Data read where they lie: a file:// URL (Hadoop's local file system; hdfs:// and s3a:// take the
 * same code, {@link HdfsTest} a real one) in CSV, .npy and Parquet is read by the executors into
 * the blocks, and the fit's JSON is the local engine's on the same file, bit for bit, at 1, 2 and
 * 7 partitions; the driver never holds the values. Bad files get the local reader's messages
 * (FILE:LINE for CSV), named by their URL.
 */
class WhereTheyLieTest {
    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("cavi-where-test")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false"));
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    static String url(Path p) {
        return p.toAbsolutePath().normalize().toUri().toString();
    }

    /** Each model's own data file, named in its `from "..."`, relative to models/. */
    static Path dataOf(Path model) throws IOException {
        String text = Files.readString(model);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("from \"([^\"]+)\"").matcher(text);
        assertTrue(m.find(), model + " names no data file");
        return model.getParent().resolve(m.group(1));
    }

    /** The local fit of `args` against the Spark fits with --data x=WHERE (read by the executors) at 1, 2 and 7 partitions. */
    static void sameBits(String where, String... args) {
        List<String> local = new ArrayList<>(List.of(args));
        local.addAll(List.of("--json", "--threads", "2"));
        SparkBitForBitTest.Run expected = SparkBitForBitTest.cli(local.toArray(String[]::new));
        assertEquals(0, expected.code(), expected.err());
        for (int partitions : new int[] {1, 2, 7}) {
            List<String> spark = new ArrayList<>(local);
            spark.addAll(List.of("--data", "x=" + where, "--engine", "spark", "--partitions", Integer.toString(partitions)));
            long passes = SparkEngine.PASSES.get();
            SparkBitForBitTest.Run got = SparkBitForBitTest.cli(spark.toArray(String[]::new));
            assertEquals(0, got.code(), got.err());
            assertTrue(SparkEngine.PASSES.get() > passes, "no pass ran on Spark");
            assertEquals(SparkBitForBitTest.withoutTimes(expected.out()), SparkBitForBitTest.withoutTimes(got.out()),
                    "at " + partitions + " partitions: " + where);
        }
    }

    static Stream<Path> models() throws IOException {
        return SparkBitForBitTest.models();
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyModelsCsvReadWhereItLiesFitsToTheLocalBits(Path model) throws IOException {
        sameBits(url(dataOf(model)), "run", model.toString(), "--restarts", "2");
    }

    /** Rows of a 1-D mixture of three, n of them. */
    static double[] mixture(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = (i % 3) * 4 - 4 + rng.nextGaussian();
        return x;
    }

    static void writeNpy(Path file, double[] values, int n, int d) throws IOException {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + n + (d == 1 ? ",), }" : ", " + d + "), }");
        int unpadded = 10 + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64;
        String text = dict + " ".repeat(total - unpadded) + "\n";
        ByteBuffer b = ByteBuffer.allocate(total + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) text.length());
        b.put(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (double v : values) b.putDouble(v);
        Files.write(file, b.array());
    }

    static void writeParquet(Path dir, double[] values, int d) {
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        StructType schema = new StructType();
        for (int a = 0; a < d; a++) schema = schema.add("x" + (a + 1), DataTypes.DoubleType, true);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < values.length / d; i++) {
            Object[] r = new Object[d];
            for (int a = 0; a < d; a++) r[a] = values[i * d + a];
            rows.add(RowFactory.create(r));
        }
        // one file, so its row groups, read in order, are the rows in order
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(dir.toString());
    }

    /** 200 000 points: the CSV is cut into pieces whose boundaries fall inside lines, and the 1-D pass takes its chunked form. */
    @Test
    void csvNpyAndParquetOfTheSameValuesFitToTheLocalBits(@TempDir Path dir) throws IOException {
        double[] x = mixture(200_000, 11);
        Path csv = dir.resolve("x.csv"), npy = dir.resolve("x.npy"), parquet = dir.resolve("x.parquet");
        Files.writeString(csv, DataLoader.toCsv("x", x, 1));
        writeNpy(npy, x, x.length, 1);
        writeParquet(parquet, x, 1);
        String[] fit = {"run", "models/gmm.vi", "--data", "x=" + csv, "--restarts", "2", "--max-iter", "40"};
        sameBits(url(csv), fit);
        sameBits(url(npy), fit);
        sameBits(url(parquet), fit);
        // a local path to Parquet is read by the engine too
        sameBits(parquet.toString(), fit);
    }

    @Test
    void twoDimensionalNpyAndParquetFitToTheLocalBits(@TempDir Path dir) throws IOException {
        int n = 30_000;
        SplittableRandom rng = new SplittableRandom(5);
        double[] x = new double[2 * n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = (i % 3) * 5 + rng.nextGaussian();
            x[2 * i + 1] = (i % 3) * -3 + rng.nextGaussian();
        }
        Path csv = dir.resolve("x.csv"), npy = dir.resolve("x.npy"), parquet = dir.resolve("x.parquet");
        Files.writeString(csv, DataLoader.toCsv("x", x, 2));
        writeNpy(npy, x, n, 2);
        writeParquet(parquet, x, 2);
        String[] fit = {"run", "models/bishop-gmm.vi", "--data", "x=" + csv, "--restarts", "2", "--max-iter", "30"};
        sameBits(url(npy), fit);
        sameBits(url(parquet), fit);
        sameBits(url(csv) + ":x1,x2", fit);
    }

    /** Fewer points than blocks: most blocks are empty. */
    @Test
    void fewerPointsThanBlocks(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("few.csv");
        Files.writeString(csv, "x\n1.5\n-2\n\n3.25\n0.5\n7\n");
        sameBits(url(csv), "run", "models/gmm.vi", "--data", "x=" + csv, "--set", "K=2", "--restarts", "2");
    }

    /** A CSV without a header row, with another delimiter and a line-ending that is \r\n. */
    @Test
    void csvLayoutsAreReadAsLocally(@TempDir Path dir) throws IOException {
        double[] x = mixture(20_000, 8);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < x.length; i++) text.append(i).append(';').append(x[i]).append("\r\n");
        Path csv = dir.resolve("bare.csv");
        Files.writeString(csv, text);
        sameBits(url(csv) + ":2", "run", "models/gmm.vi", "--data", "x=" + csv + ":2", "--no-header", "--delimiter", ";",
                "--restarts", "2");
    }

    /** The assignments file and the picture come from the executors' blocks: the same file, the same rows. */
    @Test
    void assignmentsAndPlotsOfDataHeldElsewhere(@TempDir Path dir) throws IOException {
        double[] x = mixture(5_000, 3);
        Path csv = dir.resolve("x.csv");
        Files.writeString(csv, DataLoader.toCsv("x", x, 1));
        Path local = dir.resolve("local.csv"), there = dir.resolve("there.csv");
        SparkBitForBitTest.Run a = SparkBitForBitTest.cli("run", "models/gmm.vi", "--data", "x=" + csv, "--assignments", local.toString());
        assertEquals(0, a.code(), a.err());
        SparkBitForBitTest.Run b = SparkBitForBitTest.cli("run", "models/gmm.vi", "--data", "x=" + url(csv), "--engine", "spark",
                "--partitions", "3", "--assignments", there.toString(), "--plot", dir.resolve("p.png").toString());
        assertEquals(0, b.code(), b.err());
        assertEquals(Files.readString(local), Files.readString(there));
        assertEquals(x.length + 1, Files.readAllLines(there).size());
        assertTrue(Files.size(dir.resolve("p.png")) > 1000);
    }

    /** The rows a picture or a start samples are the local ones, from the blocks. */
    @Test
    void sampledRowsAreTheLocalOnes(@TempDir Path dir) throws IOException {
        double[] x = mixture(10_007, 9);
        Path npy = dir.resolve("x.npy");
        writeNpy(npy, x, x.length, 1);
        DistributedEngine.Read read = SparkEngine.read(url(npy), java.util.Optional.empty(), 1, DataLoader.Format.DEFAULT, null,
                java.util.Optional.empty(), 5);
        Points.Remote there = ((DistributedEngine.Read.Ok) read).points();
        try {
            assertEquals(x.length, there.size());
            for (int max : new int[] {1, 7, 1000, 10_006, 10_007, 50_000}) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(Points.of(x).rows(1, max), there.rows(1, max), "at most " + max);
            }
        } finally {
            there.holder().close();
        }
    }

    static SparkBitForBitTest.Run onSpark(String model, String data, String... more) {
        List<String> args = new ArrayList<>(List.of("run", model, "--data", "x=" + data, "--engine", "spark", "--partitions", "3"));
        args.addAll(List.of(more));
        return SparkBitForBitTest.cli(args.toArray(String[]::new));
    }

    /** The local reader's message, naming the file as the URL. */
    static void sameMessage(Path file, String model, String... more) {
        List<String> args = new ArrayList<>(List.of("run", model, "--data", "x=" + file));
        args.addAll(List.of(more));
        SparkBitForBitTest.Run local = SparkBitForBitTest.cli(args.toArray(String[]::new));
        SparkBitForBitTest.Run there = onSpark(model, url(file), more);
        assertEquals(65, local.code(), local.err());
        assertEquals(65, there.code(), there.err());
        assertEquals(local.err().replace(file.toString(), url(file)), there.err());
        assertFalse(there.err().contains("Exception"), there.err());
    }

    @Test
    void badCsvGetsTheLocalMessageWithItsLine(@TempDir Path dir) throws IOException {
        double[] x = mixture(300_000, 2);
        StringBuilder text = new StringBuilder("x\n");
        for (int i = 0; i < x.length; i++) {
            text.append(i == 250_000 ? "abc" : Double.toString(x[i])).append('\n');
            if (i % 1000 == 0) text.append('\n'); // blank lines count as lines, not rows
        }
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, text);
        sameMessage(bad, "models/gmm.vi");
        Files.writeString(bad, "x\n1\n2,3\n");
        sameMessage(bad, "models/gmm.vi");
        Files.writeString(bad, "y,z\n1,2\n");
        sameMessage(bad, "models/gmm.vi");
        Files.writeString(bad, "x\n");
        sameMessage(bad, "models/gmm.vi");
    }

    @Test
    void valuesOutsideTheSupportGetTheLocalMessage(@TempDir Path dir) throws IOException {
        StringBuilder text = new StringBuilder("x\n");
        for (int i = 0; i < 100_000; i++) text.append(i == 77_777 ? "2.5" : Integer.toString(i % 7)).append('\n');
        Path counts = dir.resolve("counts.csv");
        Files.writeString(counts, text);
        sameMessage(counts, "models/poisson-mixture.vi");
        // a parse error anywhere comes before a value outside the support, as locally
        Files.writeString(counts, text + "oops\n");
        sameMessage(counts, "models/poisson-mixture.vi");
    }

    @Test
    void badNpyAndParquetAreNamedByRow(@TempDir Path dir) throws IOException {
        double[] x = mixture(1000, 4);
        x[600] = Double.NaN;
        Path npy = dir.resolve("nan.npy");
        writeNpy(npy, x, x.length, 1);
        sameMessage(npy, "models/gmm.vi");
        x[600] = 1.5;
        Path counts = dir.resolve("c.npy");
        double[] c = new double[1000];
        for (int i = 0; i < c.length; i++) c[i] = i % 5;
        c[321] = -1;
        writeNpy(counts, c, c.length, 1);
        sameMessage(counts, "models/poisson-mixture.vi");

        Path parquet = dir.resolve("c.parquet");
        writeParquet(parquet, c, 1);
        SparkBitForBitTest.Run r = onSpark("models/poisson-mixture.vi", url(parquet));
        assertEquals(65, r.code(), r.err());
        assertTrue(r.err().contains(url(parquet) + ": row 322: -1 is not valid data: a Poisson likelihood needs a count"), r.err());
    }

    @Test
    void missingFilesAndTheLocalEngineAreClearErrors(@TempDir Path dir) {
        SparkBitForBitTest.Run missing = onSpark("models/gmm.vi", url(dir.resolve("nowhere.csv")));
        assertEquals(65, missing.code(), missing.err());
        assertTrue(missing.err().contains("nowhere.csv: no such file"), missing.err());
        SparkBitForBitTest.Run noParquet = onSpark("models/gmm.vi", url(dir.resolve("nowhere.parquet")));
        assertEquals(65, noParquet.code(), noParquet.err());
        assertTrue(noParquet.err().contains("nowhere.parquet: no such file or folder"), noParquet.err());
        SparkBitForBitTest.Run local = SparkBitForBitTest.cli("run", "models/gmm.vi", "--data", "x=hdfs://namenode:8020/x.csv");
        assertEquals(2, local.code(), local.err());
        assertTrue(local.err().contains("--engine spark"), local.err());
        assertFalse(local.err().contains("Exception"), local.err());
    }
}

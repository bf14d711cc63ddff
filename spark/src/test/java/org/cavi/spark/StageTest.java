package org.cavi.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data at a Hadoop path (file:// here; hdfs:// and s3a:// take the same code) staged to a local
 * .npy: from Parquet, from CSV and from .npy, the fit on the staged file is the fit on the CSV,
 * bit for bit. One SparkSession for the class, local[2] on 127.0.0.1, no UI.
 */
class StageTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("cavi-stage-test")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static String fit(String data) {
        SparkBitForBitTest.Run r = SparkBitForBitTest.cli("run", "models/gmm.vi", "--data", "x=" + data, "--json", "--restarts", "3");
        assertEquals(0, r.code(), r.err());
        return SparkBitForBitTest.withoutTimes(r.out());
    }

    static double[] column(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        return lines.subList(1, lines.size()).stream().mapToDouble(Double::parseDouble).toArray();
    }

    @Test
    void parquetStagesToTheSameFit(@TempDir Path dir) throws IOException {
        double[] x = column(Path.of("models/data/gmm-seed.csv"));
        List<Row> rows = new ArrayList<>();
        for (double v : x) rows.add(RowFactory.create(v, "label"));
        StructType schema = new StructType().add("x", DataTypes.DoubleType).add("note", DataTypes.StringType);
        Dataset<Row> df = spark.createDataFrame(rows, schema).coalesce(1);
        String parquet = dir.resolve("x.parquet").toUri().toString();
        df.write().parquet(parquet);
        Path npy = dir.resolve("x.npy");
        assertEquals(x.length, Stage.stage(parquet, npy, List.of(), true));
        assertEquals(fit("models/data/gmm-seed.csv"), fit(npy.toString()));
    }

    @Test
    void csvAndNpyStageToTheSameFit(@TempDir Path dir) throws IOException {
        Path npy = dir.resolve("from-csv.npy");
        Stage.stage(Path.of("models/data/gmm-seed.csv").toAbsolutePath().toUri().toString(), npy, List.of("x"), true);
        String expected = fit("models/data/gmm-seed.csv");
        assertEquals(expected, fit(npy.toString()));
        Path copy = dir.resolve("copy.npy");
        Stage.stage(npy.toUri().toString(), copy, List.of(), true);
        assertArrayEquals(Files.readAllBytes(npy), Files.readAllBytes(copy));
    }
}

package org.cavi.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.cavi.data.DataLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Data on a real HDFS (a name node and a data node in this JVM, on 127.0.0.1), read by the
 * executors from hdfs:// into the blocks: the fit is the local one on the same file, bit for bit,
 * and the CSV's messages name its hdfs:// URL and line.
 */
class HdfsTest {
    static MiniDFSCluster hdfs;
    static JavaSparkContext sc;
    static Path local;

    @BeforeAll
    static void start() throws IOException {
        local = Files.createTempDirectory("cavi-hdfs");
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, local.resolve("dfs").toString());
        conf.set("dfs.datanode.address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        // a small block size, so that a file spans several HDFS blocks, as large data do
        conf.setLong("dfs.blocksize", 1 << 20);
        conf.setLong("dfs.namenode.fs-limits.min-block-size", 1 << 16);
        hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        hdfs.waitActive();
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("cavi-hdfs-test")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false"));
    }

    @AfterAll
    static void stop() {
        if (sc != null) sc.stop();
        if (hdfs != null) hdfs.shutdown();
    }

    static String put(Path file) throws IOException {
        FileSystem fs = hdfs.getFileSystem();
        org.apache.hadoop.fs.Path there = new org.apache.hadoop.fs.Path("/data/" + file.getFileName());
        try (OutputStream out = fs.create(there)) {
            Files.copy(file, out);
        }
        return "hdfs://127.0.0.1:" + hdfs.getNameNodePort() + there;
    }

    @Test
    void csvAndNpyOnHdfsFitToTheLocalBits() throws IOException {
        double[] x = WhereTheyLieTest.mixture(150_000, 21);
        Path csv = local.resolve("x.csv"), npy = local.resolve("x.npy");
        Files.writeString(csv, DataLoader.toCsv("x", x, 1));
        WhereTheyLieTest.writeNpy(npy, x, x.length, 1);
        assertTrue(Files.size(csv) > 2 << 20, "the CSV spans several HDFS blocks");
        String[] fit = {"run", "models/gmm.vi", "--data", "x=" + csv, "--restarts", "2", "--max-iter", "40"};
        WhereTheyLieTest.sameBits(put(csv), fit);
        WhereTheyLieTest.sameBits(put(npy), fit);
    }

    @Test
    void aBadLineOnHdfsIsNamedByItsUrlAndLine() throws IOException {
        Path bad = local.resolve("bad.csv");
        StringBuilder text = new StringBuilder("x\n");
        for (int i = 0; i < 200_000; i++) text.append(i == 123_456 ? "1.5.2" : Integer.toString(i % 9)).append('\n');
        Files.writeString(bad, text);
        String url = put(bad);
        SparkBitForBitTest.Run there = WhereTheyLieTest.onSpark("models/gmm.vi", url);
        assertEquals(65, there.code(), there.err());
        assertEquals("error: " + url + ":123458: column 'x': '1.5.2' is not a number\n", there.err());
    }
}

package org.cavi.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.cavi.cli.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The JSON of every model in models/ (and of larger simulated data, which take the chunked and the
 * multivariate passes' other forms) is the local engine's, bit for bit, on Spark local[2] at 1, 2
 * and 7 partitions. One SparkContext for the class, bound to 127.0.0.1, no UI; the fits run
 * through the real command line, which finds the running context.
 */
class SparkBitForBitTest {
    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("cavi-test")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false"));
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    record Run(int code, String out, String err) {}

    static Run cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Main.commandLine(args);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** The JSON less its clock readings, the one part of a fit that is not a function of its input. */
    static String withoutTimes(String json) {
        return json.replaceAll("\"(seconds|load_seconds)\"\\s*:\\s*[-0-9.eE+]+", "\"$1\":0");
    }

    static Stream<Path> models() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("models"))) {
            return s.filter(p -> p.toString().endsWith(".vi")).sorted().toList().stream();
        }
    }

    /** Fits `args` locally and on Spark at 1, 2 and 7 partitions; every JSON must be the local one. */
    static void sameBits(String... args) {
        List<String> local = new ArrayList<>(List.of(args));
        local.addAll(List.of("--json", "--threads", "2"));
        Run expected = cli(local.toArray(String[]::new));
        assertEquals(0, expected.code(), expected.err());
        assertTrue(expected.out().contains("\"elbo\""), expected.out());
        for (int partitions : new int[] {1, 2, 7}) {
            List<String> spark = new ArrayList<>(local);
            spark.addAll(List.of("--engine", "spark", "--partitions", Integer.toString(partitions)));
            long passes = SparkEngine.PASSES.get();
            Run got = cli(spark.toArray(String[]::new));
            assertEquals(0, got.code(), got.err());
            // the sweeps' passes ran as Spark jobs, at least one a sweep
            long sweeps = Long.parseLong(got.out().replaceAll("(?s).*\"sweeps\" : (\\d+).*", "$1"));
            assertTrue(SparkEngine.PASSES.get() - passes >= sweeps, "fewer Spark passes than sweeps");
            assertEquals(withoutTimes(expected.out()), withoutTimes(got.out()), "at " + partitions + " partitions: " + String.join(" ", args));
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyModelFitsToTheLocalBits(Path model) {
        sameBits("run", model.toString(), "--restarts", "3");
    }

    /** Large enough for the chunked 1-D pass (n·K ≥ 2^18), for a Normal and for a linear likelihood. */
    @ParameterizedTest
    @MethodSource("large")
    void largeDataFitToTheLocalBits(String model, int n, @TempDir Path dir) throws IOException {
        Path data = simulate(model, n, dir);
        sameBits("run", model, "--data", "x=" + data, "--restarts", "2", "--max-iter", "40");
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> large() {
        return Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("models/gmm.vi", 120_000),
                org.junit.jupiter.params.provider.Arguments.of("models/poisson-mixture.vi", 150_000),
                org.junit.jupiter.params.provider.Arguments.of("models/bishop-gmm.vi", 40_000),
                org.junit.jupiter.params.provider.Arguments.of("models/mvn-known.vi", 30_000));
    }

    static Path simulate(String model, int n, Path dir) throws IOException {
        Run sim = cli("simulate", model, "--n", Integer.toString(n), "--seed", "7");
        assertEquals(0, sim.code(), sim.err());
        Path data = dir.resolve("x.csv");
        Files.writeString(data, sim.out());
        return data;
    }

    /** The exact-centring multivariate pass: data far from their mean in units of the clusters' spread. */
    @Test
    void exactCentringFitsToTheLocalBits(@TempDir Path dir) throws IOException {
        StringBuilder csv = new StringBuilder("x1,x2\n");
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (int i = 0; i < 20_000; i++) {
            double c = (i % 3) * 1e4;
            csv.append(1e6 + c + rng.nextGaussian() * 0.01).append(',').append(-1e6 + c + rng.nextGaussian() * 0.01).append('\n');
        }
        Path data = dir.resolve("far.csv");
        Files.writeString(data, csv);
        sameBits("run", "models/bishop-gmm.vi", "--data", "x=" + data, "--restarts", "2", "--max-iter", "30");
    }

    @Test
    void aBadMasterIsAUsageErrorWithoutAStackTrace() {
        Run bad = cli("run", "models/gmm.vi", "--engine", "spark", "--master", "nowhere");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("--master must be"), bad.err());
        assertFalse(bad.err().contains("Exception"), bad.err());
        assertEquals("", bad.out());
    }
}

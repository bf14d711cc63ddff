package org.cavi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cavi.data.DataLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Safe CSV reading (issue 12): no header, extra cells, TSV, columns by index, file lines, pre-flight checks, memory. */
class CsvSafetyTest {
    static final String GMM = "models/gmm.vi";
    @TempDir Path tmp;

    private Path csv(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static void assertBad(Cli r, int code, String message) {
        assertEquals(code, r.code(), r.err());
        assertTrue(r.err().contains(message), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertEquals("", r.out());
    }

    // ---- 1. a file without a header -------------------------------------------------

    @Test
    void aHeaderThatIsANumberIsAnErrorThatSuggestsNoHeader() throws IOException {
        Path f = csv("plain.csv", "1.5\n2\n3\n4\n5\n6\n");
        assertBad(Cli.run("run", GMM, "--data", "x=" + f), 65,
                f + ":1: the first line holds numbers (1.5), not column names; if the file has no header row, pass --no-header");
        Path two = csv("plain2.csv", "1,2\n3,4\n");
        assertBad(Cli.run("run", "models/mvn-known.vi", "--data", "x=" + two), 65, "(1, 2), not column names");
    }

    @Test
    void noHeaderReadsEveryLineAsData() throws IOException {
        Path f = csv("plain.csv", "1.5\n2\n3\n4\n5\n6\n");
        Cli r = Cli.run("run", GMM, "--data", "x=" + f, "--no-header", "--set", "K=2", "--json", "--restarts", "1");
        assertEquals(0, r.code(), r.err());
        assertEquals(6, new ObjectMapper().readTree(r.out()).get("n").asInt());
        DataLoader.Loaded l = DataLoader.load(DataLoader.Source.parse(f.toString(), Path.of(".")), 1,
                new DataLoader.Format(false, (char) 0));
        assertArrayEquals(new double[] {1.5, 2, 3, 4, 5, 6}, l.values());
        // lines are the file's own: the first is line 1
        Path bad = csv("plain-bad.csv", "1\n2\nabc\n");
        assertBad(Cli.run("run", GMM, "--data", "x=" + bad, "--no-header"), 65, bad + ":3: column 1: 'abc' is not a number");
        // without a header, columns have numbers, not names
        Path wide = csv("wide.csv", "1,10\n2,20\n3,30\n");
        DataLoader.Loaded second = DataLoader.load(DataLoader.Source.parse(wide + ":2", Path.of(".")), 1,
                new DataLoader.Format(false, (char) 0));
        assertArrayEquals(new double[] {10, 20, 30}, second.values());
        assertBad(Cli.run("run", GMM, "--data", "x=" + wide + ":y", "--no-header"), 65,
                "without a header row columns are picked by number (" + wide + ":2), not by name 'y'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "check", "plan", "derive"})
    void everyCommandThatReadsDataTakesTheFormatOptions(String command) throws IOException {
        Path f = csv("plain.csv", "1.5\n2\n3\n4\n5\n6\n");
        List<String> args = new java.util.ArrayList<>(List.of(command, GMM, "--data", "x=" + f, "--no-header", "--delimiter", ","));
        if (command.equals("run")) args.addAll(List.of("--restarts", "1", "--set", "K=2"));
        Cli r = Cli.run(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
    }

    // ---- 2. extra cells ---------------------------------------------------------------

    @Test
    void aRowWithMoreCellsThanTheHeaderIsAnError() throws IOException {
        Path f = csv("extra.csv", "x\n1\n1,5\n2\n");
        assertBad(Cli.run("run", GMM, "--data", "x=" + f), 65, f + ":3: this row has 2 cells but the header has 1");
        Path q = csv("extra-quoted.csv", "\"x\"\n1\n\"1\",\"5\"\n2\n");
        assertBad(Cli.run("run", GMM, "--data", "x=" + q), 65, q + ":3: this row has 2 cells but the header has 1");
        Path wide = csv("extra-wide.csv", "a,b\n1,2\n3,4\n\n5,6,7\n");
        assertBad(Cli.run("run", GMM, "--data", "x=" + wide + ":b"), 65, wide + ":5: this row has 3 cells but the header has 2");
        Path few = csv("few.csv", "a,b,c\n1,2,3\n4,5\n");
        assertBad(Cli.run("run", GMM, "--data", "x=" + few + ":a"), 65, few + ":3: this row has 2 cells but the header has 3");
    }

    // ---- 3. tab-separated files and --delimiter -----------------------------------------

    @Test
    void tabSeparatedFilesAreDetectedFromTheHeader() throws IOException {
        Path f = csv("t.tsv", "id\tx\n1\t1.5\n2\t2.5\n3\t9\n4\t10\n5\t11\n");
        Cli r = Cli.run("run", GMM, "--data", "x=" + f + ":x", "--set", "K=2", "--json", "--restarts", "1");
        assertEquals(0, r.code(), r.err());
        assertEquals(5, new ObjectMapper().readTree(r.out()).get("n").asInt());
        Path spaced = csv("s.tsv", "id\t x\n1\t 1.5\n2\t 2.5\n");
        DataLoader.Loaded l = DataLoader.load(DataLoader.Source.parse(spaced + ":x", Path.of(".")), 1);
        assertTrue(l.ok(), () -> l.error().message());
        assertArrayEquals(new double[] {1.5, 2.5}, l.values());
    }

    @Test
    void theDelimiterCanBeGiven() throws IOException {
        Path semi = csv("semi.csv", "id;x\n1;1.5\n2;2.5\n3;9\n");
        Cli r = Cli.run("run", GMM, "--data", "x=" + semi + ":x", "--delimiter", ";", "--set", "K=2", "--json", "--restarts", "1");
        assertEquals(0, r.code(), r.err());
        Path tab = csv("t.txt", "id\tx\n1\t1.5\n2\t2.5\n3\t9\n");
        for (String d : new String[] {"\\t", "tab", "\t"}) {
            Cli t = Cli.run("run", GMM, "--data", "x=" + tab + ":2", "--delimiter", d, "--set", "K=2", "--json", "--restarts", "1");
            assertEquals(0, t.code(), d + ": " + t.err());
        }
        Path quoted = csv("q.csv", "\"id\";\"x\"\n\"1\";\"1.5\"\n\"2\";\"2.5\"\n");
        DataLoader.Loaded l = DataLoader.load(DataLoader.Source.parse(quoted + ":x", Path.of(".")), 1,
                new DataLoader.Format(true, ';'));
        assertTrue(l.ok(), () -> l.error().message());
        assertArrayEquals(new double[] {1.5, 2.5}, l.values());
        for (String bad : new String[] {"ab", "", "1", ".", "-", "\"", "e"}) {
            Cli b = Cli.run("run", GMM, "--delimiter", bad);
            assertEquals(2, b.code(), bad + ": " + b.err());
            assertTrue(b.err().contains("--delimiter"), b.err());
        }
    }

    // ---- 4. columns by index -------------------------------------------------------------

    @Test
    void columnsCanBePickedByTheirNumber() throws IOException {
        Path f = csv("cols.csv", "id,value,other\n1,1.5,7\n2,2.5,8\n");
        DataLoader.Loaded byIndex = DataLoader.load(DataLoader.Source.parse(f + ":2", Path.of(".")), 1);
        assertArrayEquals(new double[] {1.5, 2.5}, byIndex.values());
        DataLoader.Loaded two = DataLoader.load(DataLoader.Source.parse(f + ":3,value", Path.of(".")), 2);
        assertArrayEquals(new double[] {7, 1.5, 8, 2.5}, two.values());
        // a column whose name is digits: the name wins
        Path named = csv("named.csv", "a,1\n10,20\n30,40\n");
        DataLoader.Loaded byName = DataLoader.load(DataLoader.Source.parse(named + ":1", Path.of(".")), 1);
        assertArrayEquals(new double[] {20, 40}, byName.values());
        assertBad(Cli.run("run", GMM, "--data", "x=" + f + ":4"), 65, f + ":1: no column 4: the file has 3 columns (id, value, other)");
        assertBad(Cli.run("run", GMM, "--data", "x=" + f + ":0"), 65, "no column 0: columns are numbered from 1");
    }

    // ---- 5. the file's own line numbers ----------------------------------------------------

    @Test
    void valuesOutsideTheLikelihoodsSupportNameTheFileAndLine() throws IOException {
        Path coin = csv("coin.csv", "x\n0\n1\n\n2\n");
        assertBad(Cli.run("run", "models/beta-bernoulli.vi", "--data", "x=" + coin), 65,
                coin + ":5: 2 is not valid data: a Bernoulli likelihood needs 0 or 1");
        Path counts = csv("counts.csv", "x\n3\n-1\n");
        assertBad(Cli.run("run", "models/gamma-poisson.vi", "--data", "x=" + counts), 65,
                counts + ":3: -1 is not valid data: a Poisson likelihood needs a count");
        Path plain = csv("plain-counts.csv", "3\n0.5\n");
        assertBad(Cli.run("run", "models/gamma-poisson.vi", "--data", "x=" + plain, "--no-header"), 65, plain + ":2: 0.5 is not valid");
        Path quoted = csv("quoted-coin.csv", "\"x\"\n\"0\"\n\n\"1\"\n\"0.5\"\n");
        assertBad(Cli.run("run", "models/beta-bernoulli.vi", "--data", "x=" + quoted), 65, quoted + ":5: 0.5 is not valid");
    }

    @Test
    void quotedFilesNameTheirOwnLines() throws IOException {
        Path q = csv("q.csv", "\"x\"\n\"1\"\n\n\"abc\"\n");
        assertBad(Cli.run("run", GMM, "--data", "x=" + q), 65, q + ":4: column 'x': 'abc' is not a number");
    }

    // ---- 6. pre-flight checks ------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"check", "plan", "derive"})
    void commandsThatTakeDataReadIt(String command) throws IOException {
        assertBad(Cli.run(command, GMM, "--data", "x=" + tmp.resolve("missing.csv")), 65, "missing.csv: no such file");
        Path text = csv("text.csv", "x\nhello\n");
        assertBad(Cli.run(command, GMM, "--data", "x=" + text), 65, text + ":2: column 'x': 'hello' is not a number");
        Path two = csv("two.csv", "x\n0\n2\n");
        assertBad(Cli.run(command, "models/beta-bernoulli.vi", "--data", "x=" + two), 65,
                two + ":3: 2 is not valid data: a Bernoulli likelihood needs 0 or 1");
        Path one = csv("one.csv", "x\n1\n2\n");
        assertBad(Cli.run(command, "models/bishop-gmm.vi", "--data", "x=" + one), 65, "but the data need 2");
        // good data: as before
        Cli ok = Cli.run(command, GMM, "--data", "x=models/data/gmm-seed.csv");
        assertEquals(0, ok.code(), ok.err());
        assertEquals(Cli.run(command, GMM).out(), ok.out());
    }

    // ---- 7. out of memory ---------------------------------------------------------------

    @Test
    void runningOutOfMemoryWhileReadingIsAClearMessage() throws Exception {
        Path f = tmp.resolve("big.csv");
        try (Writer w = Files.newBufferedWriter(f, StandardCharsets.US_ASCII)) {
            w.write("x\n");
            for (int i = 0; i < 4_000_000; i++) w.write((i % 1000) * 0.25 + "\n");
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx24m", "-cp", System.getProperty("java.class.path"),
                "org.cavi.cli.Main", "check", GMM, "--data", "x=" + f))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(71, p.exitValue(), out);
        assertTrue(out.startsWith("error: " + f + ": out of memory while reading the data"), out);
        assertTrue(out.contains("CAVI_JAVA_OPTS=-Xmx"), out);
        assertFalse(out.contains("Exception") || out.contains("\tat "), out);
    }
}

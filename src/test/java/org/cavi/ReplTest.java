package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import org.cavi.repl.Repl;
import org.junit.jupiter.api.Test;

/** Scripted REPL sessions, as `cavi repl < script` runs them. */
class ReplTest {
    public record Transcript(String out, String err, int code) {}

    static Transcript script(String... lines) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new Repl(new PrintWriter(out), new PrintWriter(err)).script(new StringReader(String.join("\n", lines) + "\n"));
        return new Transcript(out.toString(), err.toString(), code);
    }

    @Test
    void loadPlanRunShow() {
        Transcript t = script(":load models/gmm.vi", ":plan", ":run --restarts 2", ":show", ":quit");
        assertTrue(t.out().contains("loaded model GaussianMixture"), t.out());
        assertTrue(t.out().contains("updates, in order"));
        assertTrue(t.out().contains("converged after"));
        assertTrue(t.out().contains("q after "));
        assertEquals("", t.err());
        assertFalse(t.out().contains("cavi>"), "no prompt noise");
    }

    @Test
    void aSessionSurvivesErrorsInTheMiddle() {
        Transcript t = script(
                ":load models/gmm.vi",
                ":frobnicate",
                "mu[k] ~ Normal(0, sigma^2) for k in 1..K )",
                ":data x=does-not-exist.csv",
                ":set nope=3",
                ":run --restarts zero",
                "x[i] ~ Normal(mu[c[j]], 1) for i in 1..n",
                ":run --restarts 2",
                "x[i] ~ Normal(mu[c[i]], 1) for i in 1..n",
                ":run --restarts 2 --json");
        assertTrue(t.err().contains("unknown command :frobnicate"), t.err());
        assertTrue(t.err().contains("<stdin>:3:42: error: unexpected ')'"), t.err());
        assertTrue(t.err().contains("does-not-exist.csv: no such file"), t.err());
        assertTrue(t.err().contains("no constant or latent named 'nope'"), t.err());
        assertTrue(t.err().contains("index 'j' is not bound"), t.err());
        assertTrue(t.out().contains("\"model\" : \"GaussianMixture\""), t.out());
    }

    /** The REPL reads model files through the same Driver.readModel as the command line. */
    @Test
    void loadReadsFilesAsTheCommandLineDoes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path bad = dir.resolve("latin1.vi");
        java.nio.file.Files.write(bad, new byte[] {'m', 'o', 'd', 'e', 'l', ' ', 'M', '\n', (byte) 0xE9, '\n'});
        Transcript t = script(":load models/gmm.vi", ":load " + bad, ":load models/nope.vi", ":run --restarts 1");
        assertTrue(t.err().contains("latin1.vi:2:1: error: the file is not UTF-8 text: byte 0xE9 at offset 8"), t.err());
        assertTrue(t.err().contains("models/nope.vi: no such model file"), t.err());
        assertTrue(t.out().contains("model GaussianMixture"), t.out());
    }

    @Test
    void typedStatementsBuildAModelAndReplaceByName() {
        Transcript t = script(
                "model Typed",
                "const K = 2",
                "data x[n] from \"models/data/gmm-seed.csv\"",
                "mu[k] ~ Normal(0,",
                "          100) for k in 1..K",
                "c[i] ~ Categorical(K) for i in 1..n",
                "x[i] ~ Normal(mu[c[i]], 1) for i in 1..n",
                "const K = 3",
                ":model",
                ":step",
                ":step",
                ":show");
        assertTrue(t.out().contains("defined constant K"));
        assertTrue(t.out().contains("replaced constant K"));
        assertTrue(t.out().contains("const K = 3\n"));
        assertFalse(t.out().contains("const K = 2"));
        assertTrue(t.out().contains("     1  -"), t.out());
        assertTrue(t.out().contains("     2  -"), t.out());
        assertTrue(t.out().contains("q after 2 sweeps"), t.out());
        assertEquals("", t.err());
    }

    @Test
    void aMisspeltRunOptionIsOneLineWithADidYouMeanAndTheSessionGoesOn() {
        Transcript t = script(":load models/gmm.vi", ":run --max-itr 3", ":run --restarts 1 --max-iter 3");
        assertTrue(t.err().contains("error: unknown option '--max-itr'; did you mean '--max-iter'?; :help lists :run's options"), t.err());
        assertTrue(t.out().contains("ELBO"), t.out());
    }

    @Test
    void dataTakesTheLayoutOptionsOfTheCommandLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws java.io.IOException {
        // no header, ';' between cells, the values in the second column: 1 + 6 rows read as n = 6, not 5
        java.nio.file.Path file = tmp.resolve("x.txt");
        java.nio.file.Files.writeString(file, "a;0.9\nb;1.1\nc;5.2\nd;4.8\ne;9.1\nf;8.9\n");
        Transcript t = script(":load models/gmm.vi", ":set K=3", ":data x=" + file + ":2 --no-header --delimiter ;", ":set",
                ":run --restarts 1 --json", ":data x=" + file + ":2", ":data x=" + file + " --delimiter ab");
        assertTrue(t.out().contains("bound x to " + file + ":2 (6 values)"), t.out());
        assertTrue(t.out().contains("x = " + file + ":2  (--no-header --delimiter ;)"), t.out());
        assertTrue(t.out().contains("\"n\" : 6"), t.out());
        // without the options the same file is refused with its own message, and the binding kept
        assertTrue(t.err().contains("error: "), t.err());
        assertTrue(t.err().contains("--delimiter takes one character (or \\t or tab), not 'ab'"), t.err());
    }

    @Test
    void stepContinuesAfterRunAndTheElboDoesNotDrop() {
        Transcript t = script(":load models/gmm.vi", ":run --restarts 1 --max-iter 5 --tol 0", ":step", ":step");
        assertTrue(t.out().contains("     6  -"), t.out());
        assertTrue(t.out().contains("     7  -"), t.out());
        assertEquals("", t.err());
    }

    @Test
    void dataOfSeveralColumnsBindToAMultivariateModel() {
        Transcript t = script(":load models/bishop-gmm.vi", ":data x=models/data/blobs2d.csv", ":run --restarts 1 --json");
        assertTrue(t.out().contains("bound x to models/data/blobs2d.csv (1200 values)"), t.out() + t.err());
        assertTrue(t.out().contains("\"n\" : 600"), t.out());
        assertEquals("", t.err());
    }

    @Test
    void runTakesOneOffSetsAndDataLikeTheCommandLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws java.io.IOException {
        java.nio.file.Path data = tmp.resolve("cavi-repl.csv");
        java.nio.file.Files.writeString(data, "v,w\n1,0\n1.2,0\n7,0\n7.5,0\n");
        Transcript t = script(":load models/gmm.vi", ":run --restarts 1 --json --set K=2 --data x=" + data + ":v", ":plan");
        assertTrue(t.out().contains("\"K\" : 2"), t.out() + t.err());
        assertTrue(t.out().contains("\"n\" : 4"), t.out());
        assertTrue(t.out().contains("(K = 5)"), "one-off: the session's model is unchanged");
        assertEquals("", t.err());
    }

    @Test
    void everyModelLoadsPlansStepsAndRuns() throws java.io.IOException {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("models"))) {
            for (java.nio.file.Path m : files.filter(p -> p.toString().endsWith(".vi")).sorted().toList()) {
                Transcript t = script(":load " + m, ":plan", ":step", ":step", ":run --restarts 2", ":show");
                assertEquals("", t.err(), m.toString());
                assertTrue(t.out().contains("updates, in order"), m.toString());
                assertTrue(t.out().contains("     2  -"), m + t.out());
                assertTrue(t.out().contains("q after "), m.toString());
            }
        }
    }

    @Test
    void setAndUnset() {
        Transcript t = script(":load models/gmm.vi", ":set K=2", ":run --restarts 1 --json", ":set mu=[1]", ":unset K",
                ":unset K", ":plan");
        assertTrue(t.out().contains("\"K\" : 2"), t.out());
        assertTrue(t.err().contains("--set mu gives 1 value but mu[k] has 2"), t.err());
        assertTrue(t.err().contains("K is not set"), t.err());
        assertTrue(t.out().contains("(K = 5)"), t.out());
    }

    /** A model that parses but does not check: every index of x is i, the assignment's is j. */
    private static java.nio.file.Path badModel(java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path bad = dir.resolve("unchecked.vi");
        java.nio.file.Files.writeString(bad, java.nio.file.Files.readString(java.nio.file.Path.of("models/gmm.vi"))
                .replace("mu[c[i]]", "mu[c[j]]").replace("data/gmm-seed.csv", java.nio.file.Path.of("models/data/gmm-seed.csv").toAbsolutePath().toString()));
        return bad;
    }

    @Test
    void failedLoadDataAndSetKeepModelDataFitAndTrace(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Transcript t = script(":load models/gmm.vi", ":set K=3", ":run --restarts 1 --max-iter 4 --tol 0",
                ":load " + badModel(dir), ":data y=models/data/gmm-seed.csv", ":data x=nope.csv", ":set nope=3", ":set mu=[1]",
                ":trace", ":show", ":step", ":run --restarts 1 --json");
        assertTrue(t.err().contains("index 'j' is not bound"), t.err());
        assertTrue(t.err().contains("the session's model is unchanged"), t.err());
        assertTrue(t.out().contains("     4  -"), t.out());
        assertTrue(t.out().contains("q after 4 sweeps"), t.out());
        assertTrue(t.out().contains("     5  -"), "the step continues the fit: " + t.out());
        assertTrue(t.out().contains("\"K\" : 3"), "the override is kept: " + t.out());
    }

    @Test
    void loadStartsFreshAndSaysWhatItDropped() {
        Transcript t = script(":load models/gmm.vi", ":set K=3", ":data x=models/data/gmm-seed.csv", ":load models/beta-bernoulli.vi",
                ":run --restarts 1", ":load models/gmm.vi", ":run --restarts 1 --json");
        assertTrue(t.out().contains("dropped the previous model's override K=3 and data binding x=models/data/gmm-seed.csv\n"), t.out());
        assertTrue(t.out().contains("converged after"), t.out());
        assertTrue(t.out().contains("\"K\" : 5"), t.out());
        assertEquals(1, t.out().split("dropped", -1).length - 1, "nothing to drop the second time: " + t.out());
        assertEquals("", t.err());
    }

    @Test
    void setListsUnsetTakesDataResetEmpties() {
        Transcript t = script(":load models/gmm.vi", ":set", ":set K=3", ":data x=models/data/gmm-seed.csv", ":set",
                ":unset x", ":set", ":data y=models/data/gmm-seed.csv", ":reset", ":model", ":set");
        assertTrue(t.out().contains("no overrides and no data bindings"), t.out());
        assertTrue(t.out().contains("overrides:\n  K = 3\ndata bindings:\n  x = models/data/gmm-seed.csv\n"), t.out());
        assertTrue(t.out().contains("unset x (data binding)"), t.out());
        assertTrue(t.out().contains("overrides:\n  K = 3\n"), t.out());
        assertTrue(t.err().contains("the model declares no data variable 'y'; it declares x"), t.err());
        assertTrue(t.out().contains("reset: the session is empty"), t.out());
        assertTrue(t.out().contains("(no model yet"), t.out());
    }

    @Test
    void runTakesTheOptionsOfCaviRun(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.nio.file.Path svg = dir.resolve("fit.svg"), csv = dir.resolve("a.csv");
        Transcript t = script(":load models/gmm.vi", ":run --restarts 1 --threads 1 --plot " + svg + " --assignments " + csv,
                ":run --plot " + dir.resolve("fit.txt"));
        assertTrue(java.nio.file.Files.exists(svg), t.out() + t.err());
        assertTrue(java.nio.file.Files.exists(csv), t.out() + t.err());
        assertTrue(t.out().contains("plot written to " + svg), t.out());
        assertTrue(t.out().contains("assignments written to " + csv), t.out());
        assertTrue(t.err().contains("the file must end in .png or .svg"), t.err());
    }

    @Test
    void aColonLineIsAlwaysACommand() {
        Transcript t = script("mu[k] ~ Normal(0,", ":load models/gmm.vi", "/* an open comment", ":run --restarts 1",
                ":quit", ":plan");
        assertTrue(t.out().contains("loaded model GaussianMixture"), t.out());
        assertTrue(t.out().contains("converged after"), t.out());
        assertTrue(t.err().contains("<stdin>:1: error: unfinished statement discarded: mu[k] ~ Normal(0,"), t.err());
        assertTrue(t.err().contains("<stdin>:3: error: unfinished statement discarded: /* an open comment"), t.err());
        assertFalse(t.out().contains("updates, in order"), ":quit left: " + t.out());
    }

    @Test
    void bareQuitExitAndHelp() {
        Transcript t = script(":load models/gmm.vi", "help", "quit", ":plan");
        assertTrue(t.out().contains("commands:"), t.out());
        assertFalse(t.out().contains("updates, in order"), t.out());
        assertEquals("", t.err());
        assertEquals(0, t.code());
        Transcript e = script("exit", ":plan");
        assertEquals("", e.out() + e.err());
    }

    @Test
    void scriptsExitNonZeroAndNameTheLine() {
        Transcript ok = script(":load models/gmm.vi", ":plan");
        assertEquals(0, ok.code());
        Transcript bad = script(":load models/gmm.vi", "", ":frobnicate", ":run --restarts zero",
                "mu[k] ~ Normal(0, sigma^2) for k in 1..K )", ":plan");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("<stdin>:3: error: unknown command :frobnicate"), bad.err());
        assertTrue(bad.err().contains("<stdin>:4: error: "), bad.err());
        assertTrue(bad.err().contains("<stdin>:5:42: error: unexpected ')'"), bad.err());
        for (String l : bad.err().split("\n")) {
            if (l.contains("error")) assertTrue(l.matches("\\S+:\\d+(:\\d+)?: error: .*"), "one format: " + l);
        }
    }

    @Test
    void singularAndPlural(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path one = dir.resolve("one.csv");
        java.nio.file.Files.writeString(one, "x\n1.5\n");
        Transcript t = script(":load models/gmm.vi", ":step", ":show", ":data x=" + one);
        assertTrue(t.out().contains("q after 1 sweep, ELBO"), t.out());
        assertTrue(t.out().contains("(1 value)"), t.out());
    }
}

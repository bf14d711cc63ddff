package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line: output formats, exit codes, and bad input of every kind. */
class CliTest {
    static final String GMM = "models/gmm.vi";
    @TempDir Path tmp;

    private Path csv(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void textOutputHasTheTraceTheTableAndTheVerdict() {
        Cli r = Cli.run("run", GMM, "--restarts", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("sweep  ELBO"));
        assertTrue(r.out().contains("component         E[mu]"));
        assertTrue(r.out().contains("converged after "), r.out());
    }

    @Test
    void jsonHasEveryField() throws IOException {
        Cli r = Cli.run("run", GMM, "--json", "--restarts", "4", "--seed", "9");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        for (String f : new String[] {"model", "n", "K", "elbo", "iterations", "converged", "restarts", "sweeps",
                "seconds", "elbo_trace", "q"}) {
            assertTrue(j.has(f), "missing " + f);
        }
        assertEquals("GaussianMixture", j.get("model").asText());
        assertEquals(5000, j.get("n").asInt());
        assertEquals(5, j.get("K").asInt());
        assertEquals(4, j.get("restarts").asInt());
        assertEquals(j.get("iterations").asInt(), j.get("elbo_trace").size());
        assertEquals(j.get("elbo").asDouble(), j.get("elbo_trace").get(j.get("iterations").asInt() - 1).asDouble());
        JsonNode mu = j.get("q").get("mu");
        assertEquals("Normal", mu.get("family").asText());
        for (int k = 1; k < 5; k++) assertTrue(mu.get("mean").get(k - 1).asDouble() < mu.get("mean").get(k).asDouble());
        JsonNode c = j.get("q").get("c");
        assertEquals("Categorical", c.get("family").asText());
        double sum = 0;
        for (JsonNode w : c.get("weights")) sum += w.asDouble();
        assertEquals(1, sum, 1e-9);
    }

    @Test
    void jsonCoversEveryFamily() throws IOException {
        ObjectMapper om = new ObjectMapper();
        JsonNode ng = om.readTree(Cli.run("run", "models/gmm-normal-gamma.vi", "--json", "--restarts", "2").out()).get("q");
        assertEquals("Dirichlet", ng.get("pi").get("family").asText());
        assertEquals(3, ng.get("pi").get("alpha").size());
        assertEquals("Gamma", ng.get("tau").get("family").asText());
        for (String f : new String[] {"shape", "rate", "mean"}) assertEquals(3, ng.get("tau").get(f).size(), f);
        assertEquals("Normal given tau", ng.get("mu").get("family").asText());
        assertEquals(3, ng.get("mu").get("beta").size());
        JsonNode mf = om.readTree(Cli.run("run", "models/gmm-precisions.vi", "--json", "--restarts", "2").out()).get("q");
        assertEquals("Normal", mf.get("mu").get("family").asText());
        assertEquals(3, mf.get("mu").get("sd").size());
        double tau = mf.get("tau").get("shape").get(0).asDouble() / mf.get("tau").get("rate").get(0).asDouble();
        assertEquals(tau, mf.get("tau").get("mean").get(0).asDouble(), 1e-12);
        JsonNode beta = om.readTree(Cli.run("run", "models/beta-bernoulli.vi", "--json").out()).get("q").get("p");
        assertEquals("Beta", beta.get("family").asText());
        assertTrue(beta.has("a") && beta.has("b") && beta.has("mean"));
        JsonNode rate = om.readTree(Cli.run("run", "models/gamma-poisson.vi", "--json").out()).get("q");
        assertEquals("Gamma", rate.get("rate").get("family").asText());
        assertFalse(rate.has("c"), "no assignments, no q(c)");
    }

    @Test
    void countDataMustBeCounts() throws IOException {
        Path data = csv("bad-coin.csv", "x\n0\n1\n0.5\n");
        Cli r = Cli.run("run", "models/beta-bernoulli.vi", "--data", "x=" + data);
        assertEquals(65, r.code());
        assertTrue(r.err().contains(data + ":4: 0.5 is not valid data: a Bernoulli likelihood needs 0 or 1"), r.err());
        Path counts = csv("bad-counts.csv", "x\n3\n-1\n");
        Cli p = Cli.run("run", "models/gamma-poisson.vi", "--data", "x=" + counts);
        assertTrue(p.err().contains(counts + ":3: -1 is not valid data: a Poisson likelihood needs a count"), p.err());
    }

    @Test
    void theSameSeedGivesTheSameJson() throws IOException {
        ObjectMapper m = new ObjectMapper();
        ObjectNode a = (ObjectNode) m.readTree(Cli.run("run", GMM, "--json", "--seed", "42").out());
        ObjectNode b = (ObjectNode) m.readTree(Cli.run("run", GMM, "--json", "--seed", "42").out());
        for (ObjectNode j : new ObjectNode[] {a, b}) {
            j.remove("seconds");
            j.remove("load_seconds");
        }
        assertEquals(a.toString(), b.toString());
        ObjectNode other = (ObjectNode) m.readTree(Cli.run("run", GMM, "--json", "--seed", "43", "--restarts", "1").out());
        other.remove("seconds");
        other.remove("load_seconds");
        assertFalse(a.toString().equals(other.toString()));
    }

    @Test
    void assignmentsAreWrittenOnlyWhenAskedFor() throws IOException {
        Path file = tmp.resolve("assign.csv");
        Cli r = Cli.run("run", "models/bishop-gmm.vi", "--json", "--restarts", "2", "--assignments", file.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertTrue(j.get("load_seconds").asDouble() >= 0);
        java.util.List<String> lines = Files.readAllLines(file);
        assertEquals("component,probability", lines.get(0));
        assertEquals(j.get("n").asInt() + 1, lines.size());
        int[] counts = new int[4];
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            int c = Integer.parseInt(cells[0]);
            double p = Double.parseDouble(cells[1]);
            assertTrue(c >= 1 && c <= 4 && p >= 0.25 && p <= 1, line);
            counts[c - 1]++;
        }
        // the hard assignments follow the weights, the mean of phi, component by component
        for (int k = 0; k < 4; k++) {
            assertEquals(j.get("q").get("c").get("weights").get(k).asDouble() * j.get("n").asInt(), counts[k], 6.0);
        }
    }

    @Test
    void anyNumberOfThreadsGivesTheSameBits() throws IOException {
        ObjectMapper m = new ObjectMapper();
        Path big = csv("big.csv", Cli.run("simulate", GMM, "--n", "200000", "--seed", "8").out());
        Path big2d = csv("big2d.csv", Cli.run("simulate", "models/bishop-gmm.vi", "--n", "40000", "--seed", "8").out());
        for (String[] model : new String[][] {{GMM, big.toString()}, {"models/bishop-gmm.vi", big2d.toString()}}) {
            String reference = null;
            for (String threads : new String[] {"1", "2", "3", "8"}) {
                Cli r = Cli.run("run", model[0], "--data", "x=" + model[1], "--json", "--restarts", "2", "--max-iter", "40",
                        "--threads", threads);
                assertEquals(0, r.code(), r.err());
                ObjectNode j = (ObjectNode) m.readTree(r.out());
                j.remove("seconds");
                j.remove("load_seconds");
                j.remove("threads");
                if (reference == null) reference = j.toString();
                else assertEquals(reference, j.toString(), model[0] + " with " + threads + " threads");
            }
        }
        assertEquals(2, Cli.run("run", GMM, "--threads", "0").code());
    }

    @Test
    void setOverridesAConstantAndFixesALatent() throws IOException {
        JsonNode j = new ObjectMapper().readTree(Cli.run("run", GMM, "--json", "--set", "K=3", "--restarts", "2").out());
        assertEquals(3, j.get("K").asInt());
        Cli fixed = Cli.run("run", GMM, "--json", "--set", "mu=[1,5,7,9,15]", "--restarts", "1");
        assertEquals(0, fixed.code(), fixed.err());
        JsonNode f = new ObjectMapper().readTree(fixed.out());
        assertEquals("PointMass", f.get("q").get("mu").get("family").asText());
        assertEquals(15.0, f.get("q").get("mu").get("value").get(4).asDouble());
    }

    @Test
    void simulateWritesCsvThatRunsAndBindsWithData() throws IOException {
        Cli sim = Cli.run("simulate", GMM, "--n", "300", "--seed", "5", "--set", "mu=[-10,-5,0,5,10]");
        assertEquals(0, sim.code(), sim.err());
        String[] lines = sim.out().split("\n");
        assertEquals("x", lines[0]);
        assertEquals(301, lines.length);
        Path data = csv("sim.csv", sim.out());
        Cli run = Cli.run("run", GMM, "--data", "x=" + data, "--json");
        assertEquals(0, run.code(), run.err());
        assertEquals(300, new ObjectMapper().readTree(run.out()).get("n").asInt());
        assertEquals(sim.out(), Cli.run("simulate", GMM, "--n", "300", "--seed", "5", "--set", "mu=[-10,-5,0,5,10]").out());
    }

    @Test
    void aColumnOfAWiderFileBindsByName() throws IOException {
        Path data = csv("two.csv", "id,value\n1,1.5\n2,2.5\n3,9\n4,10\n5,11\n");
        Cli run = Cli.run("run", GMM, "--data", "x=" + data + ":value", "--set", "K=2", "--json");
        assertEquals(0, run.code(), run.err());
        Cli noColumn = Cli.run("run", GMM, "--data", "x=" + data);
        assertEquals(65, noColumn.code());
        assertTrue(noColumn.err().contains("has 2 columns (id, value); pick one as"), noColumn.err());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "missing.csv|-|no such file",
            "letters.csv|x\\n1\\n2\\nabc\\n|letters.csv:4: column 'x': 'abc' is not a number",
            "nan.csv|x\\n1\\nNaN\\n|nan.csv:3: column 'x': NaN is not a finite number",
            "inf.csv|x\\n1\\n2\\nInfinity\\n|inf.csv:4: column 'x': Infinity is not a finite number",
            "empty.csv|x\\n|column 'x' is empty",
            "nothing.csv||the file is empty",
            "wrongcol.csv|a,b\\n1,2\\n|no column 'z'; the columns are a, b"})
    void badDataFilesNameTheFileAndTheLine(String name, String text, String message) throws IOException {
        String spec = tmp.resolve(name).toString();
        if (!"-".equals(text)) csv(name, text == null ? "" : text.replace("\\n", "\n"));
        if (name.equals("wrongcol.csv")) spec += ":z";
        Cli r = Cli.run("run", GMM, "--data", "x=" + spec);
        assertEquals(65, r.code(), r.err());
        assertTrue(r.err().contains(message), r.err());
        assertTrue(r.err().contains(name), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "run models/gmm.vi --bogus|error: unknown option '--bogus'",
            "run|error: missing MODEL, the .vi model file",
            "run models/gmm.vi --restarts 0|--restarts must be at least 1",
            "run models/gmm.vi --tol -1|--tol must be",
            "run models/gmm.vi --seed abc|error: --seed: 'abc' is not a whole number",
            "run models/gmm.vi --set K|--set needs NAME=VALUE",
            "run models/gmm.vi --set nope=3|the model has no constant or latent named 'nope'",
            "run models/gmm.vi --set K=(3|--set K=(3: the value is not valid",
            "run models/gmm.vi --data y=foo.csv|declares no data variable 'y'",
            "run models/gmm.vi --set c=[1,2]|assignments can be fixed for simulate, not for a fit",
            "simulate models/gmm.vi|error: missing --n N, the number of data points to draw",
            "simulate models/gmm.vi --n 0|--n must be at least 1",
            "frobnicate|error: unknown command 'frobnicate'",
            "run models/gmm.vi --plot /no/such/dir/fit.png|--plot /no/such/dir/fit.png: no such directory",
            "run models/gmm.vi --assignments /no/such/dir/a.csv|--assignments /no/such/dir/a.csv: no such directory"})
    void badCommandLinesExitWithTwo(String args, String message) {
        Cli r = Cli.run(args.split(" "));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(message), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void aBadCommandLineIsTwoLinesWithADidYouMean() {
        Cli r = Cli.run("run", GMM, "--max-itr", "5");
        assertEquals(2, r.code(), r.err());
        assertEquals("""
                error: unknown option '--max-itr'; did you mean '--max-iter'?
                (cavi run --help lists its options)
                """, r.err());
        Cli command = Cli.run("simulat", GMM);
        assertEquals(2, command.code(), command.err());
        assertTrue(command.err().startsWith("error: unknown command 'simulat'; did you mean 'simulate'"), command.err());
        Cli number = Cli.run("run", GMM, "--tol", "1e-3x");
        assertTrue(number.err().startsWith("error: --tol: '1e-3x' is not a number\n"), number.err());
    }

    @Test
    void aMissingModelFileIsBadInput() {
        Cli r = Cli.run("run", "models/nope.vi");
        assertEquals(65, r.code());
        assertTrue(r.err().contains("models/nope.vi: no such model file"), r.err());
    }

    @Test
    void badModelValuesAreLocated() {
        Cli r = Cli.run("run", GMM, "--set", "sigma=0");
        assertEquals(65, r.code());
        assertTrue(r.err().contains("models/gmm.vi:9:19: error: the prior variance of mu[k] must be positive; sigma^2 = 0"), r.err());
        Cli weights = Cli.run("simulate", "models/gmm-dirichlet.vi", "--n", "5", "--set", "pi=[0.5,0.6,0.1,0.1,0.1]");
        assertEquals(65, weights.code());
        assertTrue(weights.err().contains("--set pi: probabilities must sum to 1"), weights.err());
        Cli precision = Cli.run("simulate", "models/gmm-precisions.vi", "--n", "5", "--set", "tau=[1,-1,2]");
        assertTrue(precision.err().contains("--set tau: a Gamma latent is positive, not -1"), precision.err());
        Cli wrong = Cli.run("run", GMM, "--set", "mu=[1,2]");
        assertTrue(wrong.err().contains("--set mu gives 2 values but mu[k] has 5"), wrong.err());
    }

    @Test
    void helpAndVersion() {
        Cli v = Cli.run("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("cavi "));
        for (String cmd : new String[] {"run", "plan", "check", "simulate", "repl"}) {
            Cli h = Cli.run(cmd, "--help");
            assertEquals(0, h.code(), cmd);
            assertTrue(h.out().contains("Usage: cavi " + cmd), h.out());
        }
    }

    @Test
    void planUsesTheModelsOwnNames() {
        Cli r = Cli.run("plan", GMM);
        assertEquals(0, r.code());
        assertTrue(r.out().contains("q(mu[k]) = Normal(m[k], s2[k])"), r.out());
        assertTrue(r.out().contains("s2[k] = 1 / (1/(sigma^2) + N[k]/1)"), r.out());
        assertTrue(r.out().contains("phi[i,k] ∝ exp( log(1/K)"), r.out());
    }

    /** A from path that names no file is a located error at the path, saying where cavi looked. */
    @Test
    void aMissingFromFileIsLocated(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path model = dir.resolve("m.vi");
        Files.writeString(model, Files.readString(Path.of("models/gmm.vi")).replace("data/gmm-seed.csv", "data/nope.csv"));
        Cli r = Cli.run("run", model.toString());
        assertEquals(65, r.code(), r.err());
        assertTrue(r.err().contains(model + ":7:16: error:"), r.err());
        assertTrue(r.err().contains("no such data file \"data/nope.csv\"; looked for " + dir.resolve("data/nope.csv")), r.err());
    }

    /** "-" is standard output for --assignments; files are written whole, through a temporary file renamed over them. */
    @Test
    void assignmentsToStdoutAndFilesWrittenWhole(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Cli r = Cli.run("run", "models/gmm.vi", "--restarts", "1", "--assignments", "-");
        assertEquals(0, r.code(), r.err());
        String rows = r.out().substring(r.out().indexOf("component,probability\n"));
        assertEquals(5001, rows.split("\n").length);
        assertFalse(r.out().contains("assignments written to"));
        assertFalse(Files.exists(Path.of("-")));
        Path file = dir.resolve("a.csv"), plot = dir.resolve("p.png");
        Files.writeString(file, "an older, longer file that must not survive in part\n".repeat(100_000));
        Cli w = Cli.run("run", "models/gmm.vi", "--restarts", "1", "--assignments", file.toString(), "--plot", plot.toString());
        assertEquals(0, w.code(), w.err());
        assertEquals(5001, Files.readAllLines(file).size());
        assertTrue(Files.size(plot) > 1000);
        try (var left = Files.list(dir)) {
            assertEquals(2, left.count(), "no temporary files are left beside the outputs");
        }
    }

    /** Matrix checks are relative to the matrix's scale (issue 12): tiny valid matrices and rounding asymmetry pass. */
    @Test
    void matrixChecksAreRelativeToScale() {
        for (String ok : new String[] {"1e-15*eye(D)", "[[1, 1e-5], [1.00000000001e-5, 1]]", "[[1e-20, 3e-21], [3e-21, 2e-20]]"}) {
            Cli r = Cli.run("run", "models/bishop-gmm.vi", "--set", "W0=" + ok, "--restarts", "1", "--max-iter", "3");
            assertEquals(0, r.code(), ok + ": " + r.err());
        }
        Cli asym = Cli.run("check", "models/bishop-gmm.vi", "--set", "W0=[[1, 0.5], [0.4, 1]]");
        assertEquals(65, asym.code());
        assertTrue(asym.err().contains("must be symmetric; entries (1,2) and (2,1) are 0.5 and 0.4"), asym.err());
        Cli indefinite = Cli.run("check", "models/bishop-gmm.vi", "--set", "W0=[[1e-20, 2e-20], [2e-20, 1e-20]]");
        assertEquals(65, indefinite.code());
        assertTrue(indefinite.err().contains("must be positive definite"), indefinite.err());
    }
}

package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Data at extreme scale, through the command line: a fit at a scale doubles hold, with the prior
 * scaled to match, is the unscaled fit scaled; data beyond doubles, an outlier too far from the
 * rest, and data far out of the prior's scale are refused with exit 65 and a message that says
 * what to do, never exit 70 and never NaN with exit 0.
 */
class ScaleTest {
    @TempDir Path tmp;

    /** The rows of a CSV file (header kept), every value multiplied by {@code s}. */
    private Path scaled(String csv, double s, String name) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(csv));
        StringBuilder out = new StringBuilder(lines.get(0)).append('\n');
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            for (int c = 0; c < cells.length; c++) out.append(c == 0 ? "" : ",").append(Double.parseDouble(cells[c]) * s);
            out.append('\n');
        }
        Path p = tmp.resolve(name);
        Files.writeString(p, out);
        return p;
    }

    private static JsonNode json(Cli r) throws IOException {
        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().contains("NaN"), r.out());
        return new ObjectMapper().readTree(r.out());
    }

    private Path model(String text) throws IOException {
        Path p = tmp.resolve("m.vi");
        Files.writeString(p, text);
        return p;
    }

    /** Means of every component, flattened. */
    private static double[] means(JsonNode j) {
        JsonNode m = j.get("q").get("mu").get("mean");
        List<Double> out = new java.util.ArrayList<>();
        for (JsonNode row : m) {
            if (row.isArray()) for (JsonNode v : row) out.add(v.asDouble());
            else out.add(row.asDouble());
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void assertScaled(double[] base, double[] big, double s) {
        assertEquals(base.length, big.length);
        for (int i = 0; i < base.length; i++) {
            assertEquals(base[i] * s, big[i], 1e-6 * Math.abs(base[i] * s) + 1e-9 * s, "mean " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {1e8, 1e100, 1e-100})
    void oneDimensionalDataScaledWithThePriorGiveMeansScaled(double s) throws IOException {
        Path m = model(Models.GMM);
        Path base = scaled("models/data/gmm-seed.csv", 1, "base.csv"), big = scaled("models/data/gmm-seed.csv", s, "big.csv");
        JsonNode j0 = json(Cli.run("run", m.toString(), "--data", "x=" + base, "--set", "K=5", "--set", "sigma2=100", "--tol", "0", "--json"));
        JsonNode j1 = json(Cli.run("run", m.toString(), "--data", "x=" + big, "--set", "K=5",
                "--set", "sigma2=" + 100 * s * s, "--set", "lambda=" + s * s, "--tol", "0", "--json"));
        assertScaled(means(j0), means(j1), s);
    }

    @ParameterizedTest
    @ValueSource(doubles = {1e8, 1e12, 1e100})
    void bishopGmmScaledWithItsPriorGivesMeansScaled(double s) throws IOException {
        Path base = scaled("models/data/blobs2d.csv", 1, "base.csv"), big = scaled("models/data/blobs2d.csv", s, "big.csv");
        JsonNode j0 = json(Cli.run("run", "models/bishop-gmm.vi", "--data", "x=" + base, "--tol", "0", "--json"));
        JsonNode j1 = json(Cli.run("run", "models/bishop-gmm.vi", "--data", "x=" + big,
                "--set", "W0=" + (1 / (s * s)) + "*eye(2)", "--tol", "0", "--json"));
        assertScaled(means(j0), means(j1), s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"models/gmm.vi:models/data/gmm-seed.csv", "models/bishop-gmm.vi:models/data/blobs2d.csv",
            "models/mvn-known.vi:models/data/blobs2d-known.csv", "models/gmm-normal-gamma.vi:models/data/gmm-seed.csv"})
    void dataBeyondDoublesAreRefusedWithHowToRescale(String modelAndData) throws IOException {
        String[] md = modelAndData.split(":");
        for (double s : new double[] {1e153, 1e160, 1e300}) {
            Path big = scaled(md[1], s, "big.csv");
            Cli r = Cli.run("run", md[0], "--data", "x=" + big);
            assertEquals(65, r.code(), s + ": " + r.out() + r.err());
            assertTrue(r.err().contains("the data are too large for the fit's arithmetic"), r.err());
            assertTrue(r.err().contains("Rescale: divide the data by 1e"), r.err());
            assertFalse(r.out().contains("NaN"), r.out());
        }
    }

    /** The case: one point at (1e100, 1e100) among ordinary 2-D data. */
    @Test
    void anOutlierTooFarForDoublesIsRefusedNamingIt() throws IOException {
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(Path.of("models/data/blobs2d.csv")));
        lines.set(6, "1e100,1e100");
        Path data = tmp.resolve("outlier.csv");
        Files.write(data, lines);
        Cli r = Cli.run("run", "models/bishop-gmm.vi", "--data", "x=" + data);
        assertEquals(65, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("one point is too far from the rest for the fit's arithmetic: point 6, (1e+100, 1e+100)"), r.err());
        // at 1e6 the same point is fitted
        lines.set(6, "1e6,1e6");
        Files.write(data, lines);
        json(Cli.run("run", "models/bishop-gmm.vi", "--data", "x=" + data, "--json"));
    }

    /** Two points at 1e9 and four components: a component of one point, whose W0⁻¹ = eye is lost beside 1e18. */
    @Test
    void dataFarOutOfTheWishartPriorsScaleAreRefusedSayingSo() throws IOException {
        Path data = tmp.resolve("two.csv");
        Files.writeString(data, "x1,x2\n248557364.1706531,885448011.182995\n637460345.914177,696468713.0079676\n");
        Cli r = Cli.run("run", "models/bishop-gmm.vi", "--data", "x=" + data);
        assertEquals(65, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("the data are out of the prior's scale for the fit's arithmetic: point 2"), r.err());
        assertTrue(r.err().contains("Put the prior on the data's scale"), r.err());
        // as it advises: W0 at the data's scale
        json(Cli.run("run", "models/bishop-gmm.vi", "--data", "x=" + data, "--set", "W0=1e-18*eye(2)", "--json"));
    }
}

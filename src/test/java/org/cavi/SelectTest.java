package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `cavi select`: each K's row is the fit `cavi run --set K=k` makes, and its restarts are that fit's. */
class SelectTest {
    @TempDir Path tmp;

    @Test
    void eachRowIsTheRunAtThatK() throws Exception {
        Path plot = tmp.resolve("k.png");
        Cli r = Cli.run("select", "models/bishop-gmm.vi", "--K", "2..5", "--restarts", "4", "--plot", plot.toString());
        assertEquals(0, r.code(), r.err());
        List<String> rows = r.out().lines().filter(l -> l.matches("\\s+\\d+\\s+-.*")).toList();
        assertEquals(4, rows.size(), r.out());
        double bestOfAll = Double.NEGATIVE_INFINITY;
        int bestK = 0;
        for (String row : rows) {
            String[] w = row.trim().split("\\s+");
            int k = Integer.parseInt(w[0]);
            double best = Double.parseDouble(w[1]);
            double[] restarts = Arrays.stream(w, 3, w.length).mapToDouble(Double::parseDouble).toArray();
            assertEquals(4, restarts.length, row);
            Cli run = Cli.run("run", "models/bishop-gmm.vi", "--set", "K=" + k, "--restarts", "4", "--json");
            double elbo = new ObjectMapper().readTree(run.out()).get("elbo").asDouble();
            assertEquals(String.format(java.util.Locale.ROOT, "%.6f", elbo), w[1], "K = " + k);
            assertEquals(Arrays.stream(restarts).max().orElseThrow(), best, 0.005, "the best is the best restart: " + row);
            if (best > bestOfAll) { bestOfAll = best; bestK = k; }
        }
        assertTrue(r.out().contains("the highest ELBO is at K = " + bestK + ","), r.out());
        assertEquals(900, ImageIO.read(plot.toFile()).getWidth());
    }

    @Test
    void badRequestsAreUsageErrors() {
        Cli r = Cli.run("select", "models/gmm.vi", "--K", "3..1");
        assertEquals(2, r.code());
        assertEquals("error: --K 3..1: the range 3..1 is empty\n", r.err());
        r = Cli.run("select", "models/beta-bernoulli.vi", "--K", "1..3");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("has no assignments"), r.err());
        r = Cli.run("select", "models/gmm.vi", "--K", "1..3", "--constant", "sigma");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("components number"), r.err());
        r = Cli.run("select", "models/gmm.vi", "--K", "1..3", "--constant", "Q");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no constant named 'Q'"), r.err());
        r = Cli.run("select", "models/gmm.vi", "--K", "one");
        assertEquals(2, r.code());
    }
}

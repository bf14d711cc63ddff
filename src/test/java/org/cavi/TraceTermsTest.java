package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The REPL's :trace --terms: a row per sweep of :run and :step, the plan's terms as columns, adding up to the ELBO. */
class TraceTermsTest {
    @Test
    void eachRowsTermsAddUpToItsElbo() {
        ReplTest.Transcript t = ReplTest.script(":load models/gmm-normal-gamma.vi", ":run --restarts 2 --max-iter 12",
                ":step", ":trace --terms");
        assertEquals("", t.err());
        List<String> lines = t.out().lines().toList();
        int header = -1;
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).matches("\\s*sweep\\s+ELBO\\s+E\\[log p\\(x \\| c, mu, tau\\)\\].*")) header = i;
        assertTrue(header >= 0, t.out());
        for (String term : List.of("E[log p(mu | tau)]", "E[log p(tau)]", "H[q(mu, tau)]", "E[log p(c)]", "E[log p(pi)]", "H[q(pi)]", "H[q(c)]")) {
            assertTrue(lines.get(header).contains(term), lines.get(header));
        }
        int rows = 0;
        for (int i = header + 1; i < lines.size() && lines.get(i).matches("\\s*\\d+\\s.*"); i++) {
            double[] v = Arrays.stream(lines.get(i).trim().split("\\s+")).mapToDouble(Double::parseDouble).toArray();
            assertEquals(rows + 1, (int) v[0]);
            double sum = 0;
            for (int c = 2; c < v.length; c++) sum += v[c];
            assertEquals(v[1], sum, 1e-5, lines.get(i)); // nine terms printed to 6 decimals
            rows++;
        }
        assertEquals(13, rows, "12 sweeps of :run and one :step");
        assertTrue(lines.get(header + 1 + rows).startsWith("change"), t.out());
    }

    /**
     * :step names what each update moved: coordinate ascent, so no update lowers the ELBO, and
     * the updates' changes add up to the sweep's.
     */
    @Test
    void eachUpdateOfAStepRaisesTheElboAndTheyAddUpToTheSweep() {
        for (String model : List.of("models/gmm-normal-gamma.vi", "models/bishop-gmm.vi", "models/poisson-mixture.vi",
                "models/normal-mean-precision.vi")) {
            ReplTest.Transcript t = ReplTest.script(":load " + model, ":step", ":step", ":step");
            assertEquals("", t.err(), model);
            List<String> lines = t.out().lines().toList();
            int steps = 0;
            for (int i = 0; i < lines.size(); i++) {
                java.util.regex.Matcher sweep = java.util.regex.Pattern.compile("^\\s+\\d+\\s+-?[\\d.]+\\s+\\(([-+][\\d.]+)\\)$").matcher(lines.get(i));
                if (!sweep.matches()) continue;
                double change = Double.parseDouble(sweep.group(1));
                int j = i;
                while (!lines.get(j).startsWith("what each update changed")) j++;
                double sum = 0;
                for (j++; j < lines.size() && lines.get(j).startsWith("  q("); j++) {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("; ELBO ([-+][\\d.]+)$").matcher(lines.get(j));
                    if (!m.find()) continue; // an update that moved no term
                    double d = Double.parseDouble(m.group(1));
                    assertTrue(d >= -1e-6, model + ": an update lowered the ELBO: " + lines.get(j));
                    sum += d;
                }
                assertEquals(change, sum, 1e-5, model + ": " + t.out());
                steps++;
            }
            assertEquals(2, steps, model + ": the second and third :step compare with the one before");
        }
    }

    @Test
    void aWrongArgumentIsAUsageError() {
        ReplTest.Transcript t = ReplTest.script(":trace --bad");
        assertTrue(t.err().contains(":trace takes --terms or nothing"), t.err());
    }
}

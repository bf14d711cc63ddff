package org.cavi.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fuzzing harness in CI: a fixed corpus of 5,000 generated cases (seed 1, cases 0..4999)
 * and the committed failing cases of {@code src/test/resources/fuzz/}, replayed. A failure
 * whose signature is in {@link #KNOWN} is a known, recorded failure: it is printed, and does
 * not fail the test (the README's Tests section lists them). Any other failure fails it.
 */
class FuzzTest {
    static final Path REPO = Path.of("").toAbsolutePath();
    static final long SEED = 1;
    static final int CASES = Integer.getInteger("fuzz.cases", 5000);

    /**
     * Failures that need a larger change than the harness's fixes: none today. (Multivariate fits on
     * data beyond doubles, with an outlier, or far out of the prior's scale, once exit 70 in
     * Dense.cholesky, are refused with exit 65 by driver.DataScale; src/test/resources/fuzz/cholesky-*.)
     */
    static final Set<String> KNOWN = Set.of();

    @Test
    void fixedCorpusOfGeneratedCases(@TempDir Path work) throws Exception {
        Fuzz f = new Fuzz(REPO, work, Fuzz.TIMEOUT_MS);
        Fuzz.Summary s = f.runMany(new Generator(REPO), SEED, 0, CASES, Math.max(2, Runtime.getRuntime().availableProcessors()), null);
        System.out.print("fuzz: " + s.render());
        List<String> unknown = new ArrayList<>();
        for (String sig : s.counts.keySet()) {
            if (!KNOWN.contains(sig)) unknown.add(sig + " (e.g. case " + s.smallest.get(sig).id() + ": " + s.details.get(sig) + ")");
        }
        assertEquals(CASES, s.cases.get());
        assertTrue(unknown.isEmpty(), "fuzz failures: \n" + String.join("\n", unknown));
    }

    @Test
    void committedFailingCasesAreFixed(@TempDir Path work) throws Exception {
        Fuzz f = new Fuzz(REPO, work, Fuzz.TIMEOUT_MS);
        List<Path> files;
        try (Stream<Path> st = Files.list(REPO.resolve("src/test/resources/fuzz"))) {
            files = st.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(files.size() > 0);
        List<String> failing = new ArrayList<>();
        List<String> known = new ArrayList<>();
        for (Path p : files) {
            FuzzCase.Stored stored = FuzzCase.load(p);
            Fuzz.Result r = f.run(stored.fuzzCase(), "corpus");
            List<Fuzz.Failure> fs = f.judge(stored.fuzzCase(), r);
            String name = p.getFileName().toString();
            if (stored.known()) {
                known.add(name + ": " + (fs.isEmpty() ? "now passes (clear its \"known\")" : fs.get(0).signature()));
            } else if (!fs.isEmpty()) {
                failing.add(name + ": " + fs.get(0).signature() + ": " + fs.get(0).detail());
            }
        }
        if (!known.isEmpty()) System.out.println("fuzz corpus, known failures (not counted):\n  " + String.join("\n  ", known));
        assertTrue(failing.isEmpty(), "committed fuzz cases fail again:\n" + String.join("\n", failing));
    }
}

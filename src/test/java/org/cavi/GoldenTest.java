package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every model in models/ checks and runs; every bad model gives exactly its expected diagnostics. */
class GoldenTest {
    static Stream<Path> goodModels() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("models"))) {
            return s.filter(p -> p.toString().endsWith(".vi")).sorted().toList().stream();
        }
    }

    static Stream<Path> badModels() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("models", "bad"))) {
            return s.filter(p -> p.toString().endsWith(".vi")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("goodModels")
    void checksPlansAndRuns(Path model) throws IOException {
        Cli check = Cli.run("check", model.toString());
        assertEquals(0, check.code(), check.err());
        assertTrue(check.out().startsWith("ok: "), check.out());
        Cli plan = Cli.run("plan", model.toString());
        assertEquals(0, plan.code(), plan.err());
        assertTrue(plan.out().contains("updates, in order"));
        Cli run = Cli.run("run", model.toString(), "--restarts", "2", "--json");
        assertEquals(0, run.code(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertTrue(Double.isFinite(json.get("elbo").asDouble()));
        assertTrue(json.get("n").asInt() > 0);
    }

    @ParameterizedTest
    @MethodSource("badModels")
    void badModelsGiveTheirExpectedDiagnostics(Path model) throws IOException {
        Path expected = Path.of(model.toString().replaceAll("\\.vi$", ".err"));
        assertTrue(Files.exists(expected), "missing " + expected);
        Cli check = Cli.run("check", model.toString());
        assertEquals(65, check.code());
        assertEquals(Files.readString(expected), check.err());
        assertFalse(check.err().contains("Exception"));
        assertEquals("", check.out());
    }
}

package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad data file in models/bad/data, and every bad command line in models/bad/cli, gives
 * exactly its expected message and exit code. Each
 * case is NAME.cmd, a line "# exit CODE" and then the command's arguments (split at spaces), with
 * its exact standard error in NAME.err; the data files beside them are what the commands read.
 */
class BadDataGoldenTest {
    static Stream<Path> cases() throws IOException {
        java.util.List<Path> all = new java.util.ArrayList<>();
        for (String dir : new String[] {"data", "cli"}) {
            try (Stream<Path> s = Files.list(Path.of("models", "bad", dir))) {
                all.addAll(s.filter(p -> p.toString().endsWith(".cmd")).sorted().toList());
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void badDataGiveTheirExpectedMessages(Path cmd) throws IOException {
        List<String> lines = Files.readAllLines(cmd);
        assertTrue(lines.get(0).startsWith("# exit "), cmd + ": the first line is # exit CODE");
        int code = Integer.parseInt(lines.get(0).substring("# exit ".length()).strip());
        Path expected = Path.of(cmd.toString().replaceAll("\\.cmd$", ".err"));
        assertTrue(Files.exists(expected), "missing " + expected);
        Cli r = Cli.run(lines.get(1).strip().split(" +"));
        assertEquals(Files.readString(expected), r.err());
        assertEquals(code, r.code(), r.err());
        assertEquals("", r.out());
        assertFalse(r.err().contains("Exception"), r.err());
        assertTrue(code == 2 || code == 65 || code == 71, cmd + ": exit " + code + " is not an exit of bad input");
    }
}

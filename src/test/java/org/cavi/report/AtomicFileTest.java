package org.cavi.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written whole keep the permissions a user expects: rw-r--r-- when new, their own when rewritten. */
class AtomicFileTest {
    @TempDir Path tmp;

    @Test
    void aNewFileIsReadableByAllAndARewrittenOneKeepsItsPermissions() throws Exception {
        Path file = tmp.resolve("fit.csv");
        AtomicFile.write(file, out -> out.write("a\n".getBytes()));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));
        AtomicFile.write(file, out -> out.write("b\n".getBytes()));
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("b\n", Files.readString(file));
        try (var left = Files.list(tmp)) {
            assertEquals(1, left.count(), "no temporary file is left");
        }
    }
}

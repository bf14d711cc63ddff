package org.cavi.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.AccessDeniedException;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file whole or not at all: into a temporary file beside it, then renamed over it. Two
 * fits writing the same file leave one complete file, never a mix of both.
 */
final class AtomicFile {
    private AtomicFile() {}

    @FunctionalInterface
    interface Body {
        void write(OutputStream out) throws IOException;
    }

    /** Text, written row by row. */
    @FunctionalInterface
    interface Text {
        void write(java.io.BufferedWriter w) throws IOException;
    }

    /**
     * Writes {@code body} to {@code file} whole or not at all, or to {@code stdout} when the file is
     * "-"; returns why it could not, in the user's words, or empty.
     */
    static java.util.Optional<String> writeText(Path file, java.io.PrintWriter stdout, Text body) {
        try {
            if (file.toString().equals("-")) {
                java.io.BufferedWriter w = new java.io.BufferedWriter(stdout);
                body.write(w);
                w.flush();
            } else {
                write(file, out -> {
                    java.io.BufferedWriter w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(out, java.nio.charset.StandardCharsets.UTF_8));
                    body.write(w);
                    w.flush();
                });
            }
        } catch (java.io.UncheckedIOException e) {
            return java.util.Optional.of(cannotWrite(file, e.getCause()));
        } catch (IOException e) {
            return java.util.Optional.of(cannotWrite(file, e));
        }
        return java.util.Optional.empty();
    }

    /** Why {@code file} could not be written, for the user. */
    static String cannotWrite(Path file, IOException e) {
        return file + ": cannot write it: " + (e instanceof NoSuchFileException ? "no such directory" : e.getMessage());
    }

    /** What a new file's permissions are: the usual rw-r--r-- (a temporary file is made rw-------). */
    private static final java.util.Set<PosixFilePermission> NEW_FILE = PosixFilePermissions.fromString("rw-r--r--");

    static void write(Path file, Body body) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) throw new NoSuchFileException(file.toString());
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        } catch (AccessDeniedException e) {
            // the message names the folder, not the temporary file the user never asked for
            throw new IOException("permission denied in " + dir);
        }
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                body.write(out);
            }
            if (Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
                // a file written again keeps its permissions; a new one gets the usual ones
                Files.setPosixFilePermissions(tmp, Files.exists(file) ? Files.getPosixFilePermissions(file) : NEW_FILE);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}

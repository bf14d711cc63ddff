package org.cavi.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import org.cavi.infer.CaviState;

/** Writes each point's most probable component and its probability, point by point: phi is built only here, one point at a time. */
public final class Assignments {
    private Assignments() {}

    /** Writes to {@code file}, whole or not at all, or to {@code stdout} when the file is "-". */
    public static Optional<String> write(Path file, CaviState state, java.io.PrintWriter stdout) {
        // number the components as reports do: in ascending order of their key
        double[] key = state.key();
        Integer[] order = new Integer[key.length];
        for (int j = 0; j < key.length; j++) order[j] = j;
        java.util.Arrays.sort(order, java.util.Comparator.comparingDouble(j -> key[j]));
        int[] rank = new int[key.length];
        for (int r = 0; r < order.length; r++) rank[order[r]] = r + 1;
        return AtomicFile.writeText(file, stdout, w -> rows(w, state, rank));
    }

    private static void rows(BufferedWriter w, CaviState state, int[] rank) throws IOException {
        w.write("component,probability\n");
        state.assignments((component, probability) -> {
            try {
                w.write(Integer.toString(rank[component]));
                w.write(',');
                w.write(Double.toString(probability));
                w.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}

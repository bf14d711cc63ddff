package org.cavi.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.cavi.infer.CaviState;

/** Writes each point's most probable component and its probability: phi is built only here. */
public final class Assignments {
    private Assignments() {}

    public static Optional<String> write(Path file, CaviState state) {
        CaviState.Assigned assigned = state.assignments();
        int[] component = assigned.component();
        double[] probability = assigned.probability();
        // number the components as reports do: in ascending order of their key
        double[] key = state.key();
        Integer[] order = new Integer[key.length];
        for (int j = 0; j < key.length; j++) order[j] = j;
        java.util.Arrays.sort(order, java.util.Comparator.comparingDouble(j -> key[j]));
        int[] rank = new int[key.length];
        for (int r = 0; r < order.length; r++) rank[order[r]] = r + 1;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("component,probability\n");
            for (int i = 0; i < component.length; i++) {
                w.write(Integer.toString(rank[component[i]]));
                w.write(',');
                w.write(Double.toString(probability[i]));
                w.write('\n');
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.of(file + ": cannot write it: no such directory");
        } catch (IOException e) {
            return Optional.of(file + ": cannot write it: " + e.getMessage());
        }
        return Optional.empty();
    }
}

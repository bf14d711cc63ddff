package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package graph of the main sources, read from their text: which package names which.
 * ARCHITECTURE.md describes the intended graph; this keeps the two rules that matter most.
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/org/cavi");

    /** Packages that data, the bottom layer next to source, must never name: the stages above it. */
    private static final Set<String> ABOVE_DATA = Set.of("plan", "compile", "infer");

    /**
     * Edges that break a rule today and are being removed, each with why it is still here. Empty:
     * the last one, data -> plan (the simulator), went when simulation moved to its own package.
     * An exception listed here that the graph no longer has fails {@link #everyKnownExceptionIsStillNeeded},
     * so the list cannot go stale.
     */
    private static final Set<String> KNOWN_EXCEPTIONS = Set.of();

    /** What simulate may name: the plan it reads and the family units it draws with. */
    private static final Set<String> SIMULATE_USES = Set.of("plan", "family");

    // An import or a fully qualified name, e.g. org.cavi.infer.Parallel.defaultThreads(): both
    // are dependencies (the cli <-> repl cycle once hid in a fully qualified name)
    private static final Pattern REFERENCE = Pattern.compile("\\borg\\.cavi\\.([a-z][a-z0-9_]*)\\.");

    @Test
    void theGraphIsReadAtAll() {
        Map<String, Set<String>> g = graph();
        assertTrue(g.keySet().containsAll(List.of("cli", "repl", "driver", "data", "plan", "infer")), "packages: " + g.keySet());
        assertTrue(g.get("cli").contains("driver"), "cli -> driver should be seen; the graph is " + g);
    }

    @Test
    void noPackageCycles() {
        Map<String, Set<String>> g = graph();
        List<String> cycles = new ArrayList<>();
        for (String start : g.keySet()) {
            List<String> path = cycleThrough(start, g);
            if (!path.isEmpty()) cycles.add(String.join(" -> ", path));
        }
        assertEquals(List.of(), cycles, "package cycles (each is listed from each of its packages); the graph is " + g);
    }

    @Test
    void dataDependsOnNoStageAboveIt() {
        List<String> bad = new ArrayList<>();
        for (String to : graph().getOrDefault("data", Set.of())) {
            String edge = "data -> " + to;
            if (ABOVE_DATA.contains(to) && !KNOWN_EXCEPTIONS.contains(edge)) bad.add(edge);
        }
        assertEquals(List.of(), bad, "data is read by the stages above it and must not name them");
    }

    @Test
    void everyKnownExceptionIsStillNeeded() {
        Map<String, Set<String>> g = graph();
        List<String> unused = KNOWN_EXCEPTIONS.stream().sorted().filter(edge -> {
            String[] ends = edge.split(" -> ");
            return !g.getOrDefault(ends[0], Set.of()).contains(ends[1]);
        }).toList();
        assertEquals(List.of(), unused, "known exceptions the graph no longer has: remove them from KNOWN_EXCEPTIONS");
    }

    @Test
    void simulateUsesOnlyThePlanAndTheFamilies() {
        List<String> bad = graph().getOrDefault("simulate", Set.of()).stream()
                .filter(to -> !SIMULATE_USES.contains(to) && !KNOWN_EXCEPTIONS.contains("simulate -> " + to)).toList();
        assertEquals(List.of(), bad, "simulate draws from a plan with the family units and needs nothing else");
    }

    @Test
    void everyPackageSaysWhatItIsFor() {
        List<String> missing = graph().keySet().stream()
                .filter(p -> !Files.isRegularFile(MAIN.resolve(p).resolve("package-info.java"))).toList();
        assertEquals(List.of(), missing, "packages without a package-info.java");
    }

    /** The shortest path from start back to itself, or empty: a breadth-first search. */
    private static List<String> cycleThrough(String start, Map<String, Set<String>> g) {
        Map<String, String> parent = new TreeMap<>();
        List<String> frontier = new ArrayList<>(List.of(start));
        while (!frontier.isEmpty()) {
            List<String> next = new ArrayList<>();
            for (String p : frontier) {
                for (String q : g.getOrDefault(p, Set.of())) {
                    if (q.equals(start)) {
                        List<String> path = new ArrayList<>(List.of(start));
                        for (String at = p; !at.equals(start); at = parent.get(at)) path.add(1, at);
                        path.add(start);
                        return path;
                    }
                    if (!parent.containsKey(q)) {
                        parent.put(q, p);
                        next.add(q);
                    }
                }
            }
            frontier = next;
        }
        return List.of();
    }

    /** Package → the other org.cavi packages its sources name, outside comments and literals. */
    static Map<String, Set<String>> graph() {
        Map<String, Set<String>> g = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(MAIN)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                String pkg = dir.getFileName().toString();
                Set<String> to = g.computeIfAbsent(pkg, k -> new TreeSet<>());
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                        Matcher m = REFERENCE.matcher(code(Files.readString(f)));
                        while (m.find()) {
                            String target = m.group(1);
                            if (!target.equals(pkg) && Files.isDirectory(MAIN.resolve(target))) to.add(target);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return g;
    }

    /** The source with comments, string and char literals blanked, and its package line dropped. */
    static String code(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0, n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (src.startsWith("//", i)) {
                while (i < n && src.charAt(i) != '\n') i++;
            } else if (src.startsWith("/*", i)) {
                int end = src.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (src.startsWith("\"\"\"", i)) {
                int end = src.indexOf("\"\"\"", i + 3);
                i = end < 0 ? n : end + 3;
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                i++;
                while (i < n && src.charAt(i) != c && src.charAt(i) != '\n') i += src.charAt(i) == '\\' ? 2 : 1;
                i++;
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString().replaceFirst("(?m)^\\s*package\\s+[\\w.]+\\s*;", "");
    }
}

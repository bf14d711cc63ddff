package org.cavi.fuzz;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cavi.cli.Main;
import picocli.CommandLine;

/**
 * The fuzzing harness: runs generated cases through the real command line in this process
 * (parse → check → compile → fit) and sorts the failures by signature.
 *
 * <p>A failure is an internal error (exit 70 or an uncaught Throwable), NaN or Infinity in
 * the standard output, a case that takes longer than the timeout, an error without
 * FILE:LINE:COL where the problem is in the source, or a caret that does not point where the
 * message says.
 *
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.cavi.fuzz.Fuzz \
 *     -Dexec.args="--cases 100000 --seed 1 --threads 2 --save target/fuzz-failures"
 * </pre>
 * or {@code bench/fuzz.sh 100000 1}.
 */
public final class Fuzz {
    public static final long TIMEOUT_MS = 10_000;
    static final long SLOW = Long.getLong("fuzz.slow", 0);

    public record Result(int code, String out, String err, Throwable thrown, long millis) {}

    /** A failure: its signature and a line that says what went wrong. */
    public record Failure(String signature, String detail) {}

    final Path repo;
    final Path work;
    final long timeoutMs;

    public Fuzz(Path repo, Path work, long timeoutMs) {
        this.repo = repo.toAbsolutePath();
        this.work = work;
        this.timeoutMs = timeoutMs;
    }

    // ---- running one case ----

    /** Writes the case into a fresh directory under work, runs it, and deletes the directory. */
    public Result run(FuzzCase c, String slot) throws IOException {
        Path dir = work.resolve(slot);
        deleteTree(dir);
        Files.createDirectories(dir.resolve("m"));
        Path data = repo.resolve("models/data");
        Files.createSymbolicLink(dir.resolve("data"), data);
        Files.createSymbolicLink(dir.resolve("m/data"), data);
        for (Map.Entry<String, String> f : c.files().entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, f.getValue().getBytes(StandardCharsets.UTF_8)); // a lone surrogate becomes ?
        }
        String[] args = c.args().stream().map(a -> a.replace("@DIR@", dir.toString())).toArray(String[]::new);
        Result r = execute(args);
        deleteTree(dir);
        return r;
    }

    /** The command line on a worker thread, stopped after the timeout. */
    @SuppressWarnings({"deprecation", "removal"})
    Result execute(String[] args) {
        AtomicReference<Result> result = new AtomicReference<>();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long t0 = System.nanoTime();
        Thread worker = new Thread(() -> {
            AtomicReference<Throwable> handled = new AtomicReference<>();
            try {
                CommandLine cl = Main.commandLine(args);
                cl.setOut(new PrintWriter(out, true));
                cl.setErr(new PrintWriter(err, true));
                CommandLine.IExecutionExceptionHandler main = cl.getExecutionExceptionHandler();
                cl.setExecutionExceptionHandler((ex, line, parsed) -> {
                    handled.set(ex);
                    return main.handleExecutionException(ex, line, parsed);
                });
                int code = cl.execute(args);
                result.set(new Result(code, out.toString(), err.toString(), handled.get(), 0));
            } catch (ThreadDeath d) {
                throw d;
            } catch (Throwable t) {
                result.set(new Result(70, out.toString(), err.toString(), t, 0));
            }
        }, "fuzz-case");
        worker.setDaemon(true);
        worker.start();
        try {
            worker.join(timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (worker.isAlive()) {
            worker.interrupt();
            try {
                worker.stop(); // a hang must not stop the harness; Java 17 still stops a thread
            } catch (UnsupportedOperationException ignored) {
                // later Javas: the daemon thread is left to run
            }
            return new Result(-1, cut(out.toString()), cut(err.toString()), null, ms);
        }
        Result r = result.get();
        return new Result(r.code(), r.out(), r.err(), r.thrown(), ms);
    }

    private static String cut(String s) { return s.length() > 10_000 ? s.substring(0, 10_000) : s; }

    // ---- judging ----

    static final Pattern NONFINITE = Pattern.compile("(?<![A-Za-z_0-9])(NaN|Infinity|∞)(?![A-Za-z_0-9])");
    static final Pattern LOCATED = Pattern.compile("^(.+):(\\d+):(\\d+): (error|warning): (.*)$");
    static final Pattern QUOTED_TOKEN = Pattern.compile("^(?:unexpected (?:character |characters )?|unknown name |unknown distribution )'([^']+)'|^'([^']+)' is not a number");

    /** The failures of one result (empty when the case passed). */
    public List<Failure> judge(FuzzCase c, Result r) {
        List<Failure> fs = new ArrayList<>();
        if (r.code() == -1) {
            fs.add(new Failure("hang: " + String.join(" ", commandShape(c)), "no answer after " + r.millis() + " ms"));
            return fs;
        }
        if (r.thrown() != null || r.code() == 70) {
            fs.add(new Failure("internal: " + throwableSignature(r.thrown(), r.err()), firstLine(r.err())));
        }
        // as written: a lone surrogate became '?'
        String src = new String(c.files().getOrDefault("m/model.vi", "").getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        Matcher m = NONFINITE.matcher(r.out());
        while (m.find()) {
            String word = m.group(1);
            if (Pattern.compile("(?<![A-Za-z_0-9])" + word + "(?![A-Za-z_0-9])").matcher(src).find()) continue; // the model's own name
            fs.add(new Failure("non-finite output: " + word + " in " + c.args().get(0) + (r.code() == 0 ? " (exit 0)" : ""),
                    lineAround(r.out(), m.start())));
            break;
        }
        if (r.code() == 65 && c.kind().matches("source|numbers")) {
            for (String line : r.err().split("\n")) {
                if (line.startsWith("error: ") && !mentionsData(line)) {
                    fs.add(new Failure("unlocated: " + shape(line), line));
                    break;
                }
            }
        }
        fs.addAll(carets(src, r.err()));
        return fs;
    }

    private static boolean mentionsData(String line) {
        // a refusal of arithmetic beyond doubles, which comes of the constants and the data together, names no one place
        return line.contains("the fit is not finite") || line.contains("the exact posterior is not finite") || line.contains(".csv") || line.contains(".npy") || line.contains("data file") || line.contains("column");
    }

    /** Each located diagnostic's source line must be the file's, and its caret at its column, on a token it names. */
    static List<Failure> carets(String src, String err) {
        List<Failure> fs = new ArrayList<>();
        String[] lines = err.split("\n", -1);
        String[] srcLines = src.split("\r?\n", -1); // as SourceFile: only \n ends a line
        for (int k = 0; k + 2 < lines.length; k++) {
            Matcher m = LOCATED.matcher(lines[k]);
            if (!m.matches() || !m.group(1).endsWith("model.vi")) continue;
            int line = Integer.parseInt(m.group(2));
            int col = Integer.parseInt(m.group(3));
            String message = m.group(5);
            String shown = lines[k + 1].startsWith("  ") ? lines[k + 1].substring(2) : lines[k + 1];
            String caretLine = lines[k + 2].startsWith("  ") ? lines[k + 2].substring(2) : lines[k + 2];
            int caret = caretLine.indexOf('^');
            String sig = "caret: " + shape(message);
            if (caret < 0) { fs.add(new Failure(sig, "no caret under " + lines[k])); continue; }
            if (shown.startsWith("…") || shown.endsWith("…")) continue; // a long line, cut around the caret
            if (line < 1 || line > srcLines.length) { fs.add(new Failure(sig, "line " + line + " is past the end: " + lines[k])); continue; }
            String actual = srcLines[line - 1].replace('\t', ' ');
            // as SourceFile shows it: a last \r of the line (a lone CR before the end of the file) is not shown
            if (actual.endsWith("\r")) actual = actual.substring(0, actual.length() - 1);
            if (actual.startsWith("\uFEFF") && line == 1) actual = actual.substring(1);
            if (!actual.equals(shown) && !actual.replace("\uFEFF", "").equals(shown)) {
                fs.add(new Failure(sig + " (the line shown is not line " + "N)", lines[k]));
                continue;
            }
            int caretCp = shown.codePointCount(0, Math.min(shown.length(), shown.offsetByCodePoints(0, Math.min(caret, shown.codePointCount(0, shown.length())))));
            int caretCol = caretLine.codePointCount(0, caret);
            if (caretCol != col - 1) { fs.add(new Failure(sig + " (caret not at the column)", lines[k])); continue; }
            int cps = shown.codePointCount(0, shown.length());
            if (caretCp < cps) {
                String at = shown.substring(shown.offsetByCodePoints(0, caretCp));
                Matcher q = QUOTED_TOKEN.matcher(message);
                String named = q.find() ? (q.group(1) != null ? q.group(1) : q.group(2)) : null;
                if (named != null && !named.contains("…") && !at.startsWith(named) && named.length() < 40) {
                    fs.add(new Failure(sig + " (caret not on the token named)", lines[k] + " | at: " + at));
                }
            }
        }
        return fs;
    }

    static String firstLine(String s) {
        int i = s.indexOf('\n');
        String l = i < 0 ? s : s.substring(0, i);
        return l.length() > 300 ? l.substring(0, 300) + "…" : l;
    }

    static String lineAround(String s, int at) {
        int a = s.lastIndexOf('\n', at) + 1;
        int b = s.indexOf('\n', at);
        String l = s.substring(a, b < 0 ? s.length() : b);
        return l.length() > 300 ? l.substring(0, 300) + "…" : l;
    }

    static List<String> commandShape(FuzzCase c) {
        List<String> s = new ArrayList<>();
        s.add(c.args().get(0));
        s.add(c.kind());
        return s;
    }

    static String throwableSignature(Throwable t, String err) {
        if (t == null) return "exit 70: " + shape(firstLine(err));
        Throwable root = t;
        String frame = "";
        for (StackTraceElement e : root.getStackTrace()) {
            if (e.getClassName().startsWith("org.cavi")) { frame = e.getClassName() + "." + e.getMethodName(); break; }
        }
        if (frame.isEmpty() && root.getStackTrace().length > 0) {
            StackTraceElement e = root.getStackTrace()[0];
            frame = e.getClassName() + "." + e.getMethodName();
        }
        return root.getClass().getName() + " at " + frame;
    }

    /** A message with its particulars taken out: numbers, quoted text, paths. */
    static String shape(String message) {
        String s = message.replaceAll("/[^\\s:'\"]*/", "/…/");
        s = s.replaceAll("'[^']*'", "'…'").replaceAll("\"[^\"]*\"", "\"…\"");
        s = s.replaceAll("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?", "N");
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }

    // ---- many cases ----

    /** The failures of a run, by signature, each with its count and smallest case. */
    public static final class Summary {
        public final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
        public final Map<String, FuzzCase> smallest = new ConcurrentHashMap<>();
        public final Map<String, String> details = new ConcurrentHashMap<>();
        public final AtomicLong cases = new AtomicLong();
        public final AtomicLong failed = new AtomicLong();
        public final Map<Integer, AtomicLong> exits = new ConcurrentHashMap<>();

        synchronized void add(FuzzCase c, Result r, List<Failure> fs) {
            cases.incrementAndGet();
            exits.computeIfAbsent(r.code(), k -> new AtomicLong()).incrementAndGet();
            if (fs.isEmpty()) return;
            failed.incrementAndGet();
            for (Failure f : fs) {
                counts.computeIfAbsent(f.signature(), k -> new AtomicLong()).incrementAndGet();
                FuzzCase old = smallest.get(f.signature());
                if (old == null || c.size() < old.size()) {
                    smallest.put(f.signature(), c);
                    details.put(f.signature(), f.detail());
                }
            }
        }

        public String render() {
            StringBuilder b = new StringBuilder();
            b.append(cases.get()).append(" cases, ").append(failed.get()).append(" failed, ")
             .append(counts.size()).append(" signature").append(counts.size() == 1 ? "" : "s").append("; exit codes ")
             .append(new TreeMap<>(exits)).append('\n');
            counts.entrySet().stream().sorted(Comparator.comparing((Map.Entry<String, AtomicLong> e) -> -e.getValue().get()))
                .forEach(e -> {
                    FuzzCase c = smallest.get(e.getKey());
                    b.append(String.format("%7d  %s%n", e.getValue().get(), e.getKey()));
                    b.append("         e.g. case ").append(c.id()).append(": ").append(String.join(" ", c.args())).append('\n');
                    b.append("         ").append(details.get(e.getKey())).append('\n');
                });
            return b.toString();
        }
    }

    /** Runs cases [from, to) of a seed on some threads. */
    public Summary runMany(Generator g, long seed, long from, long to, int threads, Path save) throws Exception {
        Summary s = new Summary();
        AtomicLong next = new AtomicLong(from);
        List<Thread> ts = new ArrayList<>();
        AtomicReference<Exception> problem = new AtomicReference<>();
        for (int t = 0; t < threads; t++) {
            String slot = "slot" + t;
            Thread th = new Thread(() -> {
                long i;
                while ((i = next.getAndIncrement()) < to && problem.get() == null) {
                    try {
                        FuzzCase c = g.make(seed, i);
                        Result r = run(c, slot);
                        List<Failure> fs = judge(c, r);
                        if (SLOW > 0 && r.millis() > SLOW) System.err.println("slow " + r.millis() + " ms: case " + c.id() + " " + String.join(" ", c.args()));
                        s.add(c, r, fs);
                        if (!fs.isEmpty() && save != null) {
                            Files.createDirectories(save);
                            c.save(save.resolve("case-" + seed + "-" + i + ".json"), fs.get(0).signature(), false, fs.get(0).detail());
                        }
                    } catch (Exception e) {
                        problem.set(e);
                    }
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) th.join();
        if (problem.get() != null) throw problem.get();
        return s;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** {@code --cases N --seed S --from I --threads T --save DIR --case I} (one case, printed in full). */
    public static void main(String[] args) throws Exception {
        long cases = 100_000, seed = 1, from = 0;
        int threads = Runtime.getRuntime().availableProcessors();
        Path save = null;
        Long one = null;
        for (int k = 0; k < args.length; k++) {
            switch (args[k]) {
                case "--cases" -> cases = Long.parseLong(args[++k]);
                case "--seed" -> seed = Long.parseLong(args[++k]);
                case "--from" -> from = Long.parseLong(args[++k]);
                case "--threads" -> threads = Integer.parseInt(args[++k]);
                case "--save" -> save = Path.of(args[++k]);
                case "--case" -> one = Long.parseLong(args[++k]);
                default -> throw new IllegalArgumentException("unknown option " + args[k]);
            }
        }
        Path repo = Path.of(System.getProperty("cavi.repo", ".")).toAbsolutePath();
        Path work = Files.createTempDirectory("cavi-fuzz");
        Fuzz f = new Fuzz(repo, work, TIMEOUT_MS);
        Generator g = new Generator(repo);
        if (one != null) {
            FuzzCase c = g.make(seed, one);
            Result r = f.run(c, "one");
            System.out.println("case " + c.id() + " (" + c.kind() + "): " + String.join(" ", c.args()));
            c.files().forEach((name, text) -> System.out.println("--- " + name + "\n" + (text.length() > 3000 ? text.substring(0, 3000) + "…" : text)));
            System.out.println("--- exit " + r.code() + ", stdout\n" + r.out() + "--- stderr\n" + r.err());
            for (Failure fl : f.judge(c, r)) System.out.println("FAILURE " + fl.signature() + ": " + fl.detail());
            if (save != null) { Files.createDirectories(save); c.save(save.resolve("case-" + seed + "-" + one + ".json"), "", false, ""); }
            System.exit(0);
        }
        long t0 = System.nanoTime();
        Summary s = f.runMany(g, seed, from, from + cases, threads, save);
        System.out.print(s.render());
        System.out.printf("seed %d, cases %d..%d, %.1f s%n", seed, from, from + cases - 1, (System.nanoTime() - t0) / 1e9);
        deleteTree(work);
        System.exit(s.failed.get() == 0 ? 0 : 1);
    }
}

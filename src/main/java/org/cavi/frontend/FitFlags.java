package org.cavi.frontend;

import org.cavi.infer.Engine;
import org.cavi.infer.EngineChoice;
import org.cavi.infer.FitOptions;
import picocli.CommandLine.Option;

/** Options of a fit, shared by `cavi run` and the REPL's :run (a picocli mixin). */
public final class FitFlags {
    @Option(names = "--seed", paramLabel = "N", description = "Random seed of the initialisations (default: ${DEFAULT-VALUE}).")
    long seed = FitOptions.DEFAULT_SEED;

    @Option(names = "--restarts", paramLabel = "R", description = "Restarts; the best ELBO is kept (default: ${DEFAULT-VALUE}).")
    int restarts = FitOptions.DEFAULT_RESTARTS;

    @Option(names = "--max-iter", paramLabel = "M", description = "Maximum sweeps per restart (default: ${DEFAULT-VALUE}).")
    int maxIter = FitOptions.DEFAULT_MAX_ITER;

    @Option(names = "--tol", paramLabel = "T", description = "Stop when |ΔELBO| ≤ T·|ELBO|; below the ELBO's rounding (T = 0), at the rounding limit (default: ${DEFAULT-VALUE}).")
    double tol = FitOptions.DEFAULT_TOL;

    @Option(names = "--threads", paramLabel = "N", description = "Threads of a sweep (default: all cores, ${DEFAULT-VALUE} here). "
            + "The result is the same, bit for bit, for any N.")
    int threads = org.cavi.infer.Parallel.defaultThreads();

    @Option(names = "--engine", paramLabel = "NAME", description = "Where the sweeps' passes run: local (default) or spark "
            + "(needs the Spark module: see the README's \"Running on a cluster\"). The result is the same, bit for bit.")
    String engine = EngineChoice.LOCAL;

    @Option(names = "--master", paramLabel = "URL", description = "With --engine spark: the Spark master, local[*], local[N], "
            + "spark://HOST:PORT, yarn or k8s://HOST:PORT (default: what spark-submit set, else local[*]).")
    String master;

    @Option(names = "--partitions", paramLabel = "P", description = "With --engine spark: the partitions the data's "
            + MAX_PARTITIONS_TEXT + " blocks are spread over, 1 to " + MAX_PARTITIONS_TEXT + " (default: Spark's default parallelism).")
    int partitions;

    private static final String MAX_PARTITIONS_TEXT = "64";

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    @Option(names = "--assignments", paramLabel = "FILE", description = "Also write each point's most probable component "
            + "(numbered as in the output, by posterior mean) and its probability to FILE as CSV.")
    java.nio.file.Path assignments;

    @Option(names = "--plot", paramLabel = "FILE", description = "Also draw the fit to FILE.png or FILE.svg: "
            + "the data with the fitted components, and the ELBO trace.")
    java.nio.file.Path plot;

    @Option(names = "--animate", paramLabel = "FILE", description = "Also write the fit sweep by sweep to FILE.gif: "
            + "the best restart from its start, a frame per sweep (at most 200).")
    java.nio.file.Path animate;

    @Option(names = "--snapshots", paramLabel = "FILE", description = "Also draw the best restart at the sweeps of --at "
            + "side by side to FILE.png or FILE.svg.")
    java.nio.file.Path snapshots;

    @Option(names = "--at", paramLabel = "SWEEPS", description = "The sweeps --snapshots draws: numbers from 0 (the start) "
            + "and 'last', separated by commas, at most 16 (default: 0,1,5,last, those the fit made).")
    String at;

    /** The sweeps --snapshots draws by default; those past the fit's last sweep are left out. */
    public static final String DEFAULT_AT = "0,1,5,last";

    /** The options, or why they are out of range. */
    public String validate() {
        if (restarts < 1) return "--restarts must be at least 1, not " + restarts;
        if (threads < 1 || threads > 1024) return "--threads must be from 1 to 1024, not " + threads;
        if (!EngineChoice.LOCAL.equals(engine) && !EngineChoice.SPARK.equals(engine)) {
            return "--engine must be local or spark, not " + engine;
        }
        if (master != null && !EngineChoice.SPARK.equals(engine)) return "--master is for --engine spark";
        if (partitions != 0 && !EngineChoice.SPARK.equals(engine)) return "--partitions is for --engine spark";
        if (master != null && !MASTER.matcher(master).matches()) {
            return "--master must be local, local[N], local[*], local[N,F], spark://HOST:PORT, yarn or k8s://HOST:PORT, not " + master;
        }
        if (partitions < 0 || partitions > Engine.BLOCKS) return "--partitions must be from 1 to " + Engine.BLOCKS + ", not " + partitions;
        if (maxIter < 1) return "--max-iter must be at least 1, not " + maxIter;
        if (!(tol >= 0) || Double.isInfinite(tol)) return "--tol must be a finite number ≥ 0, not "
                + (tol == Math.rint(tol) && Math.abs(tol) < 1e15 ? Long.toString((long) tol) : Double.toString(tol));
        for (java.nio.file.Path out : new java.nio.file.Path[] {plot, assignments, animate, snapshots}) {
            if (out == null) continue;
            java.nio.file.Path dir = out.toAbsolutePath().getParent();
            if (dir != null && !java.nio.file.Files.isDirectory(dir)) {
                return (out == plot ? "--plot " : out == assignments ? "--assignments " : out == animate ? "--animate " : "--snapshots ")
                        + out + ": no such directory " + dir;
            }
        }
        if (plot != null) {
            String f = plot.getFileName() == null ? "" : plot.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            if (!f.endsWith(".png") && !f.endsWith(".svg")) return "--plot " + plot + ": the file must end in .png or .svg";
        }
        if (animate != null && !name(animate).endsWith(".gif")) return "--animate " + animate + ": the file must end in .gif";
        if (snapshots != null && !name(snapshots).endsWith(".png") && !name(snapshots).endsWith(".svg")) {
            return "--snapshots " + snapshots + ": the file must end in .png or .svg";
        }
        if (at != null && snapshots == null) return "--at chooses the sweeps of --snapshots FILE, which is not given";
        if (at != null && at.isBlank()) return "--at needs at least one sweep: whole numbers from 0 (the start) or 'last', separated by commas";
        if (at != null) {
            String[] items = at.split(",", -1);
            if (items.length > 16) return "--at " + at + ": at most 16 sweeps, not " + items.length;
            for (String item : items) {
                String w = item.strip();
                if (w.equals("last")) continue;
                if (!w.matches("[0-9]+")) {
                    return "--at " + at + ": '" + w + "' is not a sweep; give whole numbers from 0 (the start) or 'last', separated by commas";
                }
                if (w.length() > 9 || Integer.parseInt(w) > maxIter) {
                    return "--at " + at + ": sweep " + w + " is past --max-iter " + maxIter + ", the most a restart sweeps";
                }
            }
        }
        return null;
    }

    /** The master URLs Spark takes. */
    private static final java.util.regex.Pattern MASTER = java.util.regex.Pattern.compile(
            "local|local\\[(\\*|[1-9][0-9]*)(,[0-9]+)?\\]|local-cluster\\[[0-9]+, *[0-9]+, *[0-9]+\\]"
                    + "|spark://[^\\s]+|yarn|k8s://[^\\s]+");

    /** Where the passes run. */
    public EngineChoice engine() { return new EngineChoice(engine, java.util.Optional.ofNullable(master), partitions); }

    private static String name(java.nio.file.Path file) {
        return file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The sweeps --snapshots draws of a best restart that stopped after {@code last} sweeps,
     * ascending and each once: --at's (validated), or the default's that the fit made. Sweeps of
     * --at past {@code last} are in it; {@link #pastLast} says so.
     */
    public int[] at(int last) {
        java.util.TreeSet<Integer> out = new java.util.TreeSet<>();
        for (String item : (at == null ? DEFAULT_AT : at).split(",")) {
            int t = item.strip().equals("last") ? last : Integer.parseInt(item.strip());
            if (at != null || t <= last) out.add(t);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Why --at cannot be drawn from a best restart that stopped after {@code last} sweeps, if it cannot. */
    public java.util.Optional<String> pastLast(int last) {
        int[] sweeps = at(last);
        if (sweeps.length == 0 || sweeps[sweeps.length - 1] <= last) return java.util.Optional.empty();
        return java.util.Optional.of("--at " + at + ": the best restart stopped after " + last + " sweeps, before sweep "
                + sweeps[sweeps.length - 1] + "; give sweeps from 0 to " + last + ", or 'last'");
    }

    public boolean json() { return json; }

    public java.util.Optional<java.nio.file.Path> plot() { return java.util.Optional.ofNullable(plot); }

    public java.util.Optional<java.nio.file.Path> assignments() { return java.util.Optional.ofNullable(assignments); }

    public java.util.Optional<java.nio.file.Path> animate() { return java.util.Optional.ofNullable(animate); }

    public java.util.Optional<java.nio.file.Path> snapshots() { return java.util.Optional.ofNullable(snapshots); }

    public FitOptions options() { return new FitOptions(seed, restarts, maxIter, tol, threads); }
}

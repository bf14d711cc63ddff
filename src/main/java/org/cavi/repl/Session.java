package org.cavi.repl;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cavi.ast.Program;
import org.cavi.ast.Stmt;
import org.cavi.data.DataLoader;
import org.cavi.data.Points;
import org.cavi.driver.Driver;
import org.cavi.driver.FitService;
import org.cavi.driver.Outcome;
import org.cavi.driver.Problem;
import org.cavi.frontend.FitFlags;
import org.cavi.frontend.ModelOptions;
import org.cavi.infer.CaviState;
import org.cavi.infer.FitOptions;
import org.cavi.infer.FitResult;
import org.cavi.infer.Fitter;
import org.cavi.parse.Parser;
import org.cavi.plan.PlanPrinter;
import org.cavi.report.FitReport;
import org.cavi.source.Diagnostic;
import org.cavi.source.Diagnostics;
import org.cavi.source.SourceFile;
import picocli.CommandLine;

/**
 * The REPL's state and commands, apart from the terminal. Every input goes through the
 * same Driver as the command line; any error is printed and the state is kept.
 */
public final class Session {
    /** The commands, for :help and completion. */
    public static final Map<String, String> COMMANDS = commands();

    private static Map<String, String> commands() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(":load", ":load FILE           load a model file (replaces the session's model)");
        m.put(":data", ":data NAME=FILE[:COL] bind a data variable to a CSV file or one of its columns");
        m.put(":set", ":set NAME=VALUE       override a constant (K=6) or fix a latent (mu=[1,5,7,9,15])");
        m.put(":unset", ":unset NAME           remove an override");
        m.put(":run", ":run [--seed N] [--restarts R] [--max-iter M] [--tol T] [--json] [--set N=V] [--data N=F]   fit");
        m.put(":step", ":step                run one sweep from the current q; print the ELBO and the means");
        m.put(":plan", ":plan                print the CAVI plan");
        m.put(":derive", ":derive NAME         the derivation of one latent's update (all of them without NAME)");
        m.put(":trace", ":trace               the ELBO after each sweep so far");
        m.put(":plot", ":plot [FILE]         a histogram with the fitted density here, or the picture to FILE.png|svg");
        m.put(":show", ":show                print the current q");
        m.put(":model", ":model               print the session's model");
        m.put(":help", ":help                this list");
        m.put(":quit", ":quit                leave (Ctrl-D too)");
        return m;
    }

    /** One model statement as the user wrote it. */
    private record Entry(int order, String name, String text) {}

    private final PrintWriter out;
    private final PrintWriter err;
    private final Path workingDir;
    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, String> data = new LinkedHashMap<>();
    private final Map<String, String> sets = new LinkedHashMap<>();
    private SourceFile loaded;          // the file as loaded, while nothing has been typed over it
    private Path baseDir;
    private long seed = FitOptions.DEFAULT_SEED;

    // the current q, for :step and :show
    private Driver.Compiled fitted;
    private CaviState current;
    private Points fittedData;
    private List<Double> trace = new ArrayList<>();
    private boolean quit;

    public Session(PrintWriter out, PrintWriter err, Path workingDir) {
        this.out = out;
        this.err = err;
        this.workingDir = workingDir;
        this.baseDir = workingDir;
    }

    public boolean quitRequested() { return quit; }

    /** Whether typed model text is unfinished and needs another line. */
    public static boolean incomplete(String text) {
        String t = text.strip();
        if (t.isEmpty() || t.startsWith(":")) return false;
        return Parser.parseProgram(new SourceFile("<input>", text)).incomplete();
    }

    /** Handles one input: a :command or model text. Never throws for bad input. */
    public void handle(String input, AtomicBoolean cancel) {
        String line = input.strip();
        if (line.isEmpty()) return;
        try {
            if (line.startsWith(":")) command(line, cancel);
            else define(input);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            err.println("internal error: " + e + " (the session goes on)");
        }
        out.flush();
        err.flush();
    }

    private void command(String line, AtomicBoolean cancel) {
        String[] parts = line.split("\\s+", 2);
        String cmd = parts[0];
        String arg = parts.length > 1 ? parts[1].strip() : "";
        switch (cmd) {
            case ":load" -> load(arg);
            case ":data" -> bindData(arg);
            case ":set" -> set(arg);
            case ":unset" -> unset(arg);
            case ":run" -> run(arg, cancel);
            case ":step" -> step();
            case ":plan" -> plan();
            case ":derive" -> derive(arg);
            case ":trace" -> trace();
            case ":plot" -> plot(arg);
            case ":show" -> show();
            case ":model" -> out.print(source().text().isEmpty() ? "(no model yet: :load FILE or type statements)\n" : source().text());
            case ":help" -> help();
            case ":quit", ":q", ":exit" -> quit = true;
            default -> err.println("error: unknown command " + cmd + "; :help lists the commands");
        }
    }

    private void help() {
        out.println("commands:");
        for (String h : COMMANDS.values()) out.println("  " + h);
        out.println("model statements typed at the prompt are added to the model;");
        out.println("one with the same name as an earlier one replaces it.");
    }

    // ---- the model -------------------------------------------------------

    private void define(String text) {
        SourceFile f = new SourceFile("<input>", text);
        Parser.Result<Program> r = Parser.parseProgram(f);
        if (!r.ok()) {
            err.print(Diagnostics.render(r.errors()));
            return;
        }
        for (Stmt s : r.value().orElseThrow().statements()) {
            String name = s.definedName();
            Entry e = new Entry(order(s), name, s.span().text());
            boolean replaced = false;
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).name().equals(name)) {
                    entries.set(i, e);
                    replaced = true;
                }
            }
            if (!replaced) entries.add(e);
            out.println((replaced ? "replaced " : "defined ") + describe(s));
        }
        loaded = null;
        forget();
    }

    private static String describe(Stmt s) {
        if (s instanceof Stmt.ModelDecl m) return "model " + m.name();
        if (s instanceof Stmt.Joint j) return "joint factor " + j.span().text();
        if (s instanceof Stmt.ConstDecl c) return "constant " + c.name();
        if (s instanceof Stmt.DataDecl d) return "data " + d.name();
        return ((Stmt.Tilde) s).target().span().text();
    }

    private static int order(Stmt s) {
        if (s instanceof Stmt.ModelDecl) return 0;
        if (s instanceof Stmt.ConstDecl) return 1;
        if (s instanceof Stmt.DataDecl) return 2;
        if (s instanceof Stmt.Joint) return 4;
        return 3;
    }

    /** The model: the loaded file as it is, or the statements in order of kind (constants keep theirs). */
    private SourceFile source() {
        if (loaded != null) return loaded;
        StringBuilder text = new StringBuilder();
        entries.stream().sorted(java.util.Comparator.comparingInt(Entry::order))
                .forEach(e -> text.append(e.text()).append('\n'));
        return new SourceFile("<session>", text.toString());
    }

    private void load(String arg) {
        if (arg.isEmpty()) { err.println("error: :load needs a FILE"); return; }
        Path file = workingDir.resolve(arg);
        Outcome<SourceFile> read = Driver.readModel(file, arg);
        if (!read.ok()) {
            err.print(read.problem().orElseThrow().render());
            err.println("the session's model is unchanged");
            return;
        }
        SourceFile f = new SourceFile(arg, read.get().text());
        Parser.Result<Program> r = Parser.parseProgram(f);
        if (!r.ok()) {
            err.print(Diagnostics.render(r.errors()));
            err.println("the session's model is unchanged");
            return;
        }
        entries.clear();
        for (Stmt s : r.value().orElseThrow().statements()) entries.add(new Entry(order(s), s.definedName(), s.span().text()));
        loaded = f;
        baseDir = file.toAbsolutePath().getParent();
        forget();
        Outcome<Driver.Compiled> c = compile(true);
        if (c.ok()) {
            out.println("loaded model " + c.get().plan().model() + " (" + c.get().plan().pattern() + ", K = "
                    + c.get().plan().mixture().k() + ") from " + arg);
        } else {
            out.println("loaded " + arg + "; it does not compile yet:");
        }
        report(c);
    }

    private void bindData(String arg) {
        Outcome<Map<String, String>> b = Driver.dataBindings(List.of(arg));
        if (!b.ok()) { report(b); return; }
        Map.Entry<String, String> e = b.get().entrySet().iterator().next();
        // as many columns as the model's data take, when there is a model that uses these data
        int d = 1;
        if (!entries.isEmpty()) {
            Outcome<Driver.Compiled> c = Driver.compile(request(false));
            if (c.ok() && c.get().plan().mixture().data().equals(e.getKey())) d = c.get().plan().mixture().dimension();
        }
        DataLoader.Loaded l = DataLoader.load(DataLoader.Source.parse(e.getValue(), workingDir), d);
        if (!l.ok()) { err.println("error: " + l.error().message()); return; }
        data.put(e.getKey(), e.getValue());
        forget();
        out.println("bound " + e.getKey() + " to " + e.getValue() + " (" + l.points().size() + " values)");
    }

    private void set(String arg) {
        int eq = arg.indexOf('=');
        String name = eq > 0 ? arg.substring(0, eq).strip() : arg;
        String previous = sets.get(name);
        boolean compiledBefore = !entries.isEmpty() && compile(false).ok();
        sets.put(name, eq > 0 ? arg.substring(eq + 1).strip() : "");
        Outcome<Driver.Compiled> c = compile(false);
        // a bad override is refused, unless the model was broken already
        if (!c.ok() && (compiledBefore || c.problem().orElseThrow() instanceof Problem.BadUsage)) {
            if (previous == null) sets.remove(name); else sets.put(name, previous);
            report(c);
            err.println("the override is not kept");
            return;
        }
        forget();
        out.println("set " + name + " = " + sets.get(name));
        if (!c.ok()) report(c);
    }

    private void unset(String name) {
        if (sets.remove(name) == null) { err.println("error: " + name + " is not set"); return; }
        forget();
        out.println("unset " + name);
    }

    /** The model changed: the current q no longer belongs to it. */
    private void forget() {
        fitted = null;
        current = null;
        trace = new ArrayList<>();
    }

    private Driver.Request request(boolean requireData) {
        return request(requireData, Map.of(), List.of());
    }

    /** The session's request, with one-off --data and --set of a :run on top. */
    private Driver.Request request(boolean requireData, Map<String, String> extraData, List<String> extraSets) {
        Map<String, String> allData = new LinkedHashMap<>(data);
        allData.putAll(extraData);
        Map<String, String> allSets = new LinkedHashMap<>(sets);
        for (String s : extraSets) {
            int eq = s.indexOf('=');
            allSets.put(eq > 0 ? s.substring(0, eq).strip() : s, eq > 0 ? s.substring(eq + 1).strip() : "");
        }
        List<String> setList = new ArrayList<>();
        allSets.forEach((k, v) -> setList.add(k + "=" + v));
        return new Driver.Request(source(), baseDir, allData, setList, requireData);
    }

    private Outcome<Driver.Compiled> compile(boolean requireData) {
        return compile(request(requireData));
    }

    private Outcome<Driver.Compiled> compile(Driver.Request req) {
        if (entries.isEmpty()) {
            return Outcome.fail(new Problem.BadUsage("there is no model yet: :load FILE or type statements"));
        }
        return Driver.compile(req);
    }

    /** Prints warnings and any problem; says whether the outcome is ok. */
    private boolean report(Outcome<?> o) {
        for (Diagnostic w : o.warnings()) err.print(w.render());
        o.problem().ifPresent(p -> err.print(p.render()));
        return o.ok();
    }

    // ---- fitting ---------------------------------------------------------

    @CommandLine.Command(name = ":run")
    private static final class RunArgs {
        @CommandLine.Mixin FitFlags fit = new FitFlags();
        @CommandLine.Mixin ModelOptions model = new ModelOptions();
    }

    private void run(String arg, AtomicBoolean cancel) {
        RunArgs args = new RunArgs();
        try {
            new CommandLine(args).parseArgs(arg.isEmpty() ? new String[0] : arg.split("\\s+"));
        } catch (CommandLine.ParameterException e) {
            err.println("error: " + e.getMessage() + "; " + COMMANDS.get(":run"));
            return;
        }
        String bad = args.fit.validate();
        if (bad != null) { err.println("error: " + bad); return; }
        Outcome<Map<String, String>> oneOffData = Driver.dataBindings(args.model.data());
        if (!report(oneOffData)) return;
        Driver.Request req = request(true, oneOffData.get(), args.model.sets());
        Outcome<Driver.Compiled> c = compile(req);
        if (!report(c)) return;
        Outcome<FitService.Prepared> p = FitService.prepare(c.get(), req, workingDir);
        if (!report(p)) return;
        FitOptions options = args.fit.options();
        seed = options.seed();
        cancel.set(false);
        FitService.Fit f = FitService.fit(p.get(), options, cancel::get, Fitter.Listener.NONE);
        FitResult r = f.result();
        var nonFinite = FitService.nonFinite(f);
        if (nonFinite.isPresent()) { err.print(nonFinite.get().render()); return; }
        out.print(FitReport.of(r, f.mixture(), options, f.loadSeconds(), args.fit.json()));
        if (r.cancelled()) out.println("(cancelled: the best restart so far is kept)");
        if (r.iterations() > 0) {
            fitted = f.compiled();
            current = f.best();
            fittedData = f.data();
            trace = new ArrayList<>();
            for (double t : r.trace()) trace.add(t);
        }
    }

    private void step() {
        if (current == null) {
            Driver.Request req = request(true);
            Outcome<Driver.Compiled> c = compile(req);
            if (!report(c)) return;
            Outcome<FitService.Prepared> p = FitService.prepare(c.get(), req, workingDir);
            if (!report(p)) return;
            fitted = c.get();
            current = FitService.start(p.get(), seed, org.cavi.infer.Parallel.defaultThreads());
            fittedData = p.get().data();
            out.println("starting from the seeded initialisation of restart 1 (seed " + seed + ")");
        }
        org.cavi.family.Posterior before = current.posterior();
        double[] weightsBefore = trace.isEmpty() ? null : current.weights();
        double elbo = current.sweep();
        if (!trace.isEmpty() && elbo < trace.get(trace.size() - 1) - 1e-9 * Math.abs(elbo)) {
            err.println("warning: the ELBO decreased; this is a bug, please report it");
        }
        String change = trace.isEmpty() ? "" : String.format(java.util.Locale.ROOT, "   (%+.6f)", elbo - trace.get(trace.size() - 1));
        trace.add(elbo);
        out.println(FitReport.sweepLine(trace.size(), elbo) + change);
        out.println("what this sweep changed, old → new:");
        out.print(FitReport.changeTable(fitted.plan().mixture(), before, current.posterior(), current.key(),
                weightsBefore, current.weights()));
    }

    private void trace() {
        if (trace.isEmpty()) {
            out.println("no sweeps yet: :run or :step");
            return;
        }
        out.printf("%6s  %s%n", "sweep", "ELBO");
        for (int t = 0; t < trace.size(); t++) out.println(FitReport.sweepLine(t + 1, trace.get(t)));
        out.println("ELBO " + FitReport.sparkline(trace.stream().mapToDouble(Double::doubleValue).toArray()));
    }

    /** The current q as a result, for pictures. */
    private FitResult currentResult() {
        double[] t = trace.stream().mapToDouble(Double::doubleValue).toArray();
        return FitResult.sorted(fitted.plan().model(), (int) (fittedData.size() / fitted.plan().mixture().dimension()),
                fitted.plan().mixture().k(), t.length == 0 ? Double.NaN : t[t.length - 1], t.length, false, 1, t.length, 0,
                t, current.posterior(), current.key(), current.weights(), false);
    }

    private void plot(String arg) {
        if (current == null || trace.isEmpty()) {
            out.println("nothing fitted yet: :run or :step");
            return;
        }
        if (arg.isEmpty()) {
            out.print(org.cavi.report.TextPlot.histogram(fitted.plan().mixture(), fittedData, currentResult(), 64, 14));
            return;
        }
        java.nio.file.Path file = workingDir.resolve(arg);
        Optional<String> bad = org.cavi.report.Plots.write(file, fitted.plan().mixture(), fittedData, currentResult());
        if (bad.isPresent()) err.println("error: " + bad.get());
        else out.println("plot written to " + arg);
    }

    private void derive(String name) {
        Outcome<Driver.Compiled> c = compile(false);
        if (!report(c)) return;
        var plan = c.get().plan();
        Optional<String> which = name.isEmpty() ? Optional.empty() : Optional.of(name);
        if (which.isPresent() && org.cavi.plan.DerivationPrinter.select(plan, which).isEmpty()) {
            err.println("error: the plan updates no latent " + name + "; it updates "
                    + String.join(", ", plan.derivations().stream().map(d -> d.latent()).toList()));
            return;
        }
        out.print(org.cavi.plan.DerivationPrinter.text(plan, which));
    }

    private void show() {
        if (current == null) {
            out.println("nothing fitted yet: :run or :step");
            return;
        }
        out.println("q after " + trace.size() + " sweeps, ELBO " + String.format(java.util.Locale.ROOT, "%.6f",
                trace.get(trace.size() - 1)));
        printQ();
    }

    private void printQ() {
        out.print(FitReport.componentTable(fitted.plan().mixture(), FitResult.sortedPosterior(current),
                FitResult.sortedWeights(current)));
    }

    private void plan() {
        Outcome<Driver.Compiled> c = compile(false);
        if (report(c)) out.print(PlanPrinter.text(c.get().plan()));
    }
}

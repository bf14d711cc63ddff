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
import org.cavi.frontend.DataFormatOptions;
import org.cavi.frontend.FitFlags;
import org.cavi.frontend.ModelOptions;
import org.cavi.infer.CaviState;
import org.cavi.infer.FitOptions;
import org.cavi.infer.FitResult;
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
        m.put(":load", ":load FILE           load a model file: a fresh session's model, without the old overrides and data");
        m.put(":data", ":data NAME=FILE[:COL] [--no-header] [--delimiter C]  bind a data variable to a CSV file or one of its columns");
        m.put(":set", ":set [NAME=VALUE]    override a constant (K=6) or fix a latent (mu=[1,5,7,9,15]); alone, list the overrides");
        m.put(":unset", ":unset NAME           remove an override or a data binding");
        m.put(":reset", ":reset               back to an empty session (no model, overrides or data)");
        m.put(":run", ":run [OPTIONS]       fit, with cavi run's options: --seed N --restarts R --max-iter M --tol T --threads N\n"
                + "                       --json --plot FILE --assignments FILE --animate FILE.gif --snapshots FILE --at SWEEPS,\n"
                + "                       and --set N=V --data N=F for this run only");
        m.put(":step", ":step                run one sweep from the current q; print the ELBO and the means");
        m.put(":plan", ":plan                print the CAVI plan");
        m.put(":derive", ":derive NAME         the derivation of one latent's update (all of them without NAME)");
        m.put(":trace", ":trace [--terms]     the ELBO after each sweep so far; --terms: each of its terms too");
        m.put(":plot", ":plot [FILE]         a histogram with the fitted density here, or the picture to FILE.png|svg");
        m.put(":show", ":show                print the current q");
        m.put(":model", ":model               print the session's model");
        m.put(":help", ":help                this list (help, quit and exit work without the colon too)");
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
    /** The layout of the bound data files, from the last :data (--no-header, --delimiter). */
    private DataLoader.Format dataFormat = DataLoader.Format.DEFAULT;
    private final Map<String, String> sets = new LinkedHashMap<>();
    private SourceFile loaded;          // the file as loaded, while nothing has been typed over it
    private Path baseDir;
    private long seed = FitOptions.DEFAULT_SEED;

    // the current q, for :step and :show
    private Driver.Compiled fitted;
    private CaviState current;
    private Points fittedData;
    private List<Double> trace = new ArrayList<>();
    /** The ELBO's terms after each sweep of {@link #trace}, as the plan names them. */
    private List<Map<String, Double>> termTrace = new ArrayList<>();
    /** A :run whose best restart's terms are not in {@link #termTrace} yet: they are made when asked for. */
    private FitService.Fit unreplayed;
    private boolean quit;

    // where the input comes from: a script's name and the line of the input being handled
    private final String script;
    private int line;
    private int exitCode;

    /** An interactive session: errors are "error: MESSAGE". */
    public Session(PrintWriter out, PrintWriter err, Path workingDir) {
        this(out, err, workingDir, null);
    }

    /** A session reading SCRIPT (null: the terminal): errors are "SCRIPT:LINE: error: MESSAGE". */
    public Session(PrintWriter out, PrintWriter err, Path workingDir, String script) {
        this.out = out;
        this.err = err;
        this.workingDir = workingDir;
        this.baseDir = workingDir;
        this.script = script;
    }

    public boolean quitRequested() { return quit; }

    /** 0, or the exit code of the first error (2 a bad command or option, 65 a bad model or data, 70 a bug). */
    public int exitCode() { return exitCode; }

    /** The one format of the REPL's errors. */
    private void error(int code, String message) {
        if (exitCode == 0) exitCode = code;
        err.println((script == null ? "" : script + ":" + line + ": ") + "error: " + message);
    }

    /** The words that are commands without their colon, at the prompt (not inside a pending statement). */
    static final Map<String, String> BARE = Map.of("quit", ":quit", "exit", ":quit", "help", ":help");

    /**
     * Whether typed model text is unfinished and needs another line. A line starting with ':'
     * ends it: that line is a command, and the unfinished text before it is discarded.
     */
    public static boolean incomplete(String text) {
        String t = text.strip();
        if (t.isEmpty() || t.startsWith(":") || BARE.containsKey(t)) return false;
        String[] lines = t.split("\n");
        if (lines[lines.length - 1].strip().startsWith(":")) return false;
        return Parser.parseProgram(new SourceFile("<input>", text)).incomplete();
    }

    /** Handles one input: a :command or model text. Never throws for bad input. */
    public void handle(String input, AtomicBoolean cancel) {
        handle(input, cancel, 1);
    }

    /** Handles one input that starts on line LINE of the script. */
    public void handle(String input, AtomicBoolean cancel, int line) {
        this.line = line;
        String text = input.strip();
        if (text.isEmpty()) return;
        try {
            String[] lines = input.split("\n");
            int last = lines.length - 1;
            while (last > 0 && lines[last].isBlank()) last--;
            String command = lines[last].strip();
            if (BARE.containsKey(text)) {
                command(BARE.get(text), cancel);
            } else if (command.startsWith(":")) {
                // a line starting with ':' is always a command; unfinished text before it is dropped, and said so
                int first = 0;
                while (first < last && lines[first].isBlank()) first++;
                if (first < last) {
                    this.line = line + first;
                    error(Problem.EXIT_DATA, "unfinished statement discarded: " + lines[first].strip()
                            + (last - first > 1 ? " … (" + org.cavi.source.Plural.of(last - first, "line") + ")" : ""));
                }
                this.line = line + last;
                command(command, cancel);
            } else {
                define(input);
            }
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            error(70, "internal error (a bug; please report it): " + e + "; the session goes on");
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
            case ":reset" -> reset();
            case ":run" -> run(arg, cancel);
            case ":step" -> step();
            case ":plan" -> plan();
            case ":derive" -> derive(arg);
            case ":trace" -> trace(arg);
            case ":plot" -> plot(arg);
            case ":show" -> show();
            case ":model" -> out.print(source().text().isEmpty() ? "(no model yet: :load FILE or type statements)\n" : source().text());
            case ":help" -> help();
            case ":quit", ":q", ":exit" -> quit = true;
            default -> error(2, "unknown command " + cmd + "; :help lists the commands");
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
        // in a script, typed text is located at its own line of the script
        SourceFile f = script == null ? new SourceFile("<input>", text) : new SourceFile(script, "\n".repeat(line - 1) + text);
        Parser.Result<Program> r = Parser.parseProgram(f);
        if (!r.ok()) {
            if (exitCode == 0) exitCode = Problem.EXIT_DATA;
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
        if (arg.isEmpty()) { error(2, ":load needs a FILE"); return; }
        Path file = workingDir.resolve(arg);
        Outcome<SourceFile> read = Driver.readModel(file, arg);
        if (!read.ok()) {
            fail(read.problem().orElseThrow(), "; the session's model is unchanged");
            return;
        }
        SourceFile f = new SourceFile(arg, read.get().text());
        Parser.Result<Program> r = Parser.parseProgram(f);
        if (!r.ok()) {
            fail(new Problem.SourceErrors(r.errors()), "; the session's model is unchanged");
            return;
        }
        List<Entry> fresh = new ArrayList<>();
        for (Stmt s : r.value().orElseThrow().statements()) fresh.add(new Entry(order(s), s.definedName(), s.span().text()));
        Path dir = file.toAbsolutePath().getParent();
        // the file is checked on its own, without the session's overrides and data, before anything changes
        Outcome<Driver.Compiled> c = Driver.compile(new Driver.Request(f, dir, Map.of(), List.of(), false));
        if (!report(c, "; the session's model is unchanged")) return;
        List<String> dropped = new ArrayList<>();
        sets.forEach((k, v) -> dropped.add("override " + k + "=" + v));
        data.forEach((k, v) -> dropped.add("data binding " + k + "=" + v));
        entries.clear();
        entries.addAll(fresh);
        dataFormat = DataLoader.Format.DEFAULT;
        loaded = f;
        baseDir = dir;
        sets.clear();
        data.clear();
        forget();
        if (!dropped.isEmpty()) out.println("dropped the previous model's " + and(dropped));
        out.println("loaded model " + c.get().plan().model() + " (" + c.get().plan().pattern() + ", K = "
                + c.get().plan().mixture().k() + ") from " + arg);
        // a model whose data are bound later, with :data
        Outcome<Driver.Compiled> runnable = compile(true);
        if (!runnable.ok() && runnable.problem().orElseThrow() instanceof Problem.BadUsage u) out.println("before :run: " + u.message());
    }

    private static String and(List<String> items) {
        if (items.size() == 1) return items.get(0);
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    /** The data variables the session's model declares. */
    private List<String> declaredData() {
        return entries.stream().filter(e -> e.order() == 2).map(Entry::name).toList();
    }

    @CommandLine.Command(name = ":data")
    private static final class DataArgs {
        @CommandLine.Parameters(arity = "1", paramLabel = "NAME=FILE[:COLUMN]") String binding;
        @CommandLine.Mixin DataFormatOptions format = new DataFormatOptions();
    }

    private void bindData(String arg) {
        DataArgs args = new DataArgs();
        try {
            new CommandLine(args).parseArgs(arg.isEmpty() ? new String[0] : arg.split("\\s+"));
        } catch (CommandLine.ParameterException ex) {
            error(2, org.cavi.frontend.UsageError.describe(ex) + "; :data NAME=FILE[:COLUMN] [--no-header] [--delimiter C]");
            return;
        }
        String badFormat = args.format.validate();
        if (badFormat != null) { error(2, badFormat); return; }
        DataLoader.Format format = args.format.format();
        Outcome<Map<String, String>> b = Driver.dataBindings(List.of(args.binding));
        if (!report(b)) return;
        Map.Entry<String, String> e = b.get().entrySet().iterator().next();
        List<String> declared = declaredData();
        if (!declared.contains(e.getKey())) {
            error(2, declared.isEmpty()
                    ? "the session's model declares no data yet; :load a model or declare data " + e.getKey() + "[n] first"
                    : "the model declares no data variable '" + e.getKey() + "'; it declares " + String.join(", ", declared));
            return;
        }
        // as many columns as the model's data take, when there is a model that uses these data
        int d = 1;
        Outcome<Driver.Compiled> c = Driver.compile(request(false));
        if (c.ok() && c.get().plan().mixture().data().equals(e.getKey())) d = c.get().plan().mixture().dimension();
        DataLoader.Loaded l = DataLoader.load(DataLoader.Source.parse(e.getValue(), workingDir), d, format);
        if (!l.ok()) { error(Problem.EXIT_DATA, l.error().message()); return; }
        data.put(e.getKey(), e.getValue());
        dataFormat = format;
        forget();
        out.println("bound " + e.getKey() + " to " + e.getValue() + " (" + org.cavi.source.Plural.of(l.points().size(), "value") + ")");
    }

    private void set(String arg) {
        if (arg.isEmpty()) { listSettings(); return; }
        int eq = arg.indexOf('=');
        if (eq <= 0) { error(2, ":set needs NAME=VALUE, e.g. :set K=3 (:set alone lists the overrides)"); return; }
        String name = arg.substring(0, eq).strip();
        String value = arg.substring(eq + 1).strip();
        boolean compiledBefore = !entries.isEmpty() && compile(false).ok();
        // the override is tried on a copy and kept only if the model takes it
        Outcome<Driver.Compiled> c = compile(false, Map.of(), List.of(name + "=" + value));
        if (!c.ok() && (compiledBefore || c.problem().orElseThrow() instanceof Problem.BadUsage)) {
            report(c, "; the override is not kept");
            return;
        }
        sets.put(name, value);
        forget();
        out.println("set " + name + " = " + value);
        if (!c.ok()) report(c);
    }

    private void listSettings() {
        if (sets.isEmpty() && data.isEmpty()) {
            out.println("no overrides and no data bindings");
            return;
        }
        if (!sets.isEmpty()) {
            out.println("overrides:");
            sets.forEach((k, v) -> out.println("  " + k + " = " + v));
        }
        if (!data.isEmpty()) {
            out.println("data bindings:");
            data.forEach((k, v) -> out.println("  " + k + " = " + v + formatText(dataFormat)));
        }
    }

    /** The options that give this layout, as the user typed them: "" for the default. */
    private static String formatText(DataLoader.Format f) {
        String text = (f.header() ? "" : " --no-header")
                + (f.delimiter() == 0 ? "" : " --delimiter " + (f.delimiter() == '\t' ? "tab" : String.valueOf(f.delimiter())));
        return text.isEmpty() ? "" : "  (" + text.strip() + ")";
    }

    private void unset(String name) {
        if (name.isEmpty()) { error(2, ":unset needs a NAME (:set lists the overrides and data bindings)"); return; }
        String what = sets.remove(name) != null ? "override" : data.remove(name) != null ? "data binding" : null;
        if (what == null) {
            error(2, name + " is not set and not bound to data" + (sets.isEmpty() && data.isEmpty() ? ""
                    : "; set: " + String.join(", ", sets.keySet()) + (data.isEmpty() ? "" : "; bound: " + String.join(", ", data.keySet()))));
            return;
        }
        if (data.isEmpty()) dataFormat = DataLoader.Format.DEFAULT;
        forget();
        out.println("unset " + name + " (" + what + ")");
    }

    /** Back to an empty session. */
    private void reset() {
        entries.clear();
        data.clear();
        dataFormat = DataLoader.Format.DEFAULT;
        sets.clear();
        loaded = null;
        baseDir = workingDir;
        seed = FitOptions.DEFAULT_SEED;
        forget();
        out.println("reset: the session is empty");
    }

    /** The model changed: the current q no longer belongs to it. */
    private void forget() {
        fitted = null;
        current = null;
        trace = new ArrayList<>();
        termTrace = new ArrayList<>();
        unreplayed = null;
    }

    private Driver.Request request(boolean requireData) {
        return request(requireData, Map.of(), List.of());
    }

    /** The session's request, with one-off --data and --set of a :run on top. */
    private Driver.Request request(boolean requireData, Map<String, String> extraData, List<String> extraSets) {
        return request(requireData, extraData, extraSets, dataFormat);
    }

    /** As above, with the layout of the data files (a :run's own --no-header or --delimiter). */
    private Driver.Request request(boolean requireData, Map<String, String> extraData, List<String> extraSets,
                                   DataLoader.Format format) {
        Map<String, String> allData = new LinkedHashMap<>(data);
        allData.putAll(extraData);
        Map<String, String> allSets = new LinkedHashMap<>(sets);
        for (String s : extraSets) {
            int eq = s.indexOf('=');
            allSets.put(eq > 0 ? s.substring(0, eq).strip() : s, eq > 0 ? s.substring(eq + 1).strip() : "");
        }
        List<String> setList = new ArrayList<>();
        allSets.forEach((k, v) -> setList.add(k + "=" + v));
        return new Driver.Request(source(), baseDir, allData, setList, requireData, format);
    }

    private Outcome<Driver.Compiled> compile(boolean requireData) {
        return compile(request(requireData));
    }

    private Outcome<Driver.Compiled> compile(boolean requireData, Map<String, String> extraData, List<String> extraSets) {
        return compile(request(requireData, extraData, extraSets));
    }

    private Outcome<Driver.Compiled> compile(Driver.Request req) {
        if (entries.isEmpty()) {
            return Outcome.fail(new Problem.BadUsage("there is no model yet: :load FILE or type statements"));
        }
        return Driver.compile(req);
    }

    /** Prints warnings and any problem; says whether the outcome is ok. */
    private boolean report(Outcome<?> o) {
        return report(o, "");
    }

    /** The same, with TAIL after the problem's message. */
    private boolean report(Outcome<?> o, String tail) {
        for (Diagnostic w : o.warnings()) err.print(w.render());
        o.problem().ifPresent(p -> fail(p, tail));
        return o.ok();
    }

    /** A problem in the one format: located diagnostics as they are, then one error line. */
    private void fail(Problem p, String tail) {
        if (p instanceof Problem.SourceErrors s) {
            err.print(Diagnostics.render(s.diagnostics()));
            String file = s.diagnostics().isEmpty() ? "the model" : s.diagnostics().get(0).span().file().name();
            error(s.exitCode(), (file.startsWith("<") ? "the model" : file) + " has "
                    + org.cavi.source.Plural.of(s.diagnostics().stream().filter(Diagnostic::isError).count(), "error") + tail);
        } else if (p instanceof Problem.BadData d) {
            error(d.exitCode(), d.message() + tail);
        } else if (p instanceof Problem.BadUsage u) {
            error(u.exitCode(), u.message() + tail);
        }
    }

    // ---- fitting ---------------------------------------------------------

    @CommandLine.Command(name = ":run")
    private static final class RunArgs {
        @CommandLine.Mixin FitFlags fit = new FitFlags();
        @CommandLine.Mixin ModelOptions model = new ModelOptions();
        @CommandLine.Mixin DataFormatOptions format = new DataFormatOptions();
    }

    private void run(String arg, AtomicBoolean cancel) {
        RunArgs args = new RunArgs();
        try {
            new CommandLine(args).parseArgs(arg.isEmpty() ? new String[0] : arg.split("\\s+"));
        } catch (CommandLine.ParameterException e) {
            error(2, org.cavi.frontend.UsageError.describe(e) + "; :help lists :run's options");
            return;
        }
        String bad = args.fit.validate() != null ? args.fit.validate() : args.format.validate();
        if (bad != null) { error(2, bad); return; }
        Outcome<Map<String, String>> oneOffData = Driver.dataBindings(args.model.data());
        if (!report(oneOffData)) return;
        // a :run's own layout applies to its own --data; the session's files keep theirs
        DataLoader.Format format = args.model.data().isEmpty() ? dataFormat : args.format.format();
        Driver.Request req = request(true, oneOffData.get(), args.model.sets(), format);
        Outcome<Driver.Compiled> c = compile(req);
        if (!report(c)) return;
        Outcome<FitService.Prepared> p = FitService.prepare(c.get(), req, workingDir, args.fit.engine());
        if (!report(p)) return;
        try {
            fit(args, p.get(), cancel);
        } finally {
            // data an engine read where they lie are let go unless the session keeps them for :step, :plot, …
            if (fittedData != p.get().data()) p.get().close();
        }
    }

    private void fit(RunArgs args, FitService.Prepared prepared, AtomicBoolean cancel) {
        FitOptions options = args.fit.options();
        seed = options.seed();
        cancel.set(false);
        Outcome<FitService.Fit> outcome;
        // the progress line of cavi run, on a terminal, for a fit longer than about 2 s
        try (org.cavi.report.Progress progress = org.cavi.report.Progress.onTerminal(err)) {
            outcome = FitService.fit(prepared, options, args.fit.engine(), cancel::get, progress);
        }
        if (!report(outcome)) return;
        FitService.Fit f = outcome.get();
        FitResult r = f.result();
        out.print(FitReport.of(r, f.mixture(), options, f.loadSeconds(), args.fit.json()));
        if (r.cancelled()) out.println("(cancelled: the best restart so far is kept)");
        if (r.iterations() > 0) {
            fitted = f.compiled();
            current = f.best();
            hold(f.data());
            trace = new ArrayList<>();
            for (double t : r.trace()) trace.add(t);
            termTrace = new ArrayList<>();
            unreplayed = f;
        }
        // the files of cavi run's --assignments and --plot, written and announced as it does
        if (args.fit.assignments().isPresent()) {
            Optional<String> unwritten = org.cavi.report.Assignments.write(args.fit.assignments().get(), f.best(), out);
            if (unwritten.isPresent()) error(Problem.EXIT_DATA, unwritten.get());
            else if (!args.fit.json() && !args.fit.assignments().get().toString().equals("-")) {
                out.println("assignments written to " + args.fit.assignments().get());
            }
        }
        if (args.fit.plot().isPresent()) {
            Optional<String> unwritten = org.cavi.report.Plots.write(args.fit.plot().get(), f.mixture(), f.data(), r, f.best(), termTrace());
            if (unwritten.isPresent()) error(Problem.EXIT_DATA, unwritten.get());
            else if (!args.fit.json()) out.println("plot written to " + args.fit.plot().get());
        }
        // and of --animate and --snapshots: the best restart replayed, sweep by sweep
        int last = r.iterations();
        if (args.fit.animate().isPresent()) {
            Optional<String> unwritten = org.cavi.report.Animation.animate(args.fit.animate().get(), f.mixture(), f.data(), r, options,
                    f.restart());
            if (unwritten.isPresent()) error(Problem.EXIT_DATA, unwritten.get());
            else if (!args.fit.json()) {
                out.println("animation written to " + args.fit.animate().get() + " (" + org.cavi.report.Animation.frames(last).length + " frames)");
            }
        }
        if (args.fit.snapshots().isPresent()) {
            Optional<String> past = args.fit.pastLast(last);
            int[] sweeps = args.fit.at(last);
            Optional<String> unwritten = past.isPresent() ? Optional.empty()
                    : org.cavi.report.Animation.snapshots(args.fit.snapshots().get(), f.mixture(), f.data(), r, options, f.restart(), sweeps);
            if (past.isPresent()) error(Problem.EXIT_USAGE, past.get());
            else if (unwritten.isPresent()) error(Problem.EXIT_DATA, unwritten.get());
            else if (!args.fit.json()) {
                out.println("snapshots of sweeps " + java.util.Arrays.stream(sweeps).mapToObj(Integer::toString)
                        .collect(java.util.stream.Collectors.joining(", ")) + " written to " + args.fit.snapshots().get());
            }
        }
    }

    /** The data the session's fit sweeps on; data held elsewhere that it no longer needs are let go. */
    private void hold(Points data) {
        if (fittedData instanceof Points.Remote r && fittedData != data) r.holder().close();
        fittedData = data;
    }

    /** Lets go of what the session holds: data an engine read where they lie. */
    public void close() {
        hold(null);
    }

    private void step() {
        if (current == null) {
            Driver.Request req = request(true);
            Outcome<Driver.Compiled> c = compile(req);
            if (!report(c)) return;
            Outcome<FitService.Prepared> p = FitService.prepare(c.get(), req, workingDir);
            if (!report(p)) return;
            Outcome<org.cavi.infer.CaviState> started = FitService.start(p.get(), seed, org.cavi.infer.Parallel.defaultThreads());
            if (!report(started)) return;
            fitted = c.get();
            current = started.get();
            hold(p.get().data());
            out.println("starting from the seeded initialisation of restart 1 (seed " + seed + ")");
        }
        org.cavi.family.Posterior before = current.posterior();
        double[] weightsBefore = trace.isEmpty() ? null : current.weights();
        // the terms before the pass are the last sweep's; a first sweep has none to compare with
        Map<String, Double> previous = trace.isEmpty() ? null : current.elboTerms();
        double elbo;
        List<List<String>> updated = new ArrayList<>();
        List<Map<String, Double>> after = new ArrayList<>();
        try {
            elbo = current.sweep((update, terms) -> {
                updated.add(update);
                after.add(terms);
            });
        } catch (org.cavi.family.NotPositiveDefinite e) {
            // refused as :run refuses it (beyond the data's arithmetic), or thrown on as a bug
            report(Outcome.fail(FitService.refused(new FitService.Prepared(fitted, fittedData, 0), e)));
            return;
        }
        // a decrease within the ELBO's rounding bound is rounding; beyond it, a bug
        long points = fittedData.size() / fitted.plan().mixture().dimension();
        if (!trace.isEmpty() && elbo < trace.get(trace.size() - 1) - org.cavi.infer.Fitter.roundingBound(current, points)) {
            err.println("warning: the ELBO decreased; this is a bug, please report it");
        }
        String change = trace.isEmpty() ? "" : String.format(java.util.Locale.ROOT, "   (%+.6f)", elbo - trace.get(trace.size() - 1));
        trace.add(elbo);
        termTrace.add(after.get(after.size() - 1)); // the last update's terms are the sweep's
        out.println(FitReport.sweepLine(trace.size(), elbo) + change);
        out.println("what this sweep changed, old → new:");
        out.print(FitReport.changeTable(fitted.plan().mixture(), before, current.posterior(), current.key(),
                weightsBefore, current.weights()));
        out.print(FitReport.updateChanges(updated, after, previous));
    }

    /**
     * The ELBO's terms after every sweep so far. A :run's are made here, when first asked for, by
     * sweeping its best restart again from its seed (bit for bit the fit's); :step adds its own.
     */
    private List<Map<String, Double>> termTrace() {
        if (unreplayed != null) {
            List<Map<String, Double>> all = new ArrayList<>(FitService.termsBySweep(unreplayed));
            all.addAll(termTrace);
            termTrace = all;
            unreplayed = null;
        }
        return termTrace;
    }

    private void trace(String arg) {
        if (!arg.isEmpty() && !arg.equals("--terms")) {
            error(2, ":trace takes --terms or nothing, not " + arg);
            return;
        }
        if (trace.isEmpty()) {
            out.println("no sweeps yet: :run or :step");
            return;
        }
        if (arg.equals("--terms")) {
            out.print(FitReport.termsTable(termTrace(), trace));
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
                fitted.plan().mixture().k(), t.length == 0 ? Double.NaN : t[t.length - 1], t.length, FitResult.Stop.MAX_ITER, 1, t.length, 0,
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
        Optional<String> bad = org.cavi.report.Plots.write(file, fitted.plan().mixture(), fittedData, currentResult(), current, termTrace());
        if (bad.isPresent()) error(Problem.EXIT_DATA, bad.get());
        else out.println("plot written to " + arg);
    }

    private void derive(String name) {
        Outcome<Driver.Compiled> c = compile(false);
        if (!report(c)) return;
        var plan = c.get().plan();
        Optional<String> which = name.isEmpty() ? Optional.empty() : Optional.of(name);
        if (which.isPresent() && org.cavi.plan.DerivationPrinter.select(plan, which).isEmpty()) {
            error(2, "the plan updates no latent " + name + "; it updates "
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
        out.println("q after " + org.cavi.source.Plural.of(trace.size(), "sweep") + ", ELBO " + String.format(java.util.Locale.ROOT, "%.6f",
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

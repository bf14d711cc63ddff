package org.cavi.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cavi.ast.Expr;
import org.cavi.ast.Program;
import org.cavi.ast.Stmt;
import org.cavi.check.CheckedModel;
import org.cavi.check.Checker;
import org.cavi.compile.Compiler;
import org.cavi.data.DataLoader;
import org.cavi.data.Points;
import org.cavi.infer.EngineChoice;
import org.cavi.parse.Parser;
import org.cavi.plan.CaviPlan;
import org.cavi.plan.Mixture;
import org.cavi.source.Diagnostic;
import org.cavi.source.Diagnostics;
import org.cavi.source.SourceFile;
import org.cavi.source.Suggest;

/**
 * The one pipeline the command line and the REPL share:
 * source → parse → check → conjugacy matcher → plan → data → fit (the last two in {@link FitService}).
 * Each stage returns its value or a {@link Problem}; nothing here throws for bad input.
 */
public final class Driver {
    private Driver() {}

    /**
     * What to compile.
     *
     * @param baseDir      where data paths in the model file are resolved
     * @param data         --data bindings: data name → FILE[:COLUMN], resolved against the working directory
     * @param sets         --set overrides, NAME=VALUE, in order
     * @param requireData  whether every data variable must receive data
     * @param format       how the CSV files are laid out (--no-header, --delimiter)
     */
    public record Request(SourceFile source, Path baseDir, Map<String, String> data, List<String> sets,
                          boolean requireData, DataLoader.Format format) {
        public Request {
            data = Map.copyOf(data);
            sets = List.copyOf(sets);
        }

        public Request(SourceFile source, Path baseDir, Map<String, String> data, List<String> sets, boolean requireData) {
            this(source, baseDir, data, sets, requireData, DataLoader.Format.DEFAULT);
        }
    }

    /** A model that has passed every stage up to the plan. */
    public record Compiled(Program program, CheckedModel model, CaviPlan plan) {}

    /** Reads a model file as UTF-8 text: the CLI and the REPL alike. */
    public static Outcome<SourceFile> readModel(Path file) {
        return readModel(file, file.toString());
    }

    /** As {@link #readModel(Path)}, naming the file {@code name} in messages (as the user wrote it). */
    public static Outcome<SourceFile> readModel(Path file, String name) {
        byte[] bytes = null;
        try {
            bytes = Files.readAllBytes(file);
            return Outcome.ok(new SourceFile(name, SourceFile.decodeUtf8(bytes)), List.of());
        } catch (SourceFile.NotUtf8 e) {
            return Outcome.fail(new Problem.SourceErrors(List.of(e.diagnostic(name, bytes))));
        } catch (NoSuchFileException e) {
            return Outcome.fail(new Problem.BadData(name + ": no such model file"));
        } catch (IOException e) {
            if (Files.isDirectory(file)) return Outcome.fail(new Problem.BadData(name + ": is a directory, not a model file"));
            // "Permission denied" and the like: the operating system's reason is the useful part
            return Outcome.fail(new Problem.BadData(name + ": cannot read it: " + e.getMessage()));
        }
    }

    public static Outcome<Program> parse(SourceFile source) {
        Parser.Result<Program> r = Parser.parseProgram(source);
        if (!r.ok()) return Outcome.fail(new Problem.SourceErrors(r.errors()));
        return Outcome.ok(r.value().orElseThrow(), List.of());
    }

    public static Outcome<Compiled> compile(Request req) {
        Outcome<List<Checker.Override>> overrides = overrides(req.sets());
        if (!overrides.ok()) return Outcome.fail(overrides.problem().orElseThrow());
        return parse(req.source()).then(program -> {
            for (String name : req.data().keySet()) {
                boolean declared = program.statements().stream()
                        .anyMatch(s -> s instanceof Stmt.DataDecl d && d.name().equals(name));
                if (!declared) {
                    return Outcome.fail(new Problem.BadUsage("--data " + name + "=...: the model declares no data variable '"
                            + name + "'"));
                }
            }
            for (Checker.Override o : overrides.get()) {
                boolean isData = program.statements().stream()
                        .anyMatch(st -> st instanceof Stmt.DataDecl d && d.name().equals(o.name()));
                if (isData) {
                    return Outcome.fail(new Problem.BadUsage("--set " + o.name() + "=...: '" + o.name()
                            + "' is data; bind it to a file with --data " + o.name() + "=FILE"));
                }
                if (!settable(program).contains(o.name())) {
                    return Outcome.fail(new Problem.BadUsage("--set " + o.name() + "=...: the model has no constant or latent named '"
                            + o.name() + "'; it has " + String.join(", ", settable(program))
                            + Suggest.didYouMean(o.name(), settable(program))));
                }
                // a value names only the model's constants; anything else would also leave the
                // constant undefined, and every use of it an error of the model's
                List<String> constants = program.statements().stream()
                        .filter(st -> st instanceof Stmt.ConstDecl).map(st -> ((Stmt.ConstDecl) st).name()).toList();
                Optional<String> unknown = names(o.value()).stream().filter(n -> !constants.contains(n)).findFirst();
                if (unknown.isPresent()) {
                    return Outcome.fail(new Problem.BadUsage("--set " + o.name() + "=" + shortValue(o.value().span().text()) + ": '"
                            + unknown.get() + "' is not a constant of the model"
                            + (constants.isEmpty() ? "" : " (it has " + String.join(", ", constants) + ")")
                            + "; a value is a number, a vector like [1, 2], or an expression of constants"));
                }
            }
            Diagnostics diags = new Diagnostics();
            Checker.Checked checked = Checker.check(program, overrides.get(), req.data().keySet(),
                    req.requireData(), diags);
            if (checked.model().isEmpty()) {
                // the conjugacy errors of the statements that checked, reported with the others
                List<Diagnostic> checkErrors = diags.list();
                Compiler.matchCleanStatements(checked.partial(),
                        s -> checkErrors.stream().noneMatch(d -> within(d.span(), s.span())), diags);
                return finish(diags, Optional.empty());
            }
            Optional<CaviPlan> plan = Compiler.compile(checked.model().get(), diags);
            return finish(diags, plan.map(p -> new Compiled(program, checked.model().get(), p)));
        });
    }

    /** A --set value as its message shows it: whole when short, else "...". */
    private static String shortValue(String text) {
        return text.length() <= 40 ? text : "...";
    }

    private static String fromWorkingDir(Path file, Path workingDir) {
        Path absolute = file.toAbsolutePath().normalize();
        try {
            // relative only below the working directory: ../../tmp/x.csv is harder to read than /tmp/x.csv
            Path relative = workingDir.toAbsolutePath().normalize().relativize(absolute);
            return relative.startsWith("..") ? absolute.toString() : relative.toString();
        } catch (IllegalArgumentException e) {
            return absolute.toString();
        }
    }

    /** The names an expression uses (not its functions), in order. */
    private static List<String> names(Expr e) {
        List<String> out = new ArrayList<>();
        if (e instanceof Expr.Name n) out.add(n.name());
        else if (e instanceof Expr.Index i) {
            out.add(i.name());
            i.indices().forEach(x -> out.addAll(names(x)));
        } else if (e instanceof Expr.Call c) c.args().forEach(x -> out.addAll(names(x)));
        else if (e instanceof Expr.Vector v) v.elems().forEach(x -> out.addAll(names(x)));
        else if (e instanceof Expr.Neg n) out.addAll(names(n.operand()));
        else if (e instanceof Expr.Binary b) { out.addAll(names(b.left())); out.addAll(names(b.right())); }
        return out;
    }

    /** The names --set may name: constants and latents (left sides of ~ that are not data). */
    static List<String> settable(Program program) {
        Set<String> data = new HashSet<>();
        for (Stmt s : program.statements()) if (s instanceof Stmt.DataDecl d) data.add(d.name());
        List<String> out = new ArrayList<>();
        for (Stmt s : program.statements()) {
            String n = s instanceof Stmt.ConstDecl c ? c.name()
                    : s instanceof Stmt.Tilde t && !data.contains(t.target().name()) ? t.target().name() : null;
            if (n != null && !out.contains(n)) out.add(n);
        }
        return out;
    }

    /** Whether a diagnostic at {@code at} is about the statement spanning {@code stmt}. */
    private static boolean within(org.cavi.source.Span at, org.cavi.source.Span stmt) {
        return at.file() == stmt.file() && at.start() >= stmt.start() && at.start() < Math.max(stmt.end(), stmt.start() + 1);
    }

    private static <T> Outcome<T> finish(Diagnostics diags, Optional<T> value) {
        List<Diagnostic> all = diags.list();
        List<Diagnostic> warnings = all.stream().filter(d -> !d.isError()).toList();
        if (diags.hasErrors() || value.isEmpty()) return Outcome.fail(new Problem.SourceErrors(all));
        return Outcome.ok(value.get(), warnings);
    }

    /** Parses NAME=VALUE overrides; each VALUE is an expression in a pseudo-file named after its flag. */
    static Outcome<List<Checker.Override>> overrides(List<String> sets) {
        List<Checker.Override> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) {
                return Outcome.fail(new Problem.BadUsage("--set needs NAME=VALUE, e.g. --set K=6 or --set mu=[1,5,7]; got '" + s + "'"));
            }
            String name = s.substring(0, eq).trim();
            if (!name.matches("[A-Za-z_][A-Za-z_0-9]*")) {
                return Outcome.fail(new Problem.BadUsage("--set " + s + ": '" + name + "' is not a name"));
            }
            if (!seen.add(name)) {
                return Outcome.fail(new Problem.BadUsage("--set " + name + " is given twice"));
            }
            SourceFile f = new SourceFile("--set " + name, s.substring(eq + 1));
            Parser.Result<Expr> e = Parser.parseExpr(f);
            if (!e.ok()) {
                return Outcome.fail(new Problem.BadUsage("--set " + name + "=" + shortValue(s.substring(eq + 1)) + ": the value is not valid:\n"
                        + Diagnostics.render(e.errors()).stripTrailing()));
            }
            out.add(new Checker.Override(name, e.value().orElseThrow()));
        }
        return Outcome.ok(out, List.of());
    }

    /** Loads the likelihood's data: a --data binding wins over the file's own from "...". */
    public static Outcome<Points> loadData(Compiled c, Request req, Path workingDir) {
        return loadData(c, req, workingDir, EngineChoice.local());
    }

    /**
     * As {@link #loadData(Compiled, Request, Path)}, for a fit on {@code engine}: data at a Hadoop
     * file-system path (hdfs://, s3a://, file://, …) or in Parquet are read by a distributed engine
     * where they lie, and only that engine can read them.
     */
    public static Outcome<Points> loadData(Compiled c, Request req, Path workingDir, EngineChoice engine) {
        String name = c.plan().mixture().data();
        Stmt.DataDecl decl = c.model().data().get(name);
        Optional<String> spec = req.data().containsKey(name) ? Optional.of(req.data().get(name)) : decl.path();
        if (spec.isPresent() && ElsewhereData.is(spec.get())) {
            Path base = req.data().containsKey(name) ? workingDir : req.baseDir();
            return ElsewhereData.load(c, decl, spec.get(), base, req.format(), engine);
        }
        DataLoader.Source src;
        if (req.data().containsKey(name)) {
            src = DataLoader.Source.parse(req.data().get(name), workingDir);
        } else if (decl.path().isPresent()) {
            src = DataLoader.Source.parse(decl.path().get(), req.baseDir());
            if (!java.nio.file.Files.exists(src.file()) && decl.pathSpan().isPresent()) {
                // the model names the file: say where, and where it looked (relative to the model file)
                Diagnostics diags = new Diagnostics();
                diags.error(decl.pathSpan().get(), "no such data file \"" + decl.path().get() + "\"; looked for "
                        + fromWorkingDir(src.file(), workingDir) + " (a from path is relative to the model file; "
                        + "or bind the data with --data " + name + "=FILE)");
                return Outcome.fail(new Problem.SourceErrors(diags.list()));
            }
            // the path as written is relative to the model; messages name it as the shell sees it
            src = new DataLoader.Source(src.file(), src.column(), fromWorkingDir(src.file(), workingDir));
        } else {
            return Outcome.fail(new Problem.BadData("data '" + name + "' has no source; bind it with --data " + name + "=FILE"));
        }
        Outcome<Points> x = loadChecked(c.plan().mixture(), src, req.format());
        if (!x.ok()) return x;
        Outcome<Integer> size = checkSize(c, decl, (int) (x.get().size() / c.plan().mixture().dimension()));
        if (!size.ok()) return Outcome.fail(size.problem().orElseThrow());
        return x;
    }

    /** The points of {@code src}, read with the model's dimension and checked against the likelihood's support. */
    private static Outcome<Points> loadChecked(Mixture mix, DataLoader.Source src, DataLoader.Format format) {
        int d = mix.dimension();
        DataLoader.Loaded loaded = DataLoader.load(src, d, format);
        if (!loaded.ok()) {
            return Outcome.fail(loaded.error().outOfMemory() ? new Problem.OutOfMemory(loaded.error().message())
                    : new Problem.BadData(loaded.error().message()));
        }
        Points x = loaded.points();
        Optional<Bad> bad = badValue(mix, x);
        if (bad.isPresent()) {
            return Outcome.fail(new Problem.BadData(DataLoader.where(src, format, bad.get().index() / d) + ": "
                    + bad.get().message()));
        }
        return Outcome.ok(x, List.of());
    }

    /**
     * New points to predict, FILE[:COLUMN] as --data takes it: read with the data's format and
     * dimension, and checked against the likelihood's support as the data are.
     */
    public static Outcome<Points> loadNewPoints(Compiled c, String spec, Request req, Path workingDir) {
        return loadChecked(c.plan().mixture(), DataLoader.Source.parse(spec, workingDir), req.format());
    }

    /** The data's length against a constant extent in its declaration, and against fixed assignments. */
    public static Outcome<Integer> checkSize(Compiled c, Stmt.DataDecl decl, int n) {
        Expr dim = decl.dims().get(0);
        Diagnostics diags = new Diagnostics();
        if (!(dim instanceof Expr.Name sz) || c.model().constants().containsKey(sz.name())) {
            Optional<Double> want = new org.cavi.check.Eval(c.model().constants(), diags).scalar(dim);
            if (want.isPresent() && want.get() != n) {
                diags.error(dim.span(), decl.name() + " is declared with " + dim.span().text() + " = "
                        + org.cavi.check.Value.format(want.get()) + " values but its data has " + n);
            }
        }
        Mixture mix = c.plan().mixture();
        mix.selector().ifPresent(sel -> mix.fixedValue(sel).ifPresent(a -> {
            if (a.length != n) {
                Stmt.Tilde cPrior = c.model().latents().get(sel);
                diags.error(cPrior.target().span(), "--set " + sel + " gives " + a.length
                        + " assignments but there are " + n + " data points");
            }
        }));
        if (diags.hasErrors()) return Outcome.fail(new Problem.SourceErrors(diags.list()));
        return Outcome.ok(n, List.of());
    }

    /** A fit can hold the component means fixed; other latents can be fixed for simulate only. */
    public static Optional<Problem> runnable(Compiled c) {
        Mixture mix = c.plan().mixture();
        String means = mix.components() instanceof Mixture.Components.Normal || mix.components() instanceof Mixture.Components.MvNormal
                ? mix.components().key() : null;
        for (String name : mix.fixed().keySet()) {
            if (!name.equals(means)) {
                return Optional.of(new Problem.BadUsage("--set " + name + ": "
                        + (mix.selector().map(name::equals).orElse(false) ? "assignments" : "this latent")
                        + " can be fixed for simulate, not for a fit"));
            }
        }
        return Optional.empty();
    }

    /** A value outside the likelihood's support: its place among the values, and what is wrong. */
    record Bad(long index, String message) {}

    /** Data outside the likelihood's support: a Bernoulli needs 0 or 1, a Poisson counts, … */
    static Optional<Bad> badValue(Mixture mix, Points x) {
        if (!(mix.components() instanceof Mixture.Components.Linear lin)) return Optional.empty();
        for (long i = 0; i < x.size(); i++) {
            double v = x.get(i);
            Optional<String> why = invalid(lin, v);
            if (why.isPresent()) return Optional.of(new Bad(i, why.get()));
        }
        return Optional.empty();
    }

    /** Why {@code v} is not a datum of the likelihood, or empty when it is one. */
    static Optional<String> invalid(Mixture.Components.Linear lin, double v) {
        return lin.likelihood().invalidDatum(v).map(want -> org.cavi.check.Value.format(v) + " is not valid data: "
                + org.cavi.source.Plural.withArticle(lin.likelihood().name()) + " likelihood needs " + want);
    }

    /** Parses NAME=FILE[:COLUMN] data bindings. */
    public static Outcome<Map<String, String>> dataBindings(List<String> specs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String s : specs) {
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) {
                return Outcome.fail(new Problem.BadUsage("--data needs NAME=FILE[:COLUMN], e.g. --data x=points.csv; got '" + s + "'"));
            }
            out.put(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
        }
        return Outcome.ok(out, List.of());
    }
}

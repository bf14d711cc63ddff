package org.cavi.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cavi.ast.Expr;
import org.cavi.ast.Program;
import org.cavi.ast.Stmt;
import org.cavi.source.Diagnostics;
import org.cavi.source.Suggest;
import org.cavi.source.Span;

/**
 * Checks names, indices, plates, arities and constants, reporting every error it can
 * find rather than stopping at the first.
 */
public final class Checker {
    /** A --set override: its name and its parsed value (located in its own pseudo-file). */
    public record Override(String name, Expr value) {}

    private final Program program;
    private final Diagnostics diags;
    private final Map<String, Stmt.ConstDecl> consts = new LinkedHashMap<>();
    private final Map<String, Stmt.DataDecl> data = new LinkedHashMap<>();
    private final Map<String, Stmt.Tilde> latents = new LinkedHashMap<>();
    private final Map<String, String> sizes = new HashMap<>(); // size name -> data name
    private final List<Stmt.Tilde> likelihoods = new ArrayList<>();
    private final Map<String, Value> values = new LinkedHashMap<>();
    private final Map<Stmt.Tilde, List<CheckedModel.Range>> ranges = new LinkedHashMap<>();
    private final List<Stmt.Joint> joints = new ArrayList<>();

    private Checker(Program program, Diagnostics diags) {
        this.program = program;
        this.diags = diags;
    }

    /**
     * What checking gives: the model, when it checks; and always the model as far as it could be
     * built, so that the conjugacy matcher can still judge the statements that checked cleanly.
     */
    public record Checked(Optional<CheckedModel> model, CheckedModel partial) {}

    /**
     * @param boundData   data names bound outside the file (--data, :data)
     * @param requireData whether every data variable must receive data (not so for simulate)
     */
    public static Checked check(Program program, List<Override> overrides,
                                Set<String> boundData, boolean requireData,
                                Diagnostics diags) {
        return new Checker(program, diags).run(overrides, boundData, requireData);
    }

    private Checked run(List<Override> overrides, Set<String> boundData, boolean requireData) {
        String name = declare();
        Map<String, Override> overrideByName = new LinkedHashMap<>();
        for (Override o : overrides) overrideByName.put(o.name(), o);
        evaluateConstants(overrideByName);
        Map<String, Value> fixed = new LinkedHashMap<>();
        for (Override o : overrides) {
            if (latents.containsKey(o.name())) {
                new Eval(values, diags).eval(o.value()).ifPresent(v -> fixed.put(o.name(), v));
            }
        }
        for (Stmt.DataDecl d : data.values()) checkDataDecl(d, boundData, requireData);
        for (Stmt s : program.statements()) {
            if (s instanceof Stmt.Tilde t) checkTilde(t);
            if (s instanceof Stmt.Joint j) checkJoint(j);
        }
        CheckedModel model = new CheckedModel(program, name, frozen(values), frozen(data),
                frozen(latents), List.copyOf(likelihoods), frozen(fixed), frozen(ranges), List.copyOf(joints));
        return new Checked(diags.hasErrors() ? Optional.empty() : Optional.of(model), model);
    }

    private static <K, V> Map<K, V> frozen(Map<K, V> m) {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /** First pass: who defines what, and duplicates. Returns the model name. */
    private String declare() {
        String modelName = null;
        Map<String, Span> defined = new HashMap<>();
        // A ~ statement is a likelihood when its name is declared data anywhere in the file, so
        // a data declaration may come before or after its ~ statement.
        Set<String> dataNames = new HashSet<>();
        for (Stmt s : program.statements()) if (s instanceof Stmt.DataDecl d) dataNames.add(d.name());
        for (Stmt s : program.statements()) {
            if (s instanceof Stmt.ModelDecl m) {
                if (modelName != null) diags.error(m.span(), "a file declares one model; this is a second 'model' line");
                else modelName = m.name();
                continue;
            }
            if (s instanceof Stmt.Joint) continue;
            String n;
            Span at;
            if (s instanceof Stmt.ConstDecl c) { n = c.name(); at = c.nameSpan(); }
            else if (s instanceof Stmt.DataDecl d) { n = d.name(); at = d.nameSpan(); }
            else { Stmt.Tilde t = (Stmt.Tilde) s; n = t.target().name(); at = t.target().span(); }
            if (s instanceof Stmt.Tilde t && dataNames.contains(n) && !consts.containsKey(n)) {
                if (likelihoods.stream().anyMatch(l -> l.target().name().equals(n))) {
                    diags.error(at, "'" + n + "' is already modelled on line " + firstLikelihood(n).span().line());
                } else {
                    likelihoods.add(t);
                }
                continue;
            }
            if (s instanceof Stmt.Tilde && consts.containsKey(n)) continue; // checkTilde says why: it is a constant
            if (defined.containsKey(n)) {
                diags.error(at, "'" + n + "' is already defined on line " + defined.get(n).line());
                continue;
            }
            defined.put(n, at);
            if (s instanceof Stmt.ConstDecl c) consts.put(n, c);
            else if (s instanceof Stmt.DataDecl d) {
                data.put(n, d);
                for (Expr dim : d.dims()) {
                    if (dim instanceof Expr.Name sz && !consts.containsKey(sz.name())) sizes.putIfAbsent(sz.name(), n);
                }
            } else latents.put(n, (Stmt.Tilde) s);
        }
        if (modelName == null) {
            String file = program.source().name();
            String base = file.substring(file.lastIndexOf('/') + 1);
            modelName = base.endsWith(".vi") ? base.substring(0, base.length() - 3) : base;
        }
        return modelName;
    }

    private Stmt.Tilde firstLikelihood(String n) {
        return likelihoods.stream().filter(l -> l.target().name().equals(n)).findFirst().orElseThrow();
    }

    private void evaluateConstants(Map<String, Override> overrides) {
        for (Stmt.ConstDecl c : consts.values()) {
            Override o = overrides.get(c.name());
            Expr e = o != null ? o.value() : c.value();
            if (o == null && !constantNamesOk(e, c.span().start())) continue;
            new Eval(values, diags).eval(e).ifPresent(v -> values.put(c.name(), v));
        }
    }

    /** Reports names in a constant expression that are not constants defined before {@code before}. */
    private boolean constantNamesOk(Expr e, int before) {
        boolean[] ok = {true};
        walkNames(e, (name, span) -> {
            Stmt.ConstDecl c = consts.get(name);
            if (c != null && c.span().start() >= before) {
                diags.error(span, "constant '" + name + "' is used before it is defined (on line " + c.nameSpan().line() + ")");
                ok[0] = false;
            } else if (c == null) {
                if (latents.containsKey(name) || data.containsKey(name)) {
                    diags.error(span, "a constant cannot depend on the random variable '" + name + "'");
                } else if (sizes.containsKey(name)) {
                    diags.error(span, "a constant cannot use the data size '" + name + "'");
                } else {
                    diags.error(span, "unknown name '" + name + "'" + Suggest.didYouMean(name, knownNames()));
                }
                ok[0] = false;
            }
        });
        return ok[0];
    }

    private interface NameVisitor { void visit(String name, Span span); }

    private static void walkNames(Expr e, NameVisitor v) {
        if (e instanceof Expr.Name n) v.visit(n.name(), n.span());
        else if (e instanceof Expr.Index i) {
            v.visit(i.name(), i.span());
            i.indices().forEach(x -> walkNames(x, v));
        } else if (e instanceof Expr.Call c) c.args().forEach(x -> walkNames(x, v));
        else if (e instanceof Expr.Vector vec) vec.elems().forEach(x -> walkNames(x, v));
        else if (e instanceof Expr.Neg n) walkNames(n.operand(), v);
        else if (e instanceof Expr.Binary b) { walkNames(b.left(), v); walkNames(b.right(), v); }
    }

    private void checkDataDecl(Stmt.DataDecl d, Set<String> boundData, boolean requireData) {
        if (d.dims().size() > 2) {
            diags.error(d.dims().get(2).span(), "data has at most two dimensions, points and coordinates: " + d.name() + "[n, D]");
        }
        if (d.dims().size() == 2 && d.dims().get(1) instanceof Expr.Name dn && !consts.containsKey(dn.name())) {
            diags.error(dn.span(), "the dimension " + dn.name() + " of " + d.name() + "[" + d.dims().get(0).span().text() + ", "
                    + dn.name() + "] must be a constant: add const " + dn.name() + " = ...");
        }
        for (Expr dim : d.dims()) {
            if (dim instanceof Expr.Name sz && !consts.containsKey(sz.name())) continue; // a size set by the data
            constantNamesOk(dim, d.span().start());
        }
        if (requireData && d.path().isEmpty() && !boundData.contains(d.name())) {
            diags.error(d.nameSpan(), "data '" + d.name() + "' never receives data: add from \"FILE\" or bind it with --data "
                    + d.name() + "=FILE");
        }
        if (likelihoods.stream().noneMatch(l -> l.target().name().equals(d.name()))) {
            diags.warning(d.nameSpan(), "data '" + d.name() + "' is declared but no ~ statement models it");
        }
    }

    private void checkTilde(Stmt.Tilde t) {
        Map<String, Stmt.Plate> plates = new LinkedHashMap<>();
        List<CheckedModel.Range> rs = new ArrayList<>();
        for (Stmt.Plate p : t.plates()) {
            if (plates.containsKey(p.var())) {
                diags.error(p.varSpan(), "plate variable '" + p.var() + "' is bound twice in this statement");
                continue;
            }
            plates.put(p.var(), p);
            range(p, t).ifPresent(rs::add);
        }
        ranges.put(t, List.copyOf(rs));
        Stmt.Target target = t.target();
        if (consts.containsKey(target.name())) {
            diags.error(target.span(), "'" + target.name() + "' is a constant and cannot be given a distribution");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < target.indices().size(); i++) {
            String idx = target.indices().get(i);
            Span at = target.indexSpans().get(i);
            if (!plates.containsKey(idx)) {
                diags.error(at, "index '" + idx + "' is not bound by a plate of this statement; add 'for " + idx + " in 1..N'");
            } else if (!seen.add(idx)) {
                diags.error(at, "index '" + idx + "' is used twice on the left of ~");
            }
        }
        for (Stmt.Plate p : plates.values()) {
            if (!target.indices().contains(p.var())) {
                diags.error(p.varSpan(), "plate variable '" + p.var() + "' does not index " + target.name()
                        + "; write " + target.name() + "[" + p.var() + "]");
            }
        }
        Stmt.DataDecl d = data.get(target.name());
        if (d != null) {
            int event = Distributions.eventDims(t.dist().name());
            String declared = d.name() + "[" + String.join(", ", d.dims().stream().map(x -> x.span().text()).toList()) + "]";
            if (d.dims().size() == 2 && event == 0 && target.indices().size() == 1) {
                // the dimension, not the index, is what is wrong: the likelihood must be multivariate
                diags.error(target.span(), "'" + d.name() + "' is declared " + declared + ", a point of "
                        + d.dims().get(1).span().text() + " coordinates per row, but " + t.dist().name()
                        + " is a likelihood of single values; points need MvNormal, or declare data "
                        + d.name() + "[" + d.dims().get(0).span().text() + "]");
            } else if (d.dims().size() == 1 && event > 0 && target.indices().size() == 1) {
                diags.error(target.span(), t.dist().name() + " is a likelihood of points but '" + d.name() + "' is declared "
                        + declared + ", one value per row; declare data " + d.name() + "[" + d.dims().get(0).span().text()
                        + ", D] (with const D = the number of coordinates), or use Normal");
            } else if (d.dims().size() != target.indices().size() + event) {
                diags.error(target.span(), "wrong number of indices: '" + d.name() + "' is declared " + declared
                        + (event > 0 ? ", whose last index is the " + t.dist().name() + " point's coordinate," : "")
                        + " but used with " + target.indices().size() + (target.indices().size() == 1 ? " index" : " indices"));
            } else {
                checkDataPlates(t, d, plates);
            }
        }
        Optional<Distributions.Signature> sig = Distributions.lookup(t.dist().name());
        if (sig.isEmpty()) {
            diags.error(t.dist().nameSpan(), "unknown distribution '" + t.dist().name() + "'"
                    + Suggest.closest(t.dist().name(), Distributions.names()).map(c -> "; did you mean '" + c + "'? Known: ")
                            .orElse("; known: ") + String.join(", ", Distributions.names()));
        } else if (!sig.get().accepts(t.dist().args().size())) {
            diags.error(t.dist().span(), t.dist().name() + " takes " + sig.get().arity() + " "
                    + sig.get().describe().substring(t.dist().name().length()) + ", not " + t.dist().args().size());
        }
        for (Expr a : t.dist().args()) checkArg(a, plates, t, false);
    }

    /** q(a[k], b[k]): latents with the same indices, each in at most one joint factor. */
    private void checkJoint(Stmt.Joint j) {
        if (!j.fn().equals("q")) {
            diags.error(j.fnSpan(), "unknown statement " + j.fn() + "(...); a joint variational factor is written q("
                    + String.join(", ", j.members().stream().map(m -> m.span().text()).toList()) + ")");
            return;
        }
        if (j.members().size() < 2) {
            diags.error(j.span(), "q(...) declares a joint factor of two or more latents; every latent is its own factor already");
        }
        Set<String> seen = new HashSet<>();
        for (Stmt.Target m : j.members()) {
            if (!latents.containsKey(m.name())) {
                diags.error(m.span(), data.containsKey(m.name()) || consts.containsKey(m.name())
                        ? "'" + m.name() + "' is not a latent, so it has no variational factor"
                        : "unknown latent '" + m.name() + "'");
                continue;
            }
            if (!seen.add(m.name())) diags.error(m.span(), "'" + m.name() + "' is named twice in this q(...)");
            for (Stmt.Joint other : joints) {
                if (other.members().stream().anyMatch(o -> o.name().equals(m.name()))) {
                    diags.error(m.span(), "'" + m.name() + "' is already in the joint factor on line " + other.span().line());
                }
            }
            List<String> want = latents.get(m.name()).target().indices();
            if (!m.indices().equals(want)) {
                diags.error(m.span(), "write " + m.name() + (want.isEmpty() ? "" : "[" + String.join(", ", want) + "]")
                        + " as in its own statement");
            }
        }
        List<List<String>> shapes = j.members().stream().filter(m -> latents.containsKey(m.name()))
                .map(m -> latents.get(m.name()).target().indices()).distinct().toList();
        if (shapes.size() > 1) diags.error(j.span(), "the latents of a joint factor must share their plate");
        joints.add(j);
    }

    /** x[i] for i in 1..n must run over exactly the declared extent of x. */
    private void checkDataPlates(Stmt.Tilde t, Stmt.DataDecl d, Map<String, Stmt.Plate> plates) {
        for (int k = 0; k < t.target().indices().size(); k++) {
            Stmt.Plate p = plates.get(t.target().indices().get(k));
            if (p == null) continue;
            Expr dim = d.dims().get(k);
            String declared = dim.span().text();
            String ranged = p.hi().span().text();
            if (!declared.equals(ranged)) {
                diags.error(p.hi().span(), t.target().name() + "[" + p.var() + "] ranges over 1.." + ranged
                        + " but '" + d.name() + "' is declared " + d.name() + "[" + declared + "]");
            }
        }
    }

    private Optional<CheckedModel.Range> range(Stmt.Plate p, Stmt.Tilde t) {
        if (!(p.lo() instanceof Expr.Num lo && lo.value() == 1)) {
            // 0..n-1 is the 0-based way of writing the plate 1..n
            String hi = p.lo() instanceof Expr.Num z && z.value() == 0
                    && p.hi() instanceof Expr.Binary b && b.op() == '-' && b.right() instanceof Expr.Num one
                    && one.value() == 1 ? b.left().span().text() : p.hi().span().text();
            diags.error(p.lo().span(), "plates start at 1: write 'for " + p.var() + " in 1.." + hi + "'");
            return Optional.empty(); // its upper bound is checked once the plate is written as advised
        }
        if (p.hi() instanceof Expr.Name n && !consts.containsKey(n.name()) && sizes.containsKey(n.name())) {
            return Optional.of(new CheckedModel.Range(p.var(), n.name(), null, n.name()));
        }
        if (!constantNamesOk(p.hi(), t.span().start())) return Optional.empty();
        Optional<Double> hi = new Eval(values, diags).scalar(p.hi());
        if (hi.isEmpty()) return Optional.empty();
        double v = hi.get();
        if (v < 1 || v != Math.rint(v) || v > Integer.MAX_VALUE) {
            diags.error(p.hi().span(), "a plate needs a whole number of at least 1 as its upper bound; "
                    + p.hi().span().text() + " = " + Value.format(v));
            return Optional.empty();
        }
        return Optional.of(new CheckedModel.Range(p.var(), p.hi().span().text(), (int) v, null));
    }

    /** Checks a distribution argument; {@code asIndex} when it stands inside [...]. */
    private void checkArg(Expr e, Map<String, Stmt.Plate> plates, Stmt.Tilde t, boolean asIndex) {
        if (e instanceof Expr.Name n) {
            String name = n.name();
            if (plates.containsKey(name)) {
                if (!asIndex) diags.error(n.span(), "plate variable '" + name + "' can only be used as an index");
            } else if (consts.containsKey(name)) {
                if (consts.get(name).span().start() > t.span().start()) {
                    diags.error(n.span(), "constant '" + name + "' is used before it is defined (on line "
                            + consts.get(name).nameSpan().line() + ")");
                }
            } else if (latents.containsKey(name) || data.containsKey(name)) {
                int dims = dimsOf(name);
                if (dims != 0) {
                    diags.error(n.span(), "wrong number of indices: '" + name + "' has " + dims + " but is used with 0; write "
                            + name + "[...]");
                }
            } else if (asIndex) {
                diags.error(n.span(), "index '" + name + "' is not bound by a plate of this statement; add 'for "
                        + name + " in 1..N'");
            } else if (sizes.containsKey(name)) {
                diags.error(n.span(), "the data size '" + name + "' can only bound a plate");
            } else {
                diags.error(n.span(), "unknown name '" + name + "'" + Suggest.didYouMean(name, knownNames()));
            }
        } else if (e instanceof Expr.Index i) {
            String name = i.name();
            if (!latents.containsKey(name) && !data.containsKey(name)) {
                if (consts.containsKey(name)) diags.error(i.span(), "constant '" + name + "' cannot be indexed");
                else diags.error(i.span(), "unknown name '" + name + "'" + Suggest.didYouMean(name, knownNames()));
            } else if (dimsOf(name) != i.indices().size()) {
                diags.error(i.span(), "wrong number of indices: '" + name + "' has " + dimsOf(name)
                        + " but is used with " + i.indices().size());
            }
            for (Expr idx : i.indices()) checkArg(idx, plates, t, true);
        } else if (e instanceof Expr.Call c) {
            c.args().forEach(a -> checkArg(a, plates, t, false));
        } else if (e instanceof Expr.Vector v) {
            v.elems().forEach(a -> checkArg(a, plates, t, false));
        } else if (e instanceof Expr.Neg n) {
            checkArg(n.operand(), plates, t, false);
        } else if (e instanceof Expr.Binary b) {
            checkArg(b.left(), plates, t, false);
            checkArg(b.right(), plates, t, false);
        }
    }

    private int dimsOf(String name) {
        if (data.containsKey(name)) return data.get(name).dims().size();
        Stmt.Tilde t = latents.get(name);
        return t == null ? 0 : t.target().indices().size();
    }

    /** The names a model has declared so far: constants, latents, data and data sizes. */
    private java.util.Set<String> knownNames() {
        java.util.Set<String> all = new java.util.TreeSet<>(consts.keySet());
        all.addAll(latents.keySet());
        all.addAll(data.keySet());
        all.addAll(sizes.keySet());
        return all;
    }
}

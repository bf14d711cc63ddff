package org.cavi.check;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cavi.ast.Expr;
import org.cavi.source.Diagnostics;

/** Evaluates constant expressions. Names resolve through {@code env}; errors go to diagnostics. */
public final class Eval {
    private final Map<String, Value> env;
    private final Diagnostics diags;

    /** The most elements a constant vector may have (rep's result): 10^8 doubles, 800 MB. */
    public static final int MAX_ELEMENTS = 100_000_000;

    public Eval(Map<String, Value> env, Diagnostics diags) {
        this.env = env;
        this.diags = diags;
    }

    public Optional<Value> eval(Expr e) {
        if (e instanceof Expr.Num n) return Optional.of(new Value.Scalar(n.value()));
        if (e instanceof Expr.Name n) {
            Value v = env.get(n.name());
            if (v == null) diags.error(n.span(), "unknown constant '" + n.name() + "'");
            return Optional.ofNullable(v);
        }
        if (e instanceof Expr.Neg n) return eval(n.operand()).flatMap(v -> map(v, x -> -x, n));
        if (e instanceof Expr.Binary b) return binary(b);
        if (e instanceof Expr.Vector v) return vector(v);
        if (e instanceof Expr.Call c) return call(c);
        Expr.Index i = (Expr.Index) e;
        diags.error(i.span(), "'" + i.name() + "[...]' cannot be used in a constant expression");
        return Optional.empty();
    }

    public Optional<Double> scalar(Expr e) {
        Optional<Value> v = eval(e);
        if (v.isEmpty()) return Optional.empty();
        if (v.get() instanceof Value.Scalar s) return Optional.of(s.value());
        diags.error(e.span(), "expected a number here, found a vector");
        return Optional.empty();
    }

    private Optional<Value> map(Value v, java.util.function.DoubleUnaryOperator f, Expr at) {
        if (v instanceof Value.Scalar s) return Optional.of(new Value.Scalar(f.applyAsDouble(s.value())));
        if (v instanceof Value.Mat m) {
            double[][] rows = m.rows();
            for (double[] row : rows) for (int j = 0; j < row.length; j++) row[j] = f.applyAsDouble(row[j]);
            return Optional.of(new Value.Mat(rows));
        }
        double[] xs = ((Value.Vec) v).elems();
        for (int i = 0; i < xs.length; i++) xs[i] = f.applyAsDouble(xs[i]);
        return Optional.of(new Value.Vec(xs));
    }

    private Optional<Value> binary(Expr.Binary b) {
        Optional<Value> l = eval(b.left());
        Optional<Value> r = eval(b.right());
        if (l.isEmpty() || r.isEmpty()) return Optional.empty();
        if (l.get() instanceof Value.Scalar x && r.get() instanceof Value.Scalar y) {
            double a = x.value(), c = y.value();
            double v = switch (b.op()) {
                case '+' -> a + c;
                case '-' -> a - c;
                case '*' -> a * c;
                case '/' -> a / c;
                default -> Math.pow(a, c);
            };
            if (!Double.isFinite(v)) {
                diags.error(b.span(), "this expression is not a finite number (" + v + ")");
                return Optional.empty();
            }
            return Optional.of(new Value.Scalar(v));
        }
        // a number times (or a vector or matrix divided by a number) scales every element
        Value l2 = l.get(), r2 = r.get();
        if (b.op() == '*' && l2 instanceof Value.Scalar s) return map(r2, v -> s.value() * v, b);
        if ((b.op() == '*' || b.op() == '/') && r2 instanceof Value.Scalar s) {
            return map(l2, v -> b.op() == '*' ? v * s.value() : v / s.value(), b);
        }
        diags.error(b.span(), "'" + b.op() + "' on vectors or matrices is supported only as number·vector, number·matrix or division by a number");
        return Optional.empty();
    }

    private Optional<Value> vector(Expr.Vector v) {
        if (!v.elems().isEmpty() && v.elems().get(0) instanceof Expr.Vector) return matrix(v);
        double[] xs = new double[v.elems().size()];
        boolean ok = true;
        for (int i = 0; i < xs.length; i++) {
            Optional<Double> d = scalar(v.elems().get(i));
            if (d.isPresent()) xs[i] = d.get(); else ok = false;
        }
        return ok ? Optional.of(new Value.Vec(xs)) : Optional.empty();
    }

    /** [[a, b], [c, d]]: rows of equal length. */
    private Optional<Value> matrix(Expr.Vector v) {
        double[][] rows = new double[v.elems().size()][];
        for (int i = 0; i < rows.length; i++) {
            Expr row = v.elems().get(i);
            if (!(row instanceof Expr.Vector)) {
                diags.error(row.span(), "a matrix is written as rows of numbers, [[1, 0], [0, 1]]");
                return Optional.empty();
            }
            Optional<Value> r = vector((Expr.Vector) row);
            if (r.isEmpty()) return Optional.empty();
            if (!(r.get() instanceof Value.Vec vec)) {
                diags.error(row.span(), "a matrix row must be a vector of numbers");
                return Optional.empty();
            }
            rows[i] = vec.elems();
            if (rows[i].length != rows[0].length) {
                diags.error(row.span(), "every row of a matrix needs " + rows[0].length + " entries; this one has " + rows[i].length);
                return Optional.empty();
            }
        }
        return Optional.of(new Value.Mat(rows));
    }

    private Optional<Integer> dimension(Expr e) {
        Optional<Double> d = scalar(e);
        if (d.isEmpty()) return Optional.empty();
        if (d.get() < 1 || d.get() != Math.rint(d.get()) || d.get() > 10_000) {
            diags.error(e.span(), "a dimension must be a whole number from 1 to 10000, not " + Value.format(d.get()));
            return Optional.empty();
        }
        return Optional.of(d.get().intValue());
    }

    private Optional<Value> call(Expr.Call c) {
        List<Expr> args = c.args();
        switch (c.fn()) {
            case "zeros" -> {
                if (args.size() != 1) return arity(c, 1);
                return dimension(args.get(0)).map(d -> new Value.Vec(new double[d]));
            }
            case "eye" -> {
                if (args.size() != 1) return arity(c, 1);
                return dimension(args.get(0)).map(d -> {
                    double[][] m = new double[d][d];
                    for (int i = 0; i < d; i++) m[i][i] = 1;
                    return new Value.Mat(m);
                });
            }
            case "sqrt", "log", "exp" -> {
                if (args.size() != 1) return arity(c, 1);
                Optional<Double> x = scalar(args.get(0));
                if (x.isEmpty()) return Optional.empty();
                double v = switch (c.fn()) {
                    case "sqrt" -> Math.sqrt(x.get());
                    case "log" -> Math.log(x.get());
                    default -> Math.exp(x.get());
                };
                if (!Double.isFinite(v)) {
                    diags.error(c.span(), c.fn() + "(" + Value.format(x.get()) + ") is not a finite number");
                    return Optional.empty();
                }
                return Optional.of(new Value.Scalar(v));
            }
            case "rep" -> {
                if (args.size() != 2) return arity(c, 2);
                Optional<Value> v = eval(args.get(0));
                Optional<Double> each = scalar(args.get(1));
                if (v.isEmpty() || each.isEmpty()) return Optional.empty();
                double times = each.get();
                if (times < 0 || times != Math.rint(times)) {
                    diags.error(args.get(1).span(), "rep needs a whole number of repeats, not " + Value.format(times));
                    return Optional.empty();
                }
                if (v.get() instanceof Value.Mat) {
                    diags.error(args.get(0).span(), "rep repeats the elements of a number or a vector, not of a matrix");
                    return Optional.empty();
                }
                double[] xs = v.get() instanceof Value.Vec vec ? vec.elems() : new double[] {((Value.Scalar) v.get()).value()};
                double size = xs.length * times;
                if (size > MAX_ELEMENTS) {
                    diags.error(c.span(), "rep would make " + Value.format(size) + " elements; a constant has at most "
                            + Value.format(MAX_ELEMENTS));
                    return Optional.empty();
                }
                double[] out = new double[xs.length * (int) times];
                for (int i = 0; i < out.length; i++) out[i] = xs[i / (int) times];
                return Optional.of(new Value.Vec(out));
            }
            default -> {
                diags.error(c.span(), "unknown function '" + c.fn() + "'; constants may use sqrt, log, exp, rep, zeros and eye");
                return Optional.empty();
            }
        }
    }

    private Optional<Value> arity(Expr.Call c, int n) {
        diags.error(c.span(), c.fn() + " takes " + n + " argument" + (n == 1 ? "" : "s") + ", not " + c.args().size());
        return Optional.empty();
    }
}

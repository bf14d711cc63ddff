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
        diags.error(b.span(), "arithmetic on vectors is not supported; '" + b.op() + "' needs two numbers");
        return Optional.empty();
    }

    private Optional<Value> vector(Expr.Vector v) {
        double[] xs = new double[v.elems().size()];
        boolean ok = true;
        for (int i = 0; i < xs.length; i++) {
            Optional<Double> d = scalar(v.elems().get(i));
            if (d.isPresent()) xs[i] = d.get(); else ok = false;
        }
        return ok ? Optional.of(new Value.Vec(xs)) : Optional.empty();
    }

    private Optional<Value> call(Expr.Call c) {
        List<Expr> args = c.args();
        switch (c.fn()) {
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
                double[] xs = v.get() instanceof Value.Vec vec ? vec.elems() : new double[] {((Value.Scalar) v.get()).value()};
                double[] out = new double[xs.length * (int) times];
                for (int i = 0; i < out.length; i++) out[i] = xs[i / (int) times];
                return Optional.of(new Value.Vec(out));
            }
            default -> {
                diags.error(c.span(), "unknown function '" + c.fn() + "'; constants may use sqrt, log, exp and rep");
                return Optional.empty();
            }
        }
    }

    private Optional<Value> arity(Expr.Call c, int n) {
        diags.error(c.span(), c.fn() + " takes " + n + " argument" + (n == 1 ? "" : "s") + ", not " + c.args().size());
        return Optional.empty();
    }
}

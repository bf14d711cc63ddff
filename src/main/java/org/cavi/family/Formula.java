package org.cavi.family;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

/**
 * A formula of the plan (an update equation's right-hand side, a term of the ELBO) that can be
 * printed, in Unicode ({@link #text()}) and in LaTeX ({@link #latex()}), and evaluated
 * ({@link #eval(Env)}), so that every printed formula can be checked against the runtime.
 *
 * <p>Build formulas with the static factories ({@link #add}, {@link #mul}, {@link #log}, ...), which
 * simplify lightly: 1·x, x·1, x/1, 0 + x, x + 0 and x − 0 become x, −(−x) becomes x, and an operation
 * on numbers only is folded into one number. The record constructors build a node as it is.
 *
 * <p>Printing uses the fewest parentheses that the usual precedence (+ − below · / below powers) and
 * left associativity allow: a − b + c, but a − (b − c) and a/(b·c). A prefix form (unary −, Σ_k, and
 * log or √ of a bare symbol) takes everything binding tighter than + to its right, so it is bracketed
 * when something of that kind follows it, or, for unary −, wherever it is not the first operand of a
 * sum: −a + b, a + (−b), (−a)·b, −a·b for −(a·b).
 */
public sealed interface Formula
        permits Formula.Num, Formula.Const, Formula.Sym, Formula.Add, Formula.Sub, Formula.Mul, Formula.Div,
                Formula.Neg, Formula.Pow, Formula.Apply, Formula.LogBeta, Formula.Sum {

    /** The component index passed when no Σ_k (and no caller) has bound one. */
    int NO_COMPONENT = -1;

    /** The value with component index {@code k} bound (for symbols indexed by the component). */
    double eval(Env env, int k);

    /** The value with no component index bound: an indexed symbol must then lie inside a Σ_k. */
    default double eval(Env env) {
        return eval(env, NO_COMPONENT);
    }

    /** Unicode, in the style of the printed plan: a − log b + log Γ(a) + (1 − a)·ψ(a). */
    default String text() {
        return render(this, false, 0);
    }

    /** LaTeX math without the surrounding $: a - \log b + \log\Gamma(a) + \left(1 - a\right) \cdot \psi(a). */
    default String latex() {
        return render(this, true, 0);
    }

    /** The values of the symbols. */
    interface Env {
        /** The value of symbol {@code id} at component {@code k} (k is ignored for a scalar symbol). */
        double value(String id, int k);

        /** The number of components K a Σ_k runs over. */
        int components();

        /**
         * An environment from scalar values and per-component values (all arrays of one length K);
         * an unknown symbol is an IllegalArgumentException naming it.
         */
        static Env of(Map<String, Double> scalars, Map<String, double[]> perComponent) {
            Map<String, Double> s = Map.copyOf(scalars);
            Map<String, double[]> p = Map.copyOf(perComponent);
            int k = -1;
            for (Map.Entry<String, double[]> e : p.entrySet()) {
                if (k >= 0 && e.getValue().length != k) {
                    throw new IllegalArgumentException("per-component values of different lengths: " + e.getKey());
                }
                k = e.getValue().length;
            }
            int components = Math.max(k, 0);
            return new Env() {
                @Override
                public double value(String id, int c) {
                    Double v = s.get(id);
                    if (v != null) return v;
                    double[] values = p.get(id);
                    if (values == null) throw new IllegalArgumentException("unknown symbol: " + id);
                    if (c < 0 || c >= values.length) {
                        throw new IllegalArgumentException("component " + c + " out of range for " + id);
                    }
                    return values[c];
                }

                @Override
                public int components() {
                    return components;
                }
            };
        }
    }

    /** An equation lhs = rhs, such as a[k] = a0 + N[k]/2. */
    record Eq(Formula lhs, Formula rhs) {
        public Eq {
            Objects.requireNonNull(lhs);
            Objects.requireNonNull(rhs);
        }

        public String text() {
            return lhs.text() + " = " + rhs.text();
        }

        public String latex() {
            return lhs.latex() + " = " + rhs.latex();
        }
    }

    // ---- nodes ----

    /** A number. */
    record Num(double value) implements Formula {
        @Override
        public double eval(Env env, int k) {
            return value;
        }
    }

    /** A named constant: π or e. */
    record Const(String text, String latex, double value) implements Formula {
        @Override
        public double eval(Env env, int k) {
            return value;
        }
    }

    /**
     * A symbol whose value comes from the environment under {@code id}: a parameter (a0), a
     * variational parameter (m[k]), a named expectation (E[log tau]) or an opaque statistic over the
     * data (N[k], Σ_i φ[i,k]·x[i]). {@code indexed} means it depends on the component index k.
     */
    record Sym(String id, String text, String latex, boolean indexed) implements Formula {
        public Sym {
            Objects.requireNonNull(id);
            Objects.requireNonNull(text);
            Objects.requireNonNull(latex);
        }

        @Override
        public double eval(Env env, int k) {
            if (indexed && k < 0) {
                throw new IllegalArgumentException(text + " needs a component index: evaluate it inside Σ_k or with eval(env, k)");
            }
            return env.value(id, k);
        }
    }

    record Add(Formula left, Formula right) implements Formula {
        @Override
        public double eval(Env env, int k) {
            return left.eval(env, k) + right.eval(env, k);
        }
    }

    record Sub(Formula left, Formula right) implements Formula {
        @Override
        public double eval(Env env, int k) {
            return left.eval(env, k) - right.eval(env, k);
        }
    }

    record Mul(Formula left, Formula right) implements Formula {
        @Override
        public double eval(Env env, int k) {
            return left.eval(env, k) * right.eval(env, k);
        }
    }

    record Div(Formula numerator, Formula denominator) implements Formula {
        @Override
        public double eval(Env env, int k) {
            return numerator.eval(env, k) / denominator.eval(env, k);
        }
    }

    /** Unary minus. */
    record Neg(Formula arg) implements Formula {
        @Override
        public double eval(Env env, int k) {
            return -arg.eval(env, k);
        }
    }

    /** An integer power, printed x². */
    record Pow(Formula base, int exponent) implements Formula {
        @Override
        public double eval(Env env, int k) {
            return Math.pow(base.eval(env, k), exponent);
        }
    }

    /** The functions of one argument. */
    enum Fn {
        LOG("log", "\\log"), EXP("exp", "\\exp"), SQRT("√", "\\sqrt"), DIGAMMA("ψ", "\\psi"), LOG_GAMMA("log Γ", "\\log\\Gamma");

        final String text;
        final String latex;

        Fn(String text, String latex) {
            this.text = text;
            this.latex = latex;
        }

        double apply(double x) {
            return switch (this) {
                case LOG -> Math.log(x);
                case EXP -> Math.exp(x);
                case SQRT -> Math.sqrt(x);
                case DIGAMMA -> Gamma.digamma(x);
                case LOG_GAMMA -> Gamma.logGamma(x);
            };
        }
    }

    /** A function applied to one argument: log, exp, √, ψ, log Γ. */
    record Apply(Fn fn, Formula arg) implements Formula {
        @Override
        public double eval(Env env, int k) {
            return fn.apply(arg.eval(env, k));
        }
    }

    /** log B(a, b), the log of the Beta function. */
    record LogBeta(Formula a, Formula b) implements Formula {
        @Override
        public double eval(Env env, int k) {
            return Beta.logBeta(a.eval(env, k), b.eval(env, k));
        }
    }

    /** Σ_k body, over the components k = 0 .. K − 1, binding k for the indexed symbols in the body. */
    record Sum(Formula body) implements Formula {
        @Override
        public double eval(Env env, int k) {
            double sum = 0;
            int components = env.components();
            for (int c = 0; c < components; c++) sum += body.eval(env, c);
            return sum;
        }
    }

    // ---- factories ----

    static Formula num(double value) {
        return new Num(value);
    }

    /** ½, printed so where it multiplies. */
    static Formula half() {
        return new Num(0.5);
    }

    /** The constant π. */
    static Formula pi() {
        return new Const("π", "\\pi", Math.PI);
    }

    /** The constant e. */
    static Formula e() {
        return new Const("e", "e", Math.E);
    }

    /** A scalar symbol named as printed: sym("lambda0") prints lambda0 and \lambda_0. */
    static Formula sym(String name) {
        return new Sym(name, name, latexName(name), false);
    }

    /** A symbol indexed by the component: indexed("m") has id m, prints m[k] and m_k. */
    static Formula indexed(String name) {
        return new Sym(name, name + "[k]", latexName(name + "[k]"), true);
    }

    /** A symbol with its own id, Unicode and LaTeX forms. */
    static Formula sym(String id, String text, String latex, boolean indexed) {
        return new Sym(id, text, latex, indexed);
    }

    /**
     * A named expectation: expectation("Elogtau", "log tau", false) prints E[log tau] and
     * \operatorname{E}[\log\tau]; when indexed, the last word takes the index: E[log pi[k]].
     */
    static Formula expectation(String id, String of, boolean indexed) {
        String[] words = of.trim().split(" +");
        StringBuilder tex = new StringBuilder();
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            String t = Set.of("log", "exp").contains(w) ? "\\" + w
                    : latexName(i == words.length - 1 && indexed ? w + "[k]" : w);
            tex.append(join(tex.toString(), t));
        }
        String text = "E[" + String.join(" ", words) + (indexed ? "[k]" : "") + "]";
        return new Sym(id, text, "\\operatorname{E}[" + tex + "]", indexed);
    }

    /**
     * An opaque statistic over the data, such as N[k] or Σ_i φ[i,k]·x[i]: a symbol whose value the
     * environment supplies under {@code id}.
     */
    static Formula statistic(String id, String text, String latex, boolean indexed) {
        return new Sym(id, text, latex, indexed);
    }

    static Formula add(Formula a, Formula b) {
        if (isNum(a, 0)) return b;
        if (isNum(b, 0)) return a;
        if (a instanceof Num x && b instanceof Num y) return new Num(x.value + y.value);
        return new Add(a, b);
    }

    /** a + b + c + ..., associating to the left. */
    static Formula add(Formula a, Formula b, Formula... more) {
        Formula f = add(a, b);
        for (Formula m : more) f = add(f, m);
        return f;
    }

    static Formula sub(Formula a, Formula b) {
        if (isNum(b, 0)) return a;
        if (a instanceof Num x && b instanceof Num y) return new Num(x.value - y.value);
        return new Sub(a, b);
    }

    static Formula mul(Formula a, Formula b) {
        if (isNum(a, 1)) return b;
        if (isNum(b, 1)) return a;
        if (a instanceof Num x && b instanceof Num y) return new Num(x.value * y.value);
        return new Mul(a, b);
    }

    /** a·b·c·..., associating to the left. */
    static Formula mul(Formula a, Formula b, Formula... more) {
        Formula f = mul(a, b);
        for (Formula m : more) f = mul(f, m);
        return f;
    }

    static Formula div(Formula a, Formula b) {
        if (isNum(b, 1)) return a;
        if (a instanceof Num x && b instanceof Num y) return new Num(x.value / y.value);
        return new Div(a, b);
    }

    static Formula neg(Formula a) {
        if (a instanceof Neg n) return n.arg;
        if (a instanceof Num x) return new Num(-x.value);
        return new Neg(a);
    }

    static Formula pow(Formula base, int exponent) {
        if (base instanceof Num x) return new Num(Math.pow(x.value, exponent));
        return new Pow(base, exponent);
    }

    static Formula square(Formula base) {
        return pow(base, 2);
    }

    static Formula log(Formula a) {
        return new Apply(Fn.LOG, a);
    }

    static Formula exp(Formula a) {
        return new Apply(Fn.EXP, a);
    }

    static Formula sqrt(Formula a) {
        return new Apply(Fn.SQRT, a);
    }

    /** ψ, the digamma function. */
    static Formula digamma(Formula a) {
        return new Apply(Fn.DIGAMMA, a);
    }

    /** log Γ. */
    static Formula logGamma(Formula a) {
        return new Apply(Fn.LOG_GAMMA, a);
    }

    /** log B(a, b). */
    static Formula logBeta(Formula a, Formula b) {
        return new LogBeta(a, b);
    }

    /** Σ_k body. */
    static Formula sumK(Formula body) {
        return new Sum(body);
    }

    static Eq eq(Formula lhs, Formula rhs) {
        return new Eq(lhs, rhs);
    }

    /**
     * A plain name as LaTeX, as the plan's LaTeX prints it: tau → \tau, lambda0 → \lambda_0,
     * a10 → a_{10}, s2 and sigma2 (variances) → s^2 and \sigma^2, m[k] → m_k, phi[i,k] → \phi_{i,k};
     * other names of several letters → \mathit{name}.
     */
    static String latexName(String name) {
        List<String> subscripts = new ArrayList<>();
        String index = null;
        int open = name.indexOf('[');
        if (open > 0 && name.endsWith("]")) {
            index = name.substring(open + 1, name.length() - 1).replace(" ", "");
            name = name.substring(0, open);
        }
        int d = name.length();
        while (d > 0 && Character.isDigit(name.charAt(d - 1))) d--;
        if (d == 0) d = name.length();
        String base = name.substring(0, d);
        String digits = name.substring(d);
        String superscript = null;
        if (digits.equals("2") && (base.equals("s") || base.equals("sigma"))) superscript = "2";
        else if (!digits.isEmpty()) subscripts.add(digits);
        if (index != null) subscripts.add(index);
        StringBuilder out = new StringBuilder(greek(base));
        if (!subscripts.isEmpty()) {
            String sub = String.join(",", subscripts);
            out.append('_').append(sub.length() == 1 ? sub : "{" + sub + "}");
        }
        if (superscript != null) out.append('^').append(superscript);
        return out.toString();
    }

    // ---- printing ----

    private static String greek(String base) {
        Set<String> greek = Set.of("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
                "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
                "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega");
        if (greek.contains(base)) return "\\" + base;
        if (base.length() <= 1) return base;
        return "\\mathit{" + base + "}";
    }

    private static boolean isNum(Formula f, double v) {
        return f instanceof Num n && n.value == v;
    }

    // precedence levels: what an operand position asks for, and what a node offers
    private static int ADD() { return 1; }
    private static int MUL() { return 2; }
    private static int POW() { return 3; }
    private static int ATOM() { return 4; }

    private static int precedence(Formula f, boolean tex) {
        if (f instanceof Add || f instanceof Sub || f instanceof Neg || f instanceof Sum) return ADD();
        if (f instanceof Num n) return n.value < 0 ? ADD() : ATOM();
        if (f instanceof Sym s) return compound(s) ? ADD() : ATOM();
        if (f instanceof Mul) return MUL();
        if (f instanceof Div) return tex ? POW() : MUL();
        if (f instanceof Pow) return POW();
        return ATOM();
    }

    /** Σ_k, and a symbol that reads like a sum (Σ_i φ[i,k]·x[i]): they reach right over · / and powers. */
    private static boolean reachesRight(Formula f) {
        return f instanceof Sum || (f instanceof Sym s && compound(s));
    }

    /** Whether a symbol's text, outside its brackets, has operators or spaces in it. */
    private static boolean compound(Sym s) {
        int depth = 0;
        for (char c : s.text().toCharArray()) {
            if (c == '[') depth++;
            else if (c == ']') depth--;
            else if (depth == 0 && " ·+−-/Σ*".indexOf(c) >= 0) return true;
        }
        return false;
    }

    private static boolean needsParens(Formula f, int min, int right, boolean tex) {
        if (reachesRight(f)) return right >= MUL();
        return precedence(f, tex) < min;
    }

    /** f in an operand position that asks for precedence min, followed by an operator of precedence right (0 if none). */
    private static String operand(Formula f, int min, int right, boolean tex) {
        if (needsParens(f, min, right, tex)) return parens(render(f, tex, 0), tex);
        return render(f, tex, right);
    }

    private static String parens(String s, boolean tex) {
        return tex ? "\\left(" + s + "\\right)" : "(" + s + ")";
    }

    /** Joins LaTeX written side by side, with a space where a command would run into a letter. */
    private static String join(String left, String right) {
        if (left.isEmpty() || right.isEmpty()) return right;
        boolean letterLeft = Character.isLetter(left.charAt(left.length() - 1));
        return letterLeft && Character.isLetter(right.charAt(0)) ? " " + right : right;
    }

    private static String number(double v, boolean tex) {
        if (Double.isNaN(v)) return tex ? "\\mathrm{NaN}" : "NaN";
        String sign = v < 0 ? (tex ? "-" : "−") : "";
        double a = Math.abs(v);
        String digits;
        if (Double.isInfinite(a)) digits = tex ? "\\infty" : "∞";
        else if (a == Math.rint(a) && a < 1e15) digits = Long.toString((long) a);
        else if (a >= 1e-4 && a < 1e15) digits = BigDecimal.valueOf(a).stripTrailingZeros().toPlainString();
        else {
            String s = Double.toString(a).replace(".0E", "E");
            int e = s.indexOf('E');
            digits = tex ? s.substring(0, e) + " \\times 10^{" + s.substring(e + 1) + "}" : s.replace('E', 'e');
        }
        return sign + digits;
    }

    private static boolean half(Formula f) {
        return isNum(f, 0.5);
    }

    /** A factor written before π or e without a dot: a non-negative number, a constant, or such a product. */
    private static boolean coefficient(Formula f) {
        if (f instanceof Num n) return n.value >= 0;
        if (f instanceof Const) return true;
        return f instanceof Mul m && m.right instanceof Const && coefficient(m.left);
    }

    /** A symbol printed like E[...] or H[...]: ½ is written against it. */
    private static boolean bracketName(Formula f) {
        if (!(f instanceof Sym s)) return false;
        String t = s.text();
        return t.length() > 2 && Character.isUpperCase(t.charAt(0)) && t.charAt(1) == '[';
    }

    private static String superscript(int n) {
        String digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        StringBuilder out = new StringBuilder(n < 0 ? "⁻" : "");
        for (char c : Integer.toString(Math.abs(n)).toCharArray()) out.append(digits.charAt(c - '0'));
        return out.toString();
    }

    /** f without outer parentheses, followed by an operator of precedence right (0 if none). */
    private static String render(Formula f, boolean tex, int right) {
        if (f instanceof Num n) return number(n.value, tex);
        if (f instanceof Const c) return tex ? c.latex : c.text;
        if (f instanceof Sym s) return tex ? s.latex : s.text;
        if (f instanceof Add a) {
            return operand(a.left, ADD(), ADD(), tex) + " + " + operand(a.right, ADD() + 1, right, tex);
        }
        if (f instanceof Sub s) {
            return operand(s.left, ADD(), ADD(), tex) + (tex ? " - " : " − ") + operand(s.right, ADD() + 1, right, tex);
        }
        if (f instanceof Mul m) return product(m, tex, right);
        if (f instanceof Div d) {
            if (tex) return "\\frac{" + render(d.numerator, true, 0) + "}{" + render(d.denominator, true, 0) + "}";
            return operand(d.numerator, MUL(), MUL(), false) + "/" + operand(d.denominator, MUL() + 1, right, false);
        }
        if (f instanceof Neg n) return (tex ? "-" : "−") + operand(n.arg, MUL(), right, tex);
        if (f instanceof Pow p) {
            String base = operand(p.base, ATOM(), POW(), tex);
            return tex ? base + "^{" + p.exponent + "}" : base + superscript(p.exponent);
        }
        if (f instanceof Sum s) return (tex ? "\\sum_{k} " : "Σ_k ") + operand(s.body, MUL(), right, tex);
        if (f instanceof LogBeta b) {
            String args = render(b.a, tex, 0) + ", " + render(b.b, tex, 0);
            return tex ? "\\log \\mathrm{B}(" + args + ")" : "log B(" + args + ")";
        }
        Apply a = (Apply) f;
        return application(a, tex, right);
    }

    private static String application(Apply a, boolean tex, int right) {
        Formula x = a.arg;
        if (tex && a.fn == Fn.SQRT) return "\\sqrt{" + render(x, true, 0) + "}";
        boolean atom = precedence(x, tex) == ATOM() && (x instanceof Sym || x instanceof Const || x instanceof Num);
        boolean bare = (a.fn == Fn.LOG || a.fn == Fn.SQRT) && atom && right < MUL();
        if (bare) {
            String arg = render(x, tex, 0);
            return tex ? a.fn.latex + " " + arg : a.fn.text + (a.fn == Fn.SQRT ? "" : " ") + arg;
        }
        String arg = render(x, tex, 0);
        return (tex ? a.fn.latex : a.fn.text) + (tex && !atom ? parens(arg, true) : "(" + arg + ")");
    }

    private static String product(Mul m, boolean tex, int right) {
        boolean rightParens = needsParens(m.right, MUL() + 1, right, tex);
        String l = half(m.left) ? (tex ? "\\tfrac{1}{2}" : "½") : operand(m.left, MUL(), MUL(), tex);
        String r = half(m.right) ? (tex ? "\\tfrac{1}{2}" : "½") : operand(m.right, MUL() + 1, right, tex);
        String sep;
        if (m.right instanceof Const && coefficient(m.left)) sep = "";
        else if (half(m.left) && (rightParens || bracketName(m.right))) sep = "";
        else if (half(m.left) && (m.right instanceof Apply || m.right instanceof LogBeta)) sep = tex ? "" : " ";
        else sep = tex ? " \\cdot " : "·";
        if (tex && sep.isEmpty()) return l + join(l, r);
        return l + sep + r;
    }
}

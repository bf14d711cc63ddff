package org.cavi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

/**
 * Evaluates the formulas that {@code cavi plan} prints, as printed: numbers, names bound to
 * values, per-component names {@code m[k]}, {@code phi[i,k]}, the data {@code x[i]}, {@code E[...]}
 * and {@code H[...]} bound by the plan's own definitions ("where" lines, {@code E[log pi[k]] = …}),
 * {@code + − · * / ^} (and the source's {@code -}), {@code ½ ² ᵀ !}, {@code log ψ Γ B π e}, {@code inv(…) tr(…) log|…| zeros(D)
 * eye(D)}, vectors {@code [a, b]}, and juxtaposition (without a space it binds tighter than
 * {@code ·} and {@code /}: {@code lambda0/2π} is lambda0/(2π); with a space it is an ordinary
 * product). Values are matrices (a number is 1×1, a vector a column); a product of two
 * non-numbers is the matrix product, so {@code (x[i] − m[k])ᵀ·W[k]·(x[i] − m[k])} is a number
 * and {@code (x[i] − m[k])(x[i] − m[k])ᵀ} an outer product.
 *
 * <p>Sums: {@code Σ_i} (over the data), {@code Σ_k} (the components), {@code Σ_d} (1..D),
 * {@code Σ_{j<k}}, {@code Σ_{j>k}} sum the (signed) product after them; {@code Σ alpha} sums a
 * per-component name over the components. A Σ that opens a formula and whose index the later
 * terms use covers the whole formula ({@code Σ_k −½ log(2π·100) − ((m[k] − 0)² + s2[k])/(2·100)}).
 * Only for tests: it lets a test check that the printed text is the arithmetic.
 */
final class PlanFormula {
    /** A value: an r×c matrix, row by row. */
    record V(int r, int c, double[] a) {
        static V of(double v) { return new V(1, 1, new double[] {v}); }
        static V col(double[] v) { return new V(v.length, 1, v.clone()); }
        static V mat(double[][] m) {
            double[] a = new double[m.length * m[0].length];
            for (int i = 0; i < m.length; i++) System.arraycopy(m[i], 0, a, i * m[0].length, m[0].length);
            return new V(m.length, m[0].length, a);
        }
        boolean scalar() { return r == 1 && c == 1; }
        double num() {
            if (!scalar()) throw new IllegalArgumentException("a " + r + "×" + c + " value where a number is wanted");
            return a[0];
        }
        double at(int i, int j) { return a[i * c + j]; }
        double[][] rows() {
            double[][] m = new double[r][c];
            for (int i = 0; i < r; i++) System.arraycopy(a, i * c, m[i], 0, c);
            return m;
        }
    }

    private final Map<String, V> env = new HashMap<>();
    /** Per-component values, name[k]. */
    private final Map<String, V[]> arrays = new HashMap<>();
    /** phi[i,k]: n × K. */
    private final Map<String, double[][]> tables = new HashMap<>();
    /** Definitions evaluated where they are used, in the indices bound there: E[tau[k]] = a[k]/b[k]. */
    private final Map<String, String> macros = new HashMap<>();
    private final V[] x;
    private int components = 1;
    private final Map<String, Integer> index = new HashMap<>();

    PlanFormula(double[] x) {
        this.x = new V[x.length];
        for (int i = 0; i < x.length; i++) this.x[i] = V.of(x[i]);
        env.put("e", V.of(Math.E));
    }

    PlanFormula(double[][] rows) {
        this.x = new V[rows.length];
        for (int i = 0; i < rows.length; i++) this.x[i] = V.col(rows[i]);
        env.put("e", V.of(Math.E));
    }

    int n() { return x.length; }

    PlanFormula components(int k) { components = k; return this; }

    int components() { return components; }

    PlanFormula bind(String name, double v) { env.put(name, V.of(v)); return this; }

    PlanFormula bind(String name, V v) { env.put(name, v); return this; }

    /** name[k] for k = 1..K. */
    PlanFormula bindArray(String name, V[] v) { arrays.put(name, v); return this; }

    PlanFormula bindArray(String name, double[] v) {
        V[] out = new V[v.length];
        for (int j = 0; j < v.length; j++) out[j] = V.of(v[j]);
        return bindArray(name, out);
    }

    PlanFormula bindTable(String name, double[][] t) { tables.put(name, t); return this; }

    V[] array(String name) { return arrays.get(name); }

    boolean has(String name) { return env.containsKey(name) || arrays.containsKey(name); }

    boolean hasArray(String name) { return arrays.containsKey(name); }

    /** A definition, evaluated each time it is used. */
    void define(String name, String formula) { macros.put(name.strip(), formula.strip()); }

    /**
     * A "where" line: {@code E[tau] = a/b,  E[log tau] = ψ(a) − log b}, each definition kept; a note after a
     * definition, set off by three spaces, {@code E[log|Lambda[k]|] = …   (Bishop 2006, (10.65))}, is not part of it.
     */
    void where(String line) {
        String s = line.strip().replaceAll(",$", "");
        if (s.startsWith("where ")) s = s.substring(6);
        for (String def : s.split(",  ")) {
            def = def.replaceAll("   \\(.*\\)$", "");
            int eq = def.indexOf(" = ");
            if (eq < 0) continue;
            define(def.substring(0, eq), def.substring(eq + 3));
        }
    }

    PlanFormula at(String var, int value) { index.put(var, value); return this; }

    PlanFormula free(String var) { index.remove(var); return this; }

    double eval(String formula) { return evalV(formula).num(); }

    V evalV(String formula) {
        List<Tok> toks = tokens(formula);
        try {
            return parse(toks, formula, false);
        } catch (UnboundIndex e) {
            if (toks.isEmpty() || !toks.get(0).text.startsWith("Σ_")) throw e;
            return parse(toks, formula, true);
        }
    }

    private V parse(List<Tok> toks, String formula, boolean wholeLeading) {
        Parser p = new Parser(toks, wholeLeading);
        V v = p.expr();
        if (p.at < p.toks.size()) throw new IllegalArgumentException("unparsed '" + p.toks.get(p.at).text + "' in " + formula);
        return v;
    }

    static final class UnboundIndex extends IllegalArgumentException {
        UnboundIndex(String var) { super("unbound index " + var); }
    }

    private record Tok(String text, boolean spaced) {}

    private static boolean nameChar(char ch) { return ch < 128 && (Character.isLetterOrDigit(ch) || ch == '_' || ch == '\''); }

    private static List<Tok> tokens(String s) {
        List<Tok> out = new ArrayList<>();
        int i = 0;
        boolean spaced = false;
        while (i < s.length()) {
            char ch = s.charAt(i);
            if (ch == ' ') { spaced = true; i++; continue; }
            int j = i + 1;
            if (Character.isDigit(ch)) {
                while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.')) j++;
                if (j + 1 < s.length() && s.charAt(j) == 'e' && (Character.isDigit(s.charAt(j + 1)) || s.charAt(j + 1) == '-')) {
                    j += 2;
                    while (j < s.length() && Character.isDigit(s.charAt(j))) j++;
                }
            } else if (ch < 128 && Character.isLetter(ch)) {
                if ((ch == 'E' || ch == 'H') && j < s.length() && s.charAt(j) == '[') {
                    j = close(s, j) + 1;                       // E[...] is one token
                } else {
                    while (j < s.length() && nameChar(s.charAt(j))) j++;
                }
            } else if (ch == 'Σ' && j < s.length() && s.charAt(j) == '_') {
                j = s.charAt(j + 1) == '{' ? s.indexOf('}', j) + 1 : i + 3;   // Σ_i, Σ_{j<k}
            }
            String text = s.substring(i, j);
            out.add(new Tok(text.equals("-") ? "−" : text, spaced));     // the model's own source text, [1, -1]
            spaced = false;
            i = j;
        }
        return out;
    }

    private static int close(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            if (s.charAt(i) == '[') depth++;
            else if (s.charAt(i) == ']' && --depth == 0) return i;
        }
        throw new IllegalArgumentException("unclosed [ in " + s);
    }

    // ---- arithmetic on values

    static V add(V p, V q, double sign) {
        if (p.r != q.r || p.c != q.c) throw new IllegalArgumentException("adding " + p.r + "×" + p.c + " and " + q.r + "×" + q.c);
        double[] a = new double[p.a.length];
        for (int i = 0; i < a.length; i++) a[i] = p.a[i] + sign * q.a[i];
        return new V(p.r, p.c, a);
    }

    static V scale(V p, double s) {
        double[] a = new double[p.a.length];
        for (int i = 0; i < a.length; i++) a[i] = s * p.a[i];
        return new V(p.r, p.c, a);
    }

    static V mul(V p, V q) {
        if (p.scalar()) return scale(q, p.a[0]);
        if (q.scalar()) return scale(p, q.a[0]);
        if (p.c != q.r) throw new IllegalArgumentException("multiplying " + p.r + "×" + p.c + " by " + q.r + "×" + q.c);
        double[] a = new double[p.r * q.c];
        for (int i = 0; i < p.r; i++)
            for (int j = 0; j < q.c; j++) {
                double s = 0;
                for (int l = 0; l < p.c; l++) s += p.at(i, l) * q.at(l, j);
                a[i * q.c + j] = s;
            }
        return new V(p.r, q.c, a);
    }

    static V transpose(V p) {
        double[] a = new double[p.a.length];
        for (int i = 0; i < p.r; i++) for (int j = 0; j < p.c; j++) a[j * p.r + i] = p.at(i, j);
        return new V(p.c, p.r, a);
    }

    static V inv(V p) {
        if (p.scalar()) return V.of(1 / p.a[0]);
        return V.mat(new LUDecomposition(new Array2DRowRealMatrix(p.rows())).getSolver().getInverse().getData());
    }

    static double logDet(V p) {
        if (p.scalar()) return Math.log(p.a[0]);
        return Math.log(new LUDecomposition(new Array2DRowRealMatrix(p.rows())).getDeterminant());
    }

    private final class Parser {
        final List<Tok> toks;
        final boolean wholeLeading;
        int at;

        Parser(List<Tok> toks, boolean wholeLeading) { this.toks = toks; this.wholeLeading = wholeLeading; }

        String peek() { return at < toks.size() ? toks.get(at).text : ""; }

        boolean peekSpaced() { return toks.get(at).spaced; }

        void expect(String t) {
            if (!peek().equals(t)) throw new IllegalArgumentException("expected " + t + " at '" + peek() + "'");
            at++;
        }

        V expr() {
            if (wholeLeading && at == 0 && peek().startsWith("Σ_")) {
                String sigma = peek();
                at++;
                return sum(sigma, this::expr);
            }
            V v = signedTerm();
            while (peek().equals("+") || peek().equals("−")) {
                boolean plus = peek().equals("+");
                at++;
                V t = term();
                v = add(v, t, plus ? 1 : -1);
            }
            return v;
        }

        V signedTerm() {
            if (peek().equals("−")) { at++; return scale(term(), -1); }
            if (peek().equals("+")) at++;
            return term();
        }

        boolean startsFactor() {
            String t = peek();
            return !t.isEmpty() && !List.of("+", "−", "·", "*", "/", ")", "]", ",", "|").contains(t);
        }

        V term() {
            V v = factor();
            while (true) {
                if (peek().equals("·") || peek().equals("*")) { at++; v = mul(v, factor()); }
                else if (peek().equals("/")) { at++; v = scale(v, 1 / factor().num()); }
                else if (startsFactor()) v = mul(v, factor());
                else return v;
            }
        }

        /** The sum over Σ_v of what {@code body} parses, from the current token each time. */
        V sum(String sigma, java.util.function.Supplier<V> body) {
            String var;
            int from, to;
            if (sigma.startsWith("Σ_{")) {
                String in = sigma.substring(3, sigma.length() - 1);     // j<k, j>k
                var = in.substring(0, 1);
                int bound = index(in.substring(2));
                if (in.charAt(1) == '<') { from = 1; to = bound - 1; }
                else { from = bound + 1; to = components; }
            } else {
                var = sigma.substring(2);
                from = 1;
                to = switch (var) {
                    case "i" -> x.length;
                    case "d" -> (int) env.get("D").num();
                    default -> components;
                };
            }
            Integer saved = index.get(var);
            int start = at, end = -1;
            V total = null;
            for (int v = from; v <= to; v++) {
                at = start;
                index.put(var, v);
                V t = body.get();
                total = total == null ? t : add(total, t, 1);
                end = at;
            }
            if (saved == null) index.remove(var); else index.put(var, saved);
            if (total == null) {          // an empty sum: skip its body without evaluating it
                at = start;
                index.put(var, 1);
                body.get();
                if (saved == null) index.remove(var); else index.put(var, saved);
                return V.of(0);
            }
            at = end;
            return total;
        }

        V factor() {
            if (peek().startsWith("Σ_")) {
                String sigma = peek();
                at++;
                return sum(sigma, this::signedTerm);
            }
            if (peek().equals("Σ") && !toks.get(at + 1).text.equals("(")) {      // Σ alpha
                at++;
                String name = peek();
                at++;
                V total = null;
                V[] arr = arrays.get(name);
                if (arr != null) {
                    for (V v : arr) total = total == null ? v : add(total, v, 1);
                } else {
                    V vec = lookup(name);
                    double s = 0;
                    for (double d : vec.a) s += d;
                    total = V.of(s);
                }
                return total;
            }
            return tight();
        }

        /** Primaries written next to each other without a space: 2π, ½E[log tau], (x − m)(x − m)ᵀ */
        V tight() {
            V v = postfix();
            while (at < toks.size() && !peekSpaced() && startsFactor() && !peek().startsWith("Σ")) v = mul(v, postfix());
            return v;
        }

        V postfix() {
            V v = primary();
            while (true) {
                if (peek().equals("²")) { at++; v = mul(v, v); }
                else if (peek().equals("ᵀ")) { at++; v = transpose(v); }
                else if (peek().equals("^")) { at++; double e = primary().num(); v = V.of(Math.pow(v.num(), e)); }
                else if (peek().equals("!")) { at++; v = V.of(Math.exp(Gamma.logGamma(v.num() + 1))); }
                else return v;
            }
        }

        V arg() { expect("("); V v = expr(); expect(")"); return v; }

        V primary() {
            String t = peek();
            at++;
            if (t.equals("(")) { V v = expr(); expect(")"); return v; }
            if (t.equals("[")) {
                V v = expr();
                if (!peek().equals(",")) { expect("]"); return v; }
                List<Double> elems = new ArrayList<>(List.of(v.num()));
                while (peek().equals(",")) { at++; elems.add(expr().num()); }
                expect("]");
                return V.col(elems.stream().mapToDouble(Double::doubleValue).toArray());
            }
            if (t.equals("½")) return V.of(0.5);
            if (t.equals("π")) return V.of(Math.PI);
            if (t.equals("log") && peek().equals("Γ")) {    // log Γ(a) without overflow
                at++;
                return V.of(Gamma.logGamma(arg().num()));
            }
            if (t.equals("log") && peek().equals("B") && toks.get(at + 1).text.equals("(")) {    // log B(a, b) without underflow
                at += 2;
                double a = expr().num();
                expect(",");
                double b = expr().num();
                expect(")");
                return V.of(Beta.logBeta(a, b));
            }
            if (t.equals("log") && peek().equals("|")) {
                at++;
                V v = expr();
                expect("|");
                return V.of(logDet(v));
            }
            if (t.equals("log")) return V.of(Math.log(tight().num()));
            if (t.equals("exp")) return V.of(Math.exp(tight().num()));
            if (t.equals("ψ")) return V.of(Gamma.digamma(arg().num()));
            if (t.equals("Γ")) return V.of(Math.exp(Gamma.logGamma(arg().num())));
            if (t.equals("inv")) return inv(arg());
            if (t.equals("tr")) {
                V m = arg();
                double s = 0;
                for (int d = 0; d < m.r; d++) s += m.at(d, d);
                return V.of(s);
            }
            if (t.equals("zeros")) return V.col(new double[(int) arg().num()]);
            if (t.equals("eye")) {
                int d = (int) arg().num();
                double[][] m = new double[d][d];
                for (int l = 0; l < d; l++) m[l][l] = 1;
                return V.mat(m);
            }
            if (t.equals("B")) {
                expect("(");
                double a = expr().num();
                expect(",");
                double b = expr().num();
                expect(")");
                return V.of(Math.exp(Beta.logBeta(a, b)));
            }
            if (Character.isDigit(t.charAt(0))) return V.of(Double.parseDouble(t));
            if (t.startsWith("E[") || t.startsWith("H[")) return macro(t);
            if (peek().equals("[") && !peekSpaced()) {          // name[i], name[k], phi[i,k]
                at++;
                List<Integer> idx = new ArrayList<>();
                idx.add(index(peek()));
                at++;
                while (peek().equals(",")) { at++; idx.add(index(peek())); at++; }
                expect("]");
                if (t.equals("x") && idx.size() == 1) return x[idx.get(0) - 1];
                if (idx.size() == 2) {
                    double[][] tab = tables.get(t);
                    if (tab == null) throw new IllegalArgumentException("unbound " + t + "[,]");
                    return V.of(tab[idx.get(0) - 1][idx.get(1) - 1]);
                }
                V[] arr = arrays.get(t);
                if (arr != null) return arr[idx.get(0) - 1];
                V vec = lookup(t);
                if (vec.scalar()) return vec;        // a symmetric prior's one number, alpha0[k]
                return V.of(vec.a[idx.get(0) - 1]);
            }
            if (index.containsKey(t) && !env.containsKey(t)) return V.of(index.get(t));
            return lookup(t);
        }

        int index(String var) {
            if (Character.isDigit(var.charAt(0))) return Integer.parseInt(var);
            if (var.equals("K")) return components;
            Integer v = index.get(var);
            if (v == null) throw new UnboundIndex(var);
            return v;
        }

        V macro(String t) {
            String body = macros.get(t);
            if (body != null) return evalV(body);
            return lookup(t);
        }

        V lookup(String name) {
            V v = env.get(name);
            if (v == null) throw new IllegalArgumentException("unbound " + name);
            return v;
        }
    }
}

package org.cavi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

/**
 * Evaluates the scalar formulas that {@code cavi plan} prints, as printed: numbers, names bound
 * to values, {@code x[i]} (the data, under {@code Σ_i}), {@code E[...]} bound by the plan's own
 * "where" lines, {@code + − · /}, {@code ½ ² !}, {@code log ψ Γ B π e}, and juxtaposition
 * (without a space it binds tighter than {@code ·} and {@code /}: {@code lambda0/2π} is
 * lambda0/(2π); with a space it is an ordinary product). {@code Σ_i} sums the product after it
 * over the data. Only for tests: it lets a test check that the printed text is the arithmetic.
 */
final class PlanFormula {
    private final Map<String, Double> env = new HashMap<>();
    private final double[] x;

    PlanFormula(double[] x) { this.x = x; env.put("e", Math.E); }

    PlanFormula bind(String name, double v) { env.put(name, v); return this; }

    boolean has(String name) { return env.containsKey(name); }

    /** A "where" line: {@code E[tau] = a/b,  E[log tau] = ψ(a) − log b}, each definition bound. */
    void where(String line) {
        for (String def : line.strip().replaceAll(",$", "").split(",  ")) {
            int eq = def.indexOf(" = ");
            env.put(def.substring(0, eq).strip(), eval(def.substring(eq + 3)));
        }
    }

    double eval(String formula) {
        Parser p = new Parser(tokens(formula));
        double v = p.expr();
        if (p.at < p.toks.size()) throw new IllegalArgumentException("unparsed '" + p.toks.get(p.at).text + "' in " + formula);
        return v;
    }

    private record Tok(String text, boolean spaced) {}

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
            } else if (ch < 128 && Character.isLetter(ch)) {
                if (ch == 'E' && j < s.length() && s.charAt(j) == '[') {
                    j = close(s, j) + 1;                       // E[...] is one token
                } else {
                    while (j < s.length() && s.charAt(j) < 128 && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_'
                            || s.charAt(j) == '\'')) j++;
                }
            } else if (ch == 'Σ') {
                j = i + 3;                                     // Σ_i
            }
            out.add(new Tok(s.substring(i, j), spaced));
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

    private final class Parser {
        final List<Tok> toks;
        int at;
        Integer i;    // the data index under Σ_i

        Parser(List<Tok> toks) { this.toks = toks; }

        String peek() { return at < toks.size() ? toks.get(at).text : ""; }

        boolean peekSpaced() { return toks.get(at).spaced; }

        void expect(String t) {
            if (!peek().equals(t)) throw new IllegalArgumentException("expected " + t + " at '" + peek() + "'");
            at++;
        }

        double expr() {
            double v;
            if (peek().equals("−")) { at++; v = -term(); }
            else if (peek().equals("+")) { at++; v = term(); }
            else v = term();
            while (peek().equals("+") || peek().equals("−")) {
                boolean plus = peek().equals("+");
                at++;
                double t = term();
                v = plus ? v + t : v - t;
            }
            return v;
        }

        boolean startsFactor() {
            String t = peek();
            return !t.isEmpty() && !List.of("+", "−", "·", "/", ")", "]", ",").contains(t);
        }

        double term() {
            double v = factor();
            while (true) {
                if (peek().equals("·")) { at++; v *= factor(); }
                else if (peek().equals("/")) { at++; v /= factor(); }
                else if (startsFactor()) v *= factor();
                else return v;
            }
        }

        double factor() {
            if (peek().startsWith("Σ_")) {
                String var = peek().substring(2);
                at++;
                if (!var.equals("i")) throw new IllegalArgumentException("only Σ_i is evaluated, not Σ_" + var);
                int start = at;
                double sum = 0;
                for (int k = 0; k < x.length; k++) {
                    at = start;
                    i = k;
                    sum += term();
                }
                i = null;
                return sum;
            }
            return tight();
        }

        /** Primaries written next to each other without a space: 2π, ½E[log tau], 2πe·… */
        double tight() {
            double v = postfix();
            while (at < toks.size() && !peekSpaced() && startsFactor() && !peek().startsWith("Σ_")) v *= postfix();
            return v;
        }

        double postfix() {
            double v = primary();
            while (true) {
                if (peek().equals("²")) { at++; v *= v; }
                else if (peek().equals("!")) { at++; v = Math.exp(Gamma.logGamma(v + 1)); }
                else return v;
            }
        }

        double primary() {
            String t = peek();
            at++;
            if (t.equals("(")) { double v = expr(); expect(")"); return v; }
            if (t.equals("[")) { double v = expr(); expect("]"); return v; }
            if (t.equals("½")) return 0.5;
            if (t.equals("π")) return Math.PI;
            if (t.equals("log") && peek().equals("Γ")) {    // log Γ(a) without overflow
                at++;
                expect("(");
                double v = expr();
                expect(")");
                return Gamma.logGamma(v);
            }
            if (t.equals("log")) return Math.log(tight());
            if (t.equals("ψ")) { expect("("); double v = expr(); expect(")"); return Gamma.digamma(v); }
            if (t.equals("Γ")) { expect("("); double v = expr(); expect(")"); return Math.exp(Gamma.logGamma(v)); }
            if (t.equals("B")) {
                expect("(");
                double a = expr();
                expect(",");
                double b = expr();
                expect(")");
                return Math.exp(Beta.logBeta(a, b));
            }
            if (Character.isDigit(t.charAt(0))) return Double.parseDouble(t);
            if (t.startsWith("E[")) return lookup(t);
            if (t.equals("x") && peek().equals("[")) {
                at++;
                String idx = peek();
                at++;
                expect("]");
                if (i == null || !idx.equals("i")) throw new IllegalArgumentException("x[" + idx + "] outside Σ_i");
                return x[i];
            }
            return lookup(t);
        }

        double lookup(String name) {
            Double v = env.get(name);
            if (v == null) throw new IllegalArgumentException("unbound " + name);
            return v;
        }
    }
}

package org.cavi.plan;

import java.util.Map;
import java.util.Set;

/**
 * Turns the plan's formulas, written in Unicode for the terminal, into LaTeX math:
 * mu[k] → μ_{k}, Σ_i → \sum_{i}, E[...] → 𝔼[...], sigma^2 → σ^{2}, and so on.
 */
final class LatexMath {
    private LatexMath() {}

    private static final Map<String, String> GREEK = Map.ofEntries(
            Map.entry("alpha", "\\alpha"), Map.entry("beta", "\\beta"), Map.entry("gamma", "\\gamma"),
            Map.entry("lambda", "\\lambda"), Map.entry("mu", "\\mu"), Map.entry("nu", "\\nu"), Map.entry("phi", "\\phi"),
            Map.entry("pi", "\\pi "), Map.entry("sigma", "\\sigma"), Map.entry("tau", "\\tau"), Map.entry("theta", "\\theta"),
            Map.entry("Lambda", "\\Lambda"), Map.entry("Sigma", "\\Sigma"), Map.entry("eta", "\\eta"), Map.entry("psi", "\\psi"));
    private static final Set<String> FUNCTIONS = Set.of("log", "exp");
    private static final Map<Character, String> SYMBOLS = Map.ofEntries(
            Map.entry('Σ', "\\sum "), Map.entry('²', "^{2}"), Map.entry('·', "\\cdot "), Map.entry('−', "-"),
            Map.entry('∝', "\\propto "), Map.entry('½', "\\tfrac{1}{2}"), Map.entry('ψ', "\\psi "), Map.entry('Γ', "\\Gamma "),
            Map.entry('π', "\\pi "), Map.entry('ᵀ', "^{\\top}"), Map.entry('…', "\\ldots "), Map.entry('→', "\\to "),
            Map.entry('×', "\\times "), Map.entry('~', "\\sim "), Map.entry('≤', "\\le "), Map.entry('≥', "\\ge "),
            Map.entry('%', "\\%"), Map.entry('#', "\\#"), Map.entry('&', "\\&"), Map.entry('$', "\\$"),
            Map.entry('{', "\\{"), Map.entry('}', "\\}"), Map.entry('|', "\\vert "), Map.entry('*', "\\ast "));

    /** Whether a line reads as a formula rather than a sentence. */
    static boolean isFormula(String line) {
        if (!(line.contains("=") || line.contains("∝"))) return false;
        for (String word : new String[] {" with ", " the ", "using", "normalised", " same ", "paper", " so ", " over ", "one factor"}) {
            if (line.contains(word)) return false;
        }
        return true;
    }

    /** The formula as LaTeX math (without the surrounding $...$). */
    static String math(String s) {
        StringBuilder out = new StringBuilder();
        convert(s, 0, s.length(), out);
        return out.toString();
    }

    private static int convert(String s, int from, int to, StringBuilder out) {
        int i = from;
        while (i < to) {
            char ch = s.charAt(i);
            if (Character.isLetter(ch) && ch < 128) {
                int j = i;
                while (j < to && (Character.isLetterOrDigit(s.charAt(j)) && s.charAt(j) < 128)) j++;
                String word = s.substring(i, j);
                if ((word.equals("E") || word.equals("H")) && j < to && s.charAt(j) == '[') {
                    out.append("\\mathbb{").append(word).append('}');
                    i = j;
                    continue;
                }
                out.append(name(word));
                i = j;
                while (i < to && s.charAt(i) == '\'') { out.append('\''); i++; }   // a plan symbol primed on a clash: m'
                if (i < to && s.charAt(i) == '[') {
                    int close = matching(s, i, to);
                    out.append("_{");
                    convert(s, i + 1, close, out);
                    out.append('}');
                    i = close + 1;
                }
                continue;
            }
            if (ch == '^') {
                int j = i + 1;
                if (j < to && s.charAt(j) == '{') { out.append('^'); i = j; continue; }
                while (j < to && (Character.isLetterOrDigit(s.charAt(j)) && s.charAt(j) < 128)) j++;
                out.append("^{");
                convert(s, i + 1, j, out);
                out.append('}');
                i = j;
                continue;
            }
            if (ch == '_') {
                int j = i + 1;
                while (j < to && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == ',')) j++;
                out.append("_{").append(s, i + 1, j).append('}');
                i = j;
                continue;
            }
            if (ch == '.' && i + 1 < to && s.charAt(i + 1) == '.') {
                out.append("\\ldots ");
                i += 2;
                continue;
            }
            String sym = SYMBOLS.get(ch);
            if (sym != null) out.append(sym);
            else if (ch == '\\') out.append("\\backslash ");
            else if (ch < 128) out.append(ch);
            else out.append("\\text{").append(ch).append('}');
            i++;
        }
        return i;
    }

    private static String name(String word) {
        if (GREEK.containsKey(word)) return GREEK.get(word) + " ";
        if (FUNCTIONS.contains(word)) return "\\" + word + " ";
        if (Set.of("in", "for", "and", "const", "each", "where").contains(word)) return "\\text{ " + word + " }";
        if (word.length() == 1) return word;
        if (Character.isUpperCase(word.charAt(0)) && word.length() > 2) return "\\mathrm{" + word + "}";
        return "\\mathit{" + word + "}";
    }

    private static int matching(String s, int open, int to) {
        int depth = 0;
        for (int i = open; i < to; i++) {
            if (s.charAt(i) == '[') depth++;
            else if (s.charAt(i) == ']' && --depth == 0) return i;
        }
        return to - 1;
    }
}

package org.cavi.plan;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typesets the plan's formulas, written in Unicode for the terminal, as LaTeX math, for the LaTeX
 * document and the Markdown page alike (the math is the same; only its wrapping differs).
 *
 * <p>A formula is tokenized, its brackets matched into a tree, then simplified where the plan's
 * text substitutes constants literally (1/1·x → x, x/1 → x, 0/v → 0, 0 + x → x, x − 0 → x,
 * zeros(D) → 0 and a product with a zero factor → 0, 2 − 1 → 1), and written with the usual
 * notation: mu[k] → μ_k, phi[i,k] → φ_{ik}, beta0 → β_0, s2[k] → s_k², inv(A) → A⁻¹, eye(D) → I_D,
 * E[·] → 𝔼[·], a/b → \frac{a}{b}, functions upright (\log, \operatorname{tr}, \operatorname{Normal}).
 *
 * <p>The plan's lines mix sentences with formulas; {@link #segments} splits such a line into
 * prose and math, so that every formula, even one inside a sentence, is set in math mode.
 */
final class Typesetter {
    private Typesetter() {}

    /** A piece of a line: words, or a formula in the plan's Unicode. */
    sealed interface Segment permits Prose, Math {}

    record Prose(String text) implements Segment {}

    record Math(String formula) implements Segment {
        /** The formula as LaTeX math. */
        String latex() {
            return math(formula);
        }
    }

    // ---- the tree ----

    private enum Kind { NAME, NUM, SYM, SPACE, ZERO }

    private sealed interface Node permits Tok, Group, Frac {}

    private record Tok(Kind kind, String text) implements Node {}

    private record Group(char open, List<Node> items, char close) implements Node {}

    private record Frac(List<Node> numerator, List<Node> denominator) implements Node {}

    private static final Tok ZERO_VECTOR = new Tok(Kind.ZERO, "0");

    /** The formula (the plan's Unicode) as LaTeX math, without surrounding $. */
    static String math(String formula) {
        List<Node> tree = parse(tokens(formula));
        List<Node> simple = scopeSums(simplify(tree));
        String out = render(fractions(simple), false);
        return out.replaceAll(" {2,}", " ").replaceAll("(\\\\[a-zA-Z]+|\\\\operatorname\\{[A-Za-z]+\\}) (?=[_^(\\[},)\\]|])", "$1").strip();
    }

    // ---- tokens ----

    private static List<Tok> tokens(String s) {
        List<Tok> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char ch = s.charAt(i);
            if (ch == ' ') {
                int j = i;
                while (j < s.length() && s.charAt(j) == ' ') j++;
                out.add(new Tok(Kind.SPACE, " "));
                i = j;
            } else if (ch < 128 && Character.isLetter(ch)) {
                int j = i;
                while (j < s.length() && s.charAt(j) < 128 && Character.isLetterOrDigit(s.charAt(j))) j++;
                out.add(new Tok(Kind.NAME, s.substring(i, j)));
                i = j;
            } else if (Character.isDigit(ch)) {
                int j = i;
                while (j < s.length() && Character.isDigit(s.charAt(j))) j++;
                if (j + 1 < s.length() && s.charAt(j) == '.' && Character.isDigit(s.charAt(j + 1))) {
                    j++;
                    while (j < s.length() && Character.isDigit(s.charAt(j))) j++;
                }
                out.add(new Tok(Kind.NUM, s.substring(i, j)));
                i = j;
            } else if (ch == '.' && i + 1 < s.length() && s.charAt(i + 1) == '.') {
                out.add(new Tok(Kind.SYM, ".."));
                i += 2;
            } else if (ch == '|') {
                // a bar between spaces is "given" (p(x | c)); a bar against its operand is |A|
                boolean spaced = i > 0 && s.charAt(i - 1) == ' ' && i + 1 < s.length() && s.charAt(i + 1) == ' ';
                out.add(new Tok(Kind.SYM, spaced ? "given" : "|"));
                i++;
            } else if (ch == '*' && !out.isEmpty() && out.get(out.size() - 1).text().equals("q")
                    && i + 1 < s.length() && s.charAt(i + 1) == '(') {
                out.add(new Tok(Kind.SYM, "star"));    // q*(z), the optimal factor
                i++;
            } else {
                out.add(new Tok(Kind.SYM, String.valueOf(ch)));
                i++;
            }
        }
        return out;
    }

    private static List<Node> parse(List<Tok> toks) {
        List<List<Node>> stack = new ArrayList<>();
        List<Character> opens = new ArrayList<>();
        stack.add(new ArrayList<>());
        for (Tok t : toks) {
            String x = t.text();
            if (t.kind() == Kind.SYM && (x.equals("(") || x.equals("[") || x.equals("{"))) {
                stack.add(new ArrayList<>());
                opens.add(x.charAt(0));
            } else if (t.kind() == Kind.SYM && (x.equals(")") || x.equals("]") || x.equals("}"))
                    && !opens.isEmpty() && closer(opens.get(opens.size() - 1)) == x.charAt(0)) {
                List<Node> items = stack.remove(stack.size() - 1);
                char open = opens.remove(opens.size() - 1);
                stack.get(stack.size() - 1).add(new Group(open, items, x.charAt(0)));
            } else {
                stack.get(stack.size() - 1).add(t);
            }
        }
        while (stack.size() > 1) {    // an unclosed bracket: shown as written, closed at the end
            List<Node> items = stack.remove(stack.size() - 1);
            char open = opens.remove(opens.size() - 1);
            stack.get(stack.size() - 1).add(new Group(open, items, ' '));
        }
        return stack.get(0);
    }

    private static char closer(char open) {
        return open == '(' ? ')' : open == '[' ? ']' : '}';
    }

    // ---- simplification ----

    /** Operators that end a term of a sum (and the edges of a list). */
    private static final Set<String> ADDITIVE = Set.of("+", "−", "-", "=", ",", "∝", "~", "given", "≤", "≥", "<", ">", "→", ":");

    private static boolean isNum(Node n, String value) {
        return n instanceof Tok t && t.kind() == Kind.NUM && new BigDecimal(t.text()).compareTo(new BigDecimal(value)) == 0;
    }

    private static boolean isZero(Node n) {
        return isNum(n, "0") || n == ZERO_VECTOR;
    }

    private static boolean isSym(Node n, String... texts) {
        if (!(n instanceof Tok t) || t.kind() != Kind.SYM) return false;
        for (String x : texts) if (t.text().equals(x)) return true;
        return false;
    }

    private static boolean isPostfix(Node n) {
        return isSym(n, "²", "ᵀ", "^", "'", "star") || (n instanceof Group g && g.open() == '[');
    }

    /** Index of the previous (next) node that is not a space, or -1 (size). */
    private static int prev(List<Node> l, int i) {
        int j = i - 1;
        while (j >= 0 && l.get(j) instanceof Tok t && t.kind() == Kind.SPACE) j--;
        return j;
    }

    private static int next(List<Node> l, int i) {
        int j = i + 1;
        while (j < l.size() && l.get(j) instanceof Tok t && t.kind() == Kind.SPACE) j++;
        return j;
    }

    /** Whether position j (a node index or an edge) starts or ends a term. */
    private static boolean termEdge(List<Node> l, int j) {
        return j < 0 || j >= l.size() || isSym(l.get(j), ADDITIVE.toArray(String[]::new));
    }

    private static boolean startEdge(List<Node> l, int j) {
        return j < 0 || isSym(l.get(j), "=", ",", "∝", "~", "given", ":");
    }

    private static List<Node> simplify(List<Node> items) {
        List<Node> l = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Node n = items.get(i);
            if (n instanceof Group g) {
                boolean call = i > 0 && items.get(i - 1) instanceof Tok t && t.kind() == Kind.NAME;
                if (call && ((Tok) items.get(i - 1)).text().equals("zeros") && g.open() == '(') {
                    l.remove(l.size() - 1);
                    l.add(ZERO_VECTOR);
                    continue;
                }
                n = new Group(g.open(), simplify(g.items()), g.close());
            }
            l.add(n);
        }
        boolean changed = true;
        while (changed) changed = step(l);
        return l;
    }

    /** One rewrite, if any applies; whether one did. */
    private static boolean step(List<Node> l) {
        for (int i = 0; i < l.size(); i++) {
            Node n = l.get(i);
            int p = prev(l, i);
            int q = next(l, i);
            // a bracket around one operand: (sigma^2) → sigma^2, (zeros(D)) → 0; never a call's parentheses
            if (n instanceof Group g && g.open() == '(' && single(g.items())
                    && !(p >= 0 && p == i - 1 && l.get(p) instanceof Tok t && (t.kind() == Kind.NAME
                        || Set.of("ψ", "Γ", "star", "'", "√").contains(t.text())))
                    && !(q < l.size() && isPostfix(l.get(q)) && hasPostfix(g.items()))
                    && !(p >= 0 && isSym(l.get(p), "/") && q < l.size() && q == i + 1 && !termEdge(l, q) && !isSym(l.get(q), "·", "/"))) {
                List<Node> inner = strip(g.items());
                l.remove(i);
                l.addAll(i, inner);
                return true;
            }
            // x/1 → x
            if (isSym(n, "/") && q < l.size() && isNum(l.get(q), "1") && !(q + 1 < l.size() && isPostfix(l.get(q + 1)))) {
                removeRange(l, i, q);
                return true;
            }
            // 1·x → x at a term's start or after ·
            if (isNum(n, "1") && (termEdge(l, p) || isSym(l.get(p), "·")) && q < l.size() && isSym(l.get(q), "·", "*")
                    && !(p >= 0 && isSym(l.get(p), "/"))) {
                removeRange(l, i, q);
                return true;
            }
            // x·1 → x before the end of a term
            if (isSym(n, "·", "*") && q < l.size() && isNum(l.get(q), "1")
                    && (termEdge(l, next(l, q)) || isSym(l.get(next(l, q)), "·", "/")) && p >= 0 && !termEdge(l, p)) {
                removeRange(l, i, q);
                return true;
            }
            // a term with a zero factor is zero: 0/v, beta0·0, A·0·0ᵀ
            if (isZero(n) && !(p >= 0 && isSym(l.get(p), "/", "^", "_"))) {
                int[] term = term(l, i);
                if (term[0] != i || term[1] != i) {
                    List<Node> span = l.subList(term[0], term[1] + 1);
                    // a Σ that opens a formula may reach over the later terms: only the last term may go with it
                    boolean sum = span.stream().anyMatch(x -> isSym(x, "Σ"));
                    if (!sum || next(l, term[1]) >= l.size()) {
                        boolean vector = span.stream().anyMatch(x -> x == ZERO_VECTOR);
                        span.clear();
                        l.add(term[0], vector ? ZERO_VECTOR : new Tok(Kind.NUM, "0"));
                        return true;
                    }
                }
            }
            // 0 + x → x, x + 0 → x, x − 0 → x, and −0 → 0 where a term starts
            if (isZero(n) && termEdge(l, p) && termEdge(l, q)) {
                boolean plusAfter = q < l.size() && isSym(l.get(q), "+");
                boolean opBefore = p >= 0 && isSym(l.get(p), "+", "−", "-");
                boolean startBefore = startEdge(l, p) || (p >= 0 && isSym(l.get(p), "(")) ;
                if (opBefore) {
                    int pp = prev(l, p);
                    if (pp >= 0 && !termEdge(l, pp) || isSym(l.get(p), "−", "-") && startEdge(l, pp)) {
                        if (isSym(l.get(p), "+") || !startEdge(l, pp)) {
                            removeRange(l, p, i);      // x + 0, x − 0
                        } else {
                            removeRange(l, p, p);      // −0 → 0
                        }
                        trimSpace(l);
                        return true;
                    }
                }
                if ((p < 0 || startBefore) && plusAfter) {
                    removeRange(l, i, q);              // 0 + x
                    trimSpace(l);
                    return true;
                }
                if ((p < 0 || startBefore) && q < l.size() && isSym(l.get(q), "−", "-")) {
                    removeRange(l, i, i);              // 0 − x → −x
                    trimSpace(l);
                    return true;
                }
            }
            // 2 − 1 → 1 where the two numbers make a whole term
            if (n instanceof Tok a && a.kind() == Kind.NUM && (p < 0 || startEdge(l, p)) && q < l.size() && isSym(l.get(q), "+", "−", "-")) {
                int r = next(l, q);
                if (r < l.size() && l.get(r) instanceof Tok b && b.kind() == Kind.NUM && termEdge(l, next(l, r))
                        && !(r + 1 < l.size() && isPostfix(l.get(r + 1)))) {
                    BigDecimal x = new BigDecimal(a.text());
                    BigDecimal y = new BigDecimal(b.text());
                    BigDecimal v = isSym(l.get(q), "+") ? x.add(y) : x.subtract(y);
                    removeRange(l, i, r);
                    if (v.signum() < 0) {
                        l.add(i, new Tok(Kind.NUM, v.negate().stripTrailingZeros().toPlainString()));
                        l.add(i, new Tok(Kind.SYM, "−"));
                    } else {
                        l.add(i, new Tok(Kind.NUM, v.stripTrailingZeros().toPlainString()));
                    }
                    return true;
                }
            }
        }
        return false;
    }

    /** The first and last index of the product around position i: up to the nearest + − , = on each side. */
    private static int[] term(List<Node> l, int i) {
        int a = i;
        while (a - 1 >= 0 && !termEdge(l, a - 1) && !(l.get(a - 1) instanceof Tok t && t.kind() == Kind.SPACE && isWordBefore(l, a - 1))) a--;
        int b = i;
        while (b + 1 < l.size() && !termEdge(l, b + 1)) b++;
        while (a < i && l.get(a) instanceof Tok t && t.kind() == Kind.SPACE) a++;
        while (b > i && l.get(b) instanceof Tok t && t.kind() == Kind.SPACE) b--;
        return new int[] {a, b};
    }

    /** Whether the space at s follows a word such as "for": a term never extends over prose. */
    private static boolean isWordBefore(List<Node> l, int s) {
        return s - 1 >= 0 && l.get(s - 1) instanceof Tok t && t.kind() == Kind.NAME && WORDS.contains(t.text());
    }

    private static void removeRange(List<Node> l, int from, int to) {
        // with the space after it, if any, so that "0 + x" leaves "x"
        int end = to + 1 < l.size() && l.get(to + 1) instanceof Tok t && t.kind() == Kind.SPACE ? to + 1 : to;
        l.subList(from, end + 1).clear();
    }

    private static void trimSpace(List<Node> l) {
        while (!l.isEmpty() && l.get(0) instanceof Tok t && t.kind() == Kind.SPACE) l.remove(0);
        while (!l.isEmpty() && l.get(l.size() - 1) instanceof Tok t && t.kind() == Kind.SPACE) l.remove(l.size() - 1);
    }

    private static List<Node> strip(List<Node> items) {
        List<Node> l = new ArrayList<>(items);
        trimSpace(l);
        return l;
    }

    /** One operand: a name, number or bracket with its index, power and transpose, and nothing else. */
    private static boolean single(List<Node> items) {
        List<Node> l = strip(items);
        if (l.isEmpty()) return false;
        Node first = l.get(0);
        if (!(first instanceof Tok t && (t.kind() == Kind.NAME || t.kind() == Kind.NUM || t.kind() == Kind.ZERO))) return false;
        if (first instanceof Tok f && f.kind() == Kind.NAME && (FUNCTIONS.containsKey(f.text()) || f.text().equals("inv"))) return false;
        for (int j = 1; j < l.size(); j++) {
            Node n = l.get(j);
            if (isSym(n, "^") && j + 1 < l.size() && l.get(j + 1) instanceof Tok e && e.kind() != Kind.SPACE) {
                j++;
                continue;
            }
            if (!isPostfix(n)) return false;
        }
        return true;
    }

    private static boolean hasPostfix(List<Node> items) {
        return items.stream().anyMatch(n -> isSym(n, "²", "ᵀ", "^"));
    }

    // ---- the reach of a leading Σ ----

    /**
     * The plan writes Σ_k a + b[k] for Σ_k (a + b[k]): a Σ that opens a formula reaches over the later
     * terms that use its index. Set as Σ_k [a + b_k], as a reader takes it; on each side of an "=".
     */
    private static List<Node> scopeSums(List<Node> l) {
        List<Node> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= l.size(); i++) {
            if (i == l.size() || isSym(l.get(i), "=")) {
                out.addAll(scope(new ArrayList<>(l.subList(start, i))));
                if (i < l.size()) out.add(l.get(i));
                start = i + 1;
            }
        }
        return out;
    }

    private static List<Node> scope(List<Node> p) {
        int a = next(p, -1);
        if (a + 2 >= p.size() || !isSym(p.get(a), "Σ") || !isSym(p.get(a + 1), "_")
                || !(p.get(a + 2) instanceof Tok idx && idx.kind() == Kind.NAME)) {
            return p;
        }
        int body = next(p, a + 2);
        boolean later = false;
        boolean uses = false;
        for (int j = body + 1; j < p.size(); j++) {
            if (isSym(p.get(j), "+", "−", "-")) later = true;
            if (later && mentions(p.get(j), idx.text())) uses = true;
        }
        if (!uses) return p;
        List<Node> inner = strip(p.subList(body, p.size()));
        List<Node> out = new ArrayList<>(p.subList(0, body));
        out.add(new Group('[', inner, ']'));
        return out;
    }

    private static boolean mentions(Node n, String name) {
        if (n instanceof Tok t) return t.kind() == Kind.NAME && t.text().equals(name);
        if (n instanceof Group g) return g.items().stream().anyMatch(x -> mentions(x, name));
        return false;
    }

    // ---- fractions ----

    /** a/b → Frac(a, b), where a and b are the operands written against each other (2π, D(D − 1)). */
    private static List<Node> fractions(List<Node> items) {
        List<Node> l = new ArrayList<>();
        for (Node n : items) l.add(n instanceof Group g ? new Group(g.open(), fractions(g.items()), g.close()) : n);
        for (int i = 0; i < l.size(); i++) {
            if (!isSym(l.get(i), "/")) continue;
            int p = prev(l, i);
            int q = next(l, i);
            if (p < 0 || q >= l.size()) continue;
            // a slash between spaces divides the whole product before it: Σ_i phi_ik x_i / (…)
            boolean spaced = l.get(i - 1) instanceof Tok s1 && s1.kind() == Kind.SPACE;
            int a = spaced ? termStart(l, p) : operandStart(l, p);
            int b = operandEnd(l, q);
            if (a < 0 || b < 0) continue;
            List<Node> num = unwrap(new ArrayList<>(l.subList(a, p + 1)));
            List<Node> den = unwrap(new ArrayList<>(l.subList(q, b + 1)));
            l.subList(a, b + 1).clear();
            l.add(a, new Frac(num, den));
            i = a;
        }
        return l;
    }

    private static boolean operandPart(Node n) {
        if (n instanceof Tok t) {
            if (t.kind() == Kind.SPACE) return false;
            if (t.kind() == Kind.SYM) return Set.of("²", "ᵀ", "^", "'", "π", "ψ", "Γ", "½", "|", "star", "_").contains(t.text());
            return !(t.kind() == Kind.NAME && WORDS.contains(t.text()));
        }
        return true;
    }

    private static int termStart(List<Node> l, int end) {
        int a = end;
        while (a - 1 >= 0 && !termEdge(l, a - 1)) a--;
        while (a < end && l.get(a) instanceof Tok t && t.kind() == Kind.SPACE) a++;
        return a;
    }

    private static int operandStart(List<Node> l, int end) {
        if (!operandPart(l.get(end))) return -1;
        int a = end;
        while (a - 1 >= 0 && operandPart(l.get(a - 1))) a--;
        return a;
    }

    private static int operandEnd(List<Node> l, int start) {
        if (!operandPart(l.get(start))) return -1;
        int b = start;
        while (b + 1 < l.size() && operandPart(l.get(b + 1))) b++;
        return b;
    }

    private static List<Node> unwrap(List<Node> l) {
        if (l.size() == 1 && l.get(0) instanceof Group g && g.open() == '(') return strip(g.items());
        return l;
    }

    // ---- rendering ----

    private static final Map<String, String> GREEK = Map.ofEntries(
            Map.entry("alpha", "\\alpha"), Map.entry("beta", "\\beta"), Map.entry("gamma", "\\gamma"), Map.entry("delta", "\\delta"),
            Map.entry("epsilon", "\\epsilon"), Map.entry("zeta", "\\zeta"), Map.entry("eta", "\\eta"), Map.entry("theta", "\\theta"),
            Map.entry("iota", "\\iota"), Map.entry("kappa", "\\kappa"), Map.entry("lambda", "\\lambda"), Map.entry("mu", "\\mu"),
            Map.entry("nu", "\\nu"), Map.entry("xi", "\\xi"), Map.entry("pi", "\\pi"), Map.entry("rho", "\\rho"),
            Map.entry("sigma", "\\sigma"), Map.entry("tau", "\\tau"), Map.entry("upsilon", "\\upsilon"), Map.entry("phi", "\\phi"),
            Map.entry("chi", "\\chi"), Map.entry("psi", "\\psi"), Map.entry("omega", "\\omega"),
            Map.entry("Gamma", "\\Gamma"), Map.entry("Delta", "\\Delta"), Map.entry("Theta", "\\Theta"), Map.entry("Lambda", "\\Lambda"),
            Map.entry("Xi", "\\Xi"), Map.entry("Pi", "\\Pi"), Map.entry("Sigma", "\\Sigma"), Map.entry("Phi", "\\Phi"),
            Map.entry("Psi", "\\Psi"), Map.entry("Omega", "\\Omega"));

    /** Functions set upright. */
    private static final Map<String, String> FUNCTIONS = Map.of("log", "\\log", "exp", "\\exp", "tr", "\\operatorname{tr}",
            "det", "\\det", "B", "\\mathrm{B}", "KL", "\\mathrm{KL}");

    /** Words inside a formula, set as text. */
    static final Set<String> WORDS = Set.of("for", "in", "each", "and", "const", "component", "factor", "factors", "where",
            "with", "stick", "of", "the", "other", "latents", "expectations", "under");

    private static final Map<String, String> SYMBOLS = Map.ofEntries(
            Map.entry("Σ", "\\sum"), Map.entry("²", "^{2}"), Map.entry("·", "\\cdot"), Map.entry("−", "-"), Map.entry("-", "-"),
            Map.entry("∝", "\\propto"), Map.entry("½", "\\tfrac{1}{2}"), Map.entry("ψ", "\\psi"), Map.entry("Γ", "\\Gamma"),
            Map.entry("π", "\\pi"), Map.entry("ᵀ", "^{\\top}"), Map.entry("…", "\\ldots"), Map.entry("→", "\\to"),
            Map.entry("×", "\\times"), Map.entry("~", "\\sim"), Map.entry("≤", "\\le"), Map.entry("≥", "\\ge"),
            Map.entry("%", "\\%"), Map.entry("#", "\\#"), Map.entry("&", "\\&"), Map.entry("$", "\\$"), Map.entry("*", "\\,"),
            Map.entry("given", "\\mid"), Map.entry("|", "|"), Map.entry("star", "^{*}"), Map.entry("..", ",\\ldots,"),
            Map.entry("§", "\\S"), Map.entry("√", "\\sqrt"), Map.entry("≈", "\\approx"), Map.entry("∈", "\\in"),
            Map.entry("η", "\\eta"), Map.entry("Δ", "\\Delta"), Map.entry("Π", "\\Pi"), Map.entry("φ", "\\phi"),
            Map.entry("μ", "\\mu"), Map.entry("τ", "\\tau"), Map.entry("Λ", "\\Lambda"), Map.entry("β", "\\beta"),
            Map.entry("α", "\\alpha"), Map.entry("ν", "\\nu"), Map.entry("λ", "\\lambda"), Map.entry("σ", "\\sigma"),
            Map.entry("‖", "\\,\\|\\,"), Map.entry("\\", "\\backslash"));

    private static String render(List<Node> l, boolean index) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < l.size(); i++) {
            Node n = l.get(i);
            Node after = i + 1 < l.size() ? l.get(i + 1) : null;
            if (n instanceof Frac f) {
                out.append("\\frac{").append(render(f.numerator(), false)).append("}{").append(render(f.denominator(), false)).append('}');
            } else if (n instanceof Group g) {
                out.append(group(g));
            } else if (n instanceof Tok t) {
                switch (t.kind()) {
                    case SPACE -> out.append(' ');
                    case NUM -> {
                        if (after instanceof Group g && g.open() == '[' && t.text().equals("1")) {
                            out.append("\\mathbf{1}").append(bracket("[", render(g.items(), false), "]"));    // an indicator 1[c = k]
                            i++;
                        } else {
                            out.append(t.text());
                        }
                    }
                    case ZERO -> out.append("\\mathbf{0}");
                    case SYM -> {
                        if (t.text().equals("_") && after != null) {
                            out.append("_{").append(after instanceof Group g ? render(g.items(), true) : render(List.of(after), true)).append('}');
                            i++;
                        } else if (t.text().equals("^") && after != null) {
                            out.append("^{").append(after instanceof Group g ? render(g.items(), false) : render(List.of(after), false)).append('}');
                            i++;
                        } else {
                            String s = SYMBOLS.get(t.text());
                            if (s == null) s = t.text().charAt(0) < 128 ? t.text() : "\\text{" + t.text() + "}";
                            out.append(s);
                            if (s.startsWith("\\") && Character.isLetter(s.charAt(s.length() - 1))) out.append(' ');
                        }
                    }
                    case NAME -> i = name(l, i, index, out);
                }
            }
        }
        return out.toString();
    }

    /** A name and what it takes: its index, E[…], inv(…), eye(…); returns the last index used. */
    private static int name(List<Node> l, int i, boolean index, StringBuilder out) {
        String w = ((Tok) l.get(i)).text();
        Node after = i + 1 < l.size() ? l.get(i + 1) : null;
        if ((w.equals("E") || w.equals("H")) && after instanceof Group g && g.open() == '[') {
            out.append("\\mathbb{").append(w).append('}').append(bracket("[", render(g.items(), false), "]"));
            return i + 1;
        }
        if (w.equals("inv") && after instanceof Group g && g.open() == '(') {
            List<Node> inner = strip(g.items());
            while (inner.size() == 1 && inner.get(0) instanceof Group h && h.open() == '(') inner = strip(h.items());
            String body = render(fractions(inner), false);
            out.append(!single(inner) ? bracket("(", body, ")") : body.contains("^") ? "{" + body + "}" : body).append("^{-1}");
            return i + 1;
        }
        if (w.equals("eye") && after instanceof Group g && g.open() == '(') {
            out.append("I_{").append(render(g.items(), true)).append('}');
            return i + 1;
        }
        if (index) {    // inside a subscript a word of letters is the indices: phi_ik
            out.append(GREEK.containsKey(w) ? GREEK.get(w) + " " : WORDS.contains(w) || w.length() > 3 ? "\\text{" + w + "}" : w);
            return i;
        }
        if (FUNCTIONS.containsKey(w)) {
            out.append(FUNCTIONS.get(w)).append(' ');
            return i;
        }
        if (WORDS.contains(w)) {
            boolean range = w.equals("in") && i + 3 < l.size() && l.get(i + 2) instanceof Tok t && t.kind() == Kind.NUM
                    && isSym(l.get(i + 3), "..");
            out.append(range ? "= " : "\\text{ " + w + " }");
            return i;
        }
        // the name's letters, then its digits as a subscript (beta0 → β_0); s2 is the plan's variance s²
        String letters = w.replaceAll("[0-9]+$", "");
        String digits = w.substring(letters.length());
        // Gamma(a, b) is the distribution, not the letter Γ
        boolean distribution = Character.isUpperCase(letters.charAt(0)) && after instanceof Group g && g.open() == '(';
        String core = GREEK.containsKey(letters) && !distribution ? GREEK.get(letters)
                : letters.length() == 1 ? letters
                : Character.isUpperCase(letters.charAt(0)) ? "\\operatorname{" + letters + "}"
                : "\\mathit{" + letters + "}";
        String sup = "";
        if (w.equals("s2")) {
            digits = "";
            sup = "2";
        }
        int j = i;
        StringBuilder primes = new StringBuilder();
        while (j + 1 < l.size() && isSym(l.get(j + 1), "'")) {
            primes.append('\'');
            j++;
        }
        String sub = digits;
        if (j + 1 < l.size() && l.get(j + 1) instanceof Group g && g.open() == '[') {
            String idx = indices(g.items());
            sub = digits.isEmpty() ? idx : idx + "," + digits;
            j++;
        }
        out.append(core);
        if (!primes.isEmpty()) out.append(primes);
        if (!sub.isEmpty()) out.append("_{").append(sub).append('}');
        if (!sup.isEmpty()) out.append("^{").append(sup).append('}');
        if (core.matches(".*\\\\[a-zA-Z]+") && sub.isEmpty() && sup.isEmpty() && primes.isEmpty()) out.append(' ');
        return j;
    }

    /** An index list: phi[i,k] → ik, x[i] → i, mu[c[i]] → c_i, pi[j] → j. */
    private static String indices(List<Node> items) {
        List<Node> l = strip(items);
        boolean letters = l.stream().allMatch(n -> isSym(n, ",") || n instanceof Tok t && (t.kind() == Kind.NAME && t.text().length() == 1));
        if (letters) {
            StringBuilder s = new StringBuilder();
            for (Node n : l) if (!isSym(n, ",")) s.append(((Tok) n).text());
            return s.toString();
        }
        return render(l, false);
    }

    private static String group(Group g) {
        String body = render(g.items(), false);
        return switch (g.open()) {
            case '(' -> bracket("(", body, g.close() == ')' ? ")" : ".");
            case '[' -> bracket("[", body, g.close() == ']' ? "]" : ".");
            default -> bracket("\\{", body, g.close() == '}' ? "\\}" : ".");
        };
    }

    /** Brackets that grow (\left, \right) around a fraction or a sum. */
    private static String bracket(String open, String body, String close) {
        boolean tall = body.contains("\\frac") || body.contains("\\sum") || body.contains("\\left");
        if (tall || close.equals(".")) return "\\left" + open + body.strip() + "\\right" + close;
        return open + body.strip() + close;
    }

    // ---- lines of prose and math ----

    private static final Set<String> SHORT_PROSE = Set.of("is", "of", "by", "to", "as", "at", "up", "so", "an", "on", "in",
            "or", "no", "it", "be", "we", "et", "al");
    private static final Set<String> MATH_WORDS = Set.of("log", "exp", "inv", "zeros", "eye", "tr", "const", "det");

    /** A line split into prose and math: every formula, even inside a sentence, becomes a Math. */
    static List<Segment> segments(String line) {
        return segments(line, Set.of());
    }

    /** The same, with the model's names (its latents), which are formulas even when they read as words: rate. */
    static List<Segment> segments(String line, Set<String> names) {
        List<String> chunks = List.of(line.split(" ", -1));
        List<Segment> out = new ArrayList<>();
        StringBuilder math = new StringBuilder();
        StringBuilder prose = new StringBuilder();
        boolean lastProse = false;
        for (int c = 0; c < chunks.size(); c++) {
            String chunk = chunks.get(c);
            String next = c + 1 < chunks.size() ? chunks.get(c + 1) : "";
            String core = chunk.replaceAll("^\\(+", "").replaceAll("[),.;:]+$", "");
            // inside a bracket a formula opened, every word is the formula's: (log(1/K), for each k)
            boolean open = depth(math) > 0;
            boolean isProse = !open && !names.contains(core) && (prose(chunk, core, next, lastProse) || chunk.isEmpty() && lastProse);
            if (isProse) {
                if (!math.isEmpty()) flushMath(math, prose, out);
                prose.append(chunk).append(' ');
            } else {
                if (!prose.isEmpty() && math.isEmpty()) {
                    out.add(new Prose(prose.toString()));
                    prose.setLength(0);
                }
                math.append(chunk).append(' ');
            }
            lastProse = isProse;
        }
        if (!math.isEmpty()) flushMath(math, prose, out);
        if (!prose.isEmpty()) out.add(new Prose(prose.toString()));
        // join neighbouring prose, trim the line's ends
        List<Segment> joined = new ArrayList<>();
        for (Segment s : out) {
            if (s instanceof Prose p && !joined.isEmpty() && joined.get(joined.size() - 1) instanceof Prose q) {
                joined.set(joined.size() - 1, new Prose(q.text() + p.text()));
            } else if (!(s instanceof Prose p && p.text().isEmpty())) {
                joined.add(s);
            }
        }
        if (!joined.isEmpty() && joined.get(joined.size() - 1) instanceof Prose p) {
            if (p.text().isBlank()) joined.remove(joined.size() - 1);
            else joined.set(joined.size() - 1, new Prose(p.text().stripTrailing()));
        }
        return joined;
    }

    /** Ends a run of math: its unbalanced brackets and trailing punctuation go to the prose around it. */
    private static void flushMath(StringBuilder math, StringBuilder prose, List<Segment> out) {
        String m = math.toString().strip();
        String lead = "";
        String trail = "";
        while (true) {
            if (!m.isEmpty() && ",.;:".indexOf(m.charAt(m.length() - 1)) >= 0) {
                trail = m.charAt(m.length() - 1) + trail;
                m = m.substring(0, m.length() - 1);
            } else if (m.endsWith(")") && count(m, '(') < count(m, ')')) {
                trail = ")" + trail;
                m = m.substring(0, m.length() - 1);
            } else if (m.startsWith("(") && count(m, '(') > count(m, ')')) {
                lead = lead + "(";
                m = m.substring(1);
            } else {
                break;
            }
        }
        if (!prose.isEmpty() || !lead.isEmpty()) out.add(new Prose(prose + lead));
        prose.setLength(0);
        if (!m.isBlank()) out.add(new Math(m.strip()));
        prose.append(trail).append(' ');
        math.setLength(0);
    }

    private static int depth(CharSequence s) {
        int d = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(' || c == '[' || c == '{') d++;
            else if (c == ')' || c == ']' || c == '}') d--;
        }
        return d;
    }

    private static int count(String s, char c) {
        return (int) s.chars().filter(x -> x == c).count();
    }

    private static boolean prose(String chunk, String core, String next, boolean lastProse) {
        if (core.isEmpty()) return false;
        if (core.equals("&")) return true;
        if (core.matches("[A-Z][a-z]+(-[A-Za-z][a-z]+)*|[A-Z][a-zA-Z]+")) {    // a capitalised word: a name, a family, an author
            // a Greek name alone is a word ("a Gamma prior"); with its bracket it is a formula, Gamma(a0, b0)
            return !(GREEK.containsKey(core) && !chunk.matches("\\(?" + core + "[,.;:]?")) && !core.equals("KL");
        }
        if (core.matches("[a-z]+(-[a-z]+)+")) return true;             // log-sum-exp
        if (core.matches("[a-z]+'?s?")) {
            if (GREEK.containsKey(core) || MATH_WORDS.contains(core)) return false;
            if (core.length() >= 3) return true;
            if (core.equals("in") && next.matches("\\d+\\.\\..*")) return false;    // i in 1..n
            if (SHORT_PROSE.contains(core)) return true;
            if (core.equals("a")) return next.replaceAll("^\\(+", "").matches("[A-Za-z][a-z]+[,.;:]?")
                    && !(GREEK.containsKey(next) && Character.isLowerCase(next.charAt(0)));
            return false;
        }
        // a year, a section: numbers that follow words
        if (core.matches("\\d-D")) return true;                         // 1-D
        if (core.contains("§") || core.matches("B\\.\\d+|\\d+\\.\\d+\\.\\d+(\\.\\d+)*") || core.matches("\\d{4}")) return true;
        if (core.matches("\\d+(\\.\\d+)?") && lastProse && !next.matches("[−+·/=].*")) return true;
        return false;
    }
}

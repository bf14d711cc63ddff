package org.cavi.family;

import java.util.List;
import java.util.Optional;

/**
 * The conjugate rules the runtime executes: for each likelihood, the family of q its
 * parameter gets. Adding a likelihood whose log density is linear in its conjugate prior's
 * statistics is one class and one line here.
 */
public final class Registry {
    private Registry() {}

    public static final String PRML = "Bishop (2006), Pattern Recognition and Machine Learning";
    public static final String BDA = "Gelman et al. (2013), Bayesian Data Analysis, chapter 2";
    public static final String BLEI = "Blei, Kucukelbir & McAuliffe (2017), Variational inference: a review for statisticians, "
            + "section 3, Algorithm 2";
    public static final String VMP = "Winn & Bishop (2005), Variational message passing";

    /** Likelihoods with one parameter per component and a conjugate Beta or Gamma prior. */
    public static final List<LinearLikelihood> LINEAR = List.of(new Bernoulli(), new Poisson(), new Exponential());

    public static Optional<LinearLikelihood> linear(String name) {
        return LINEAR.stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /** Every likelihood cavi fits, for messages. */
    public static List<String> likelihoodNames() {
        List<String> out = new java.util.ArrayList<>(List.of("Normal", "MvNormal"));
        LINEAR.forEach(l -> out.add(l.name()));
        return out;
    }

    /** u + v·x as printed: "", "1", "x", "−x", "1 − x", "2·x" … */
    public static String coefficient(double u, double v, String x) {
        return combination(u, "", v, x);
    }

    /**
     * p·a + q·b as printed, with unit and zero coefficients dropped: "N − S", "−N", "2·S" …; an empty
     * symbol stands for 1, so the coefficient prints alone. Empty when both coefficients are 0.
     */
    public static String combination(double p, String a, double q, String b) {
        String first = term(p, a), second = term(q, b);
        if (first.isEmpty()) return second;
        if (second.isEmpty()) return first;
        return first + (second.startsWith("−") ? " − " + second.substring(1) : " + " + second);
    }

    private static String term(double c, String symbol) {
        if (c == 0) return "";
        if (symbol.isEmpty()) return number(c);
        return c == 1 ? symbol : c == -1 ? "−" + symbol : number(c) + "·" + symbol;
    }

    private static String number(double v) {
        String s = v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        return s.startsWith("-") ? "−" + s.substring(1) : s;
    }
}

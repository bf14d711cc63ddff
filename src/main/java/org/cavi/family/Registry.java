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
        String us = u == 0 ? "" : number(u);
        String vs = v == 0 ? "" : v == 1 ? x : v == -1 ? "−" + x : number(v) + "·" + x;
        if (us.isEmpty()) return vs;
        if (vs.isEmpty()) return us;
        return us + (vs.startsWith("−") ? " − " + vs.substring(1) : " + " + vs);
    }

    private static String number(double v) {
        String s = v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        return s.startsWith("-") ? "−" + s.substring(1) : s;
    }
}

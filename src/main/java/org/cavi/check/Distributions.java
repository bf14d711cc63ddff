package org.cavi.check;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The distributions the language knows, with their parameters in order. */
public final class Distributions {
    private Distributions() {}

    /** @param optional how many trailing parameters may be left out */
    public record Signature(String name, List<String> params, int optional, String note) {
        Signature(String name, List<String> params, String note) { this(name, params, 0, note); }
        public String describe() { return name + "(" + String.join(", ", params) + ")"; }
        public boolean accepts(int arity) { return arity <= params.size() && arity >= params.size() - optional; }
        public String arity() {
            int max = params.size(), min = max - optional;
            return (min == max ? Integer.toString(max) : min + " or " + max) + " argument" + (max == 1 ? "" : "s");
        }
    }

    /** How many trailing dimensions of the left side are one draw: a vector for MvNormal. */
    public static int eventDims(String name) {
        return name.equals("MvNormal") ? 1 : 0;
    }

    private static final Map<String, Signature> BUILT_IN = Map.of(
            "MvNormal", new Signature("MvNormal", List.of("mean", "covariance"), "the second argument is a covariance matrix"),
            "Wishart", new Signature("Wishart", List.of("nu", "W"), "degrees of freedom nu and scale matrix W: E[Lambda] = nu·W"),
            "Normal", new Signature("Normal", List.of("mean", "variance"), "the second argument is a variance, not a standard deviation"),
            "Categorical", new Signature("Categorical", List.of("K or probabilities"), "Categorical(K) is uniform over 1..K"),
            "Gamma", new Signature("Gamma", List.of("shape", "rate"), ""),
            "Beta", new Signature("Beta", List.of("a", "b"), ""),
            "Dirichlet", new Signature("Dirichlet", List.of("alpha", "K"), 1, "Dirichlet(alpha, K) is symmetric; Dirichlet([..]) takes the vector"),
            "StickBreaking", new Signature("StickBreaking", List.of("alpha", "K"), "the weights of a Dirichlet process "
                    + "with concentration alpha, truncated to K components: sticks v[k] ~ Beta(1, alpha)"));

    /** The built-in distributions, and each likelihood unit of the registry with its one parameter. */
    private static final Map<String, Signature> KNOWN = known();

    private static Map<String, Signature> known() {
        Map<String, Signature> all = new java.util.HashMap<>(BUILT_IN);
        for (org.cavi.family.LinearLikelihood l : org.cavi.family.Registry.LINEAR) {
            all.put(l.name(), new Signature(l.name(), List.of(l.argument()), ""));
        }
        return Map.copyOf(all);
    }

    public static Optional<Signature> lookup(String name) { return Optional.ofNullable(KNOWN.get(name)); }

    public static List<String> names() { return KNOWN.keySet().stream().sorted().toList(); }
}

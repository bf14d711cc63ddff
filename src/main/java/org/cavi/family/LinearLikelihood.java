package org.cavi.family;

import java.util.Optional;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * A likelihood with one parameter θ per component whose log density is linear in the
 * sufficient statistics T(θ) of its conjugate prior, with coefficients linear in x:
 *
 * <pre>  log p(x | θ) = Σ_m (u_m + v_m·x)·T_m(θ) + h(x)</pre>
 *
 * From (u, v, h) follow everything CAVI needs, for every such likelihood alike:
 * the exponent of φ, bias + slope·x with bias = u·E[T] and slope = v·E[T]; the message to
 * q(θ_k), u·N_k + v·Σφx in natural coordinates; and E[log p(x | θ)] = Σ_k (u·N_k + v·S_k)·E[T_k]
 * + Σ_i h(x_i). A new likelihood of this kind is one class and a line in {@link Registry}.
 */
public interface LinearLikelihood extends java.io.Serializable {
    /** The distribution's name as a model writes it: "Poisson". */
    String name();

    /** What its parameter is called in messages: "rate". */
    String parameter();

    /** The parameter's name in the distribution's signature: "rate", "p". */
    default String argument() { return parameter(); }

    /** Where the literature has this conjugate pair, for the plan's heading. */
    java.util.List<String> references();

    /** The q family of the parameter: its conjugate prior. */
    PositiveFamily prior();

    /** u: the coefficients of T that do not multiply x. */
    double[] u();

    /** v: the coefficients of T that multiply x. */
    double[] v();

    /** h(x), the base measure's log; 0 unless the likelihood has one. */
    default double logBase(double x) { return 0; }

    /** Whether h is not identically 0, so that Σ h(x_i) is worth a pass of its own. */
    default boolean hasBase() { return false; }

    /** Σ_i h(x_i) as printed after E[log p(x | θ)], e.g. " − Σ_i log x[i]!"; empty without a base measure. */
    default String baseText(String sumI, String x) { return ""; }

    /** What a datum must be, or empty if x is one. */
    Optional<String> invalidDatum(double x);

    /** The density (or probability) of x given θ, for plots. */
    double density(double theta, double x);

    /**
     * log p(x | q) = log ∫ p(x | θ) q(θ) dθ, the posterior predictive of one datum under q = (a, b):
     * since p(x | θ)·q(θ) is q's family with the datum's message u + v·x added to its natural
     * parameters, it is h(x) + A(q after the datum) − A(q). For a Bernoulli that is the
     * beta-binomial with one trial, for a Poisson the negative binomial, for an Exponential the Lomax.
     */
    default double logPredictive(double a, double b, double x) {
        PositiveFamily q = prior();
        double[] eta = q.natural(a, b), u = u(), v = v();
        double[] after = q.fromNatural(eta[0] + u[0] + v[0] * x, eta[1] + u[1] + v[1] * x);
        return logBase(x) + q.logNormalizer(after[0], after[1]) - q.logNormalizer(a, b);
    }

    /** Whether the data are counts or categories: plots draw a bar per value. */
    boolean discrete();

    /**
     * Whether a datum is drawn by inversion from one uniform of the simulator's main stream,
     * drawn before the datum's component is picked (as cavi always drew Bernoulli data); if not,
     * it comes from the second stream, {@code well}.
     */
    default boolean byInversion() { return false; }

    /** One datum given θ: from the uniform u when {@link #byInversion()}, else from {@code well}. */
    double sample(double theta, double u, RandomGenerator well);

    /**
     * Σ_m (u_m + v_m·x)·E[T_m] as printed, given E[T] as printed (each a single term or in parentheses):
     * E[log p(x | θ)] for one datum, up to h(x).
     */
    default String expectedLogDensity(String x, String[] eT) {
        StringBuilder s = new StringBuilder();
        for (int m = 0; m < 2; m++) {
            String coef = Registry.coefficient(u()[m], v()[m], x);
            if (coef.isEmpty()) continue;
            boolean negative = coef.startsWith("−") && !coef.contains(" ");
            String c = negative ? coef.substring(1) : coef;
            if (s.length() > 0) s.append(negative ? " − " : " + ");
            else if (negative) s.append("−");
            s.append(c.equals("1") ? "" : c.contains(" ") ? "(" + c + ")·" : c + "·").append(eT[m]);
        }
        return s.toString();
    }

    /** The message to q(θ_k) in the update, as printed: coordinate m of (a, b) gains this. */
    default String messageText(int m, String nk, String sk) {
        double sign = prior().signs()[m];
        return Registry.combination(sign * u()[m], nk, sign * v()[m], sk);
    }
}

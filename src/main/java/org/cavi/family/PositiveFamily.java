package org.cavi.family;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * The q family of a scalar parameter with two parameters (a, b), conjugate to a likelihood
 * whose log density is linear in its sufficient statistics T(θ) = (T1, T2): Beta for a
 * probability, Gamma for a rate or precision. Natural parameters are affine in (a, b), so a
 * message in natural coordinates adds to (a, b) with the signs {@link #signs()}, and a blend
 * (1 − ρ)η + ρη̂ is the same blend of (a, b).
 */
public sealed interface PositiveFamily permits PositiveFamily.Beta, PositiveFamily.Gamma {
    /** "Beta" or "Gamma": the name a model writes. */
    String name();

    /** The names of (a, b) as the model writes them: (a, b) or (shape, rate). */
    String[] parameterNames();

    /** T(θ) as printed, for a parameter named {@code theta}. */
    String[] statistics(String theta);

    /** The order in which derivations list T: Gamma's as (θ, log θ), as Bishop writes it. */
    default int[] shownOrder() { return new int[] {0, 1}; }

    /** ∂η/∂(a, b): natural coordinate m moves (a, b)'s coordinate m by this sign. */
    double[] signs();

    /** The natural parameters of q = (a, b): η with log q(θ) = η·T(θ) − A(η). */
    default double[] natural(double a, double b) {
        double[] s = signs();
        return new double[] {a - 1, s[1] > 0 ? b - 1 : -b};
    }

    /** (a, b) from natural parameters: the inverse of {@link #natural}. */
    default double[] fromNatural(double e1, double e2) {
        double[] s = signs();
        return new double[] {e1 + 1, s[1] > 0 ? e2 + 1 : -e2};
    }

    /** E[T1(θ)] under q = (a, b). */
    double eT1(double a, double b);

    /** E[T2(θ)] under q = (a, b). */
    double eT2(double a, double b);

    /** E[θ]: what orders components and what a report shows. */
    double mean(double a, double b);

    /** E[log p(θ)] under q, for the prior (a0, b0), given E[T]. */
    double priorTerm(double a0, double b0, double eT1, double eT2);

    /** H[q(θ)]. */
    double entropy(double a, double b);

    /** A draw from (a, b), from the simulator's second stream. */
    double sample(double a, double b, RandomGenerator well);

    /** Typed report fields: the parameters and the mean. */
    default Map<String, Object> report(double[] a, double[] b) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put(parameterNames()[0], a.clone());
        f.put(parameterNames()[1], b.clone());
        double[] mean = new double[a.length];
        for (int j = 0; j < a.length; j++) mean[j] = mean(a[j], b[j]);
        f.put("mean", mean);
        Interval.put(f, a.length, j -> interval(a[j], b[j]));
        return f;
    }

    /** The central 95% interval of q = (a, b). */
    double[] interval(double a, double b);

    /** A(a, b), the log of q's normaliser: log B(a, b), or log Γ(a) − a·log b. */
    double logNormalizer(double a, double b);

    /** Why a value cannot be θ, or null if it can. */
    String outsideSupport(double v);

    /**
     * E[T1], E[T2] in q's parameters: formulas that print as the plan shows them and evaluate to
     * what {@link #eT1} and {@link #eT2} compute.
     */
    Formula[] expectations(Formula a, Formula b);

    /** E[log p(θ)] for the prior (a0, b0), given E[T]: prints as the plan shows it, evaluates as {@link #priorTerm}. */
    Formula priorTerm(Formula a0, Formula b0, Formula e1, Formula e2);

    /** H[q(θ)]: prints as the plan shows it, evaluates as {@link #entropy}. */
    Formula entropy(Formula a, Formula b);

    /** E[T1], E[T2] as printed, for q's parameters printed as {@code a} and {@code b}. */
    default String[] expectationText(String a, String b) {
        Formula[] e = expectations(Formula.sym(a), Formula.sym(b));
        return new String[] {e[0].text(), e[1].text()};
    }

    /** E[log p(θ)] as printed, for the prior's parameters and E[T] as printed. */
    default String priorTermText(String a0, String b0, String e1, String e2) {
        return priorTerm(Formula.sym(a0), Formula.sym(b0), Formula.sym(e1), Formula.sym(e2)).text();
    }

    /** H[q(θ)] as printed. */
    default String entropyText(String a, String b) {
        return entropy(Formula.sym(a), Formula.sym(b)).text();
    }

    Beta BETA = new Beta();
    Gamma GAMMA = new Gamma();

    /** Beta(a, b): T = (log p, log(1 − p)), η = (a − 1, b − 1). */
    record Beta() implements PositiveFamily {
        @Override public double[] interval(double a, double b) { return Interval.beta(a, b); }
        @Override public double logNormalizer(double a, double b) { return Special.logBeta(a, b); }
        public String name() { return "Beta"; }
        public String[] parameterNames() { return new String[] {"a", "b"}; }
        public String[] statistics(String p) { return new String[] {"log " + p, "log(1 − " + p + ")"}; }
        public double[] signs() { return new double[] {1, 1}; }
        public double eT1(double a, double b) { return Special.digamma(a) - Special.digamma(a + b); }
        public double eT2(double a, double b) { return Special.digamma(b) - Special.digamma(a + b); }
        public double mean(double a, double b) { return a / (a + b); }
        public double priorTerm(double a0, double b0, double e1, double e2) {
            return -Special.logBeta(a0, b0) + (a0 - 1) * e1 + (b0 - 1) * e2;
        }
        public double entropy(double a, double b) {
            return Special.logBeta(a, b) - (a - 1) * Special.digamma(a) - (b - 1) * Special.digamma(b)
                    + (a + b - 2) * Special.digamma(a + b);
        }
        public double sample(double a, double b, RandomGenerator well) {
            double x = GAMMA.sample(a, 1, well);
            double y = GAMMA.sample(b, 1, well);
            return x / (x + y);
        }
        public String outsideSupport(double v) {
            return v >= 0 && v <= 1 ? null : "a Beta latent is in [0, 1], not " + Special.format(v);
        }
        public Formula[] expectations(Formula a, Formula b) {
            Formula total = Formula.digamma(Formula.add(a, b));
            return new Formula[] {Formula.sub(Formula.digamma(a), total), Formula.sub(Formula.digamma(b), total)};
        }
        public Formula priorTerm(Formula a0, Formula b0, Formula e1, Formula e2) {
            return Formula.add(Formula.neg(Formula.logBeta(a0, b0)), Formula.mul(Formula.sub(a0, Formula.num(1)), e1),
                    Formula.mul(Formula.sub(b0, Formula.num(1)), e2));
        }
        public Formula entropy(Formula a, Formula b) {
            Formula one = Formula.num(1);
            return Formula.add(Formula.sub(Formula.sub(Formula.logBeta(a, b), Formula.mul(Formula.sub(a, one), Formula.digamma(a))),
                    Formula.mul(Formula.sub(b, one), Formula.digamma(b))),
                    Formula.mul(Formula.sub(Formula.add(a, b), Formula.num(2)), Formula.digamma(Formula.add(a, b))));
        }
    }

    /** Gamma(shape a, rate b): T = (log θ, θ), η = (a − 1, −b). */
    record Gamma() implements PositiveFamily {
        @Override public double[] interval(double a, double b) { return Interval.gamma(a, b); }
        @Override public double logNormalizer(double a, double b) { return Special.logGamma(a) - a * Math.log(b); }
        public String name() { return "Gamma"; }
        public String[] parameterNames() { return new String[] {"shape", "rate"}; }
        public String[] statistics(String t) { return new String[] {"log " + t, t}; }
        public double[] signs() { return new double[] {1, -1}; }
        @Override public int[] shownOrder() { return new int[] {1, 0}; }
        public double eT1(double a, double b) { return Special.digamma(a) - Math.log(b); }
        public double eT2(double a, double b) { return a / b; }
        public double mean(double a, double b) { return a / b; }
        public double priorTerm(double a0, double b0, double e1, double e2) {
            return a0 * Math.log(b0) - Special.logGamma(a0) + (a0 - 1) * e1 - b0 * e2;
        }
        public double entropy(double a, double b) { return Special.gammaEntropy(a, b); }
        public double sample(double a, double b, RandomGenerator well) {
            return new org.apache.commons.math3.distribution.GammaDistribution(well, a, 1 / b).sample();
        }
        public String outsideSupport(double v) {
            return v > 0 ? null : "a Gamma latent is positive, not " + Special.format(v);
        }
        public Formula[] expectations(Formula a, Formula b) {
            return new Formula[] {Formula.sub(Formula.digamma(a), Formula.log(b)), Formula.div(a, b)};
        }
        public Formula priorTerm(Formula a0, Formula b0, Formula e1, Formula e2) {
            return Formula.sub(Formula.add(Formula.sub(Formula.mul(a0, Formula.log(b0)), Formula.logGamma(a0)),
                    Formula.mul(Formula.sub(a0, Formula.num(1)), e1)), Formula.mul(b0, e2));
        }
        public Formula entropy(Formula a, Formula b) {
            return Formula.add(Formula.sub(a, Formula.log(b)), Formula.logGamma(a),
                    Formula.mul(Formula.sub(Formula.num(1), a), Formula.digamma(a)));
        }
    }
}

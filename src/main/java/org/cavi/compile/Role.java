package org.cavi.compile;

import org.cavi.ast.Expr;
import org.cavi.ast.Stmt;
import org.cavi.family.LinearLikelihood;

/** The part a latent plays in one factor of the model graph; with its prior family, it picks a rule. */
public sealed interface Role {
    String latent();
    Stmt.Tilde factor();

    /** Whether the role is in a multivariate (MvNormal) factor. */
    default boolean multivariate() { return false; }

    /** The mean of a Normal likelihood, picked per data point by {@code selector} (null: no mixture). */
    record Mean(String latent, Stmt.Tilde factor, String selector, boolean multivariate) implements Role {}

    /** 1/latent is the variance of a Normal likelihood (inv(latent) the covariance of an MvNormal one). */
    record Precision(String latent, Stmt.Tilde factor, String selector, boolean multivariate) implements Role {}

    /** The mean's prior is Normal(m0, 1/(beta0·latent)) (or MvNormal(m0, inv(beta0·latent))). */
    record PriorPrecision(String latent, Stmt.Tilde factor, Expr beta0, boolean multivariate) implements Role {}

    /** The index that picks the mixture component of a likelihood. */
    record Selector(String latent, Stmt.Tilde factor) implements Role {}

    /** The probability vector of a Categorical assignment. */
    record Probabilities(String latent, Stmt.Tilde factor) implements Role {}

    /** The parameter of a linear likelihood (the probability of a Bernoulli, the rate of a Poisson, …). */
    record Parameter(String latent, Stmt.Tilde factor, String selector, LinearLikelihood likelihood) implements Role {}

    /** Appears in a factor in a way no rule covers; {@code why} says how. */
    record Unsupported(String latent, Stmt.Tilde factor, String why) implements Role {}
}

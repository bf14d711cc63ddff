package org.cavi.compile;

import org.cavi.ast.Expr;
import org.cavi.ast.Stmt;

/** The part a latent plays in one factor of the model graph; with its prior family, it picks a rule. */
public sealed interface Role {
    String latent();
    Stmt.Tilde factor();

    /** The mean of a Normal likelihood, picked per data point by {@code selector} (null: no mixture). */
    record Mean(String latent, Stmt.Tilde factor, String selector) implements Role {}

    /** 1/latent is the variance of a Normal likelihood. */
    record Precision(String latent, Stmt.Tilde factor, String selector) implements Role {}

    /** The mean's prior is Normal(m0, 1/(beta0·latent)). */
    record PriorPrecision(String latent, Stmt.Tilde factor, Expr beta0) implements Role {}

    /** The index that picks the mixture component of a likelihood. */
    record Selector(String latent, Stmt.Tilde factor) implements Role {}

    /** The probability vector of a Categorical assignment. */
    record Probabilities(String latent, Stmt.Tilde factor) implements Role {}

    /** The probability of a Bernoulli likelihood. */
    record Probability(String latent, Stmt.Tilde factor, String selector) implements Role {}

    /** The rate of a Poisson likelihood. */
    record Rate(String latent, Stmt.Tilde factor, String selector) implements Role {}

    /** Appears in a factor in a way no rule covers; {@code why} says how. */
    record Unsupported(String latent, Stmt.Tilde factor, String why) implements Role {}
}

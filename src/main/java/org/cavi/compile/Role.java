package org.cavi.compile;

import org.cavi.ast.Stmt;

/** The part a latent plays in one factor of the model graph. */
public sealed interface Role {
    String latent();
    Stmt.Tilde factor();

    /** The mean of a Normal factor, picked per data point by a mixture assignment. */
    record MixtureMean(String latent, Stmt.Tilde factor, String selector) implements Role {}

    /** The mean of a Normal factor with no assignment picking it. */
    record PlainMean(String latent, Stmt.Tilde factor) implements Role {}

    /** The index that picks the mixture component of a factor. */
    record Selector(String latent, Stmt.Tilde factor, String selected) implements Role {}

    /** Appears in the variance of a Normal factor. */
    record Variance(String latent, Stmt.Tilde factor) implements Role {}

    /** Appears in the parameters of another latent's prior. */
    record PriorParameter(String latent, Stmt.Tilde factor) implements Role {}

    /** Appears in a factor in a way no rule covers. */
    record Unsupported(String latent, Stmt.Tilde factor, String why) implements Role {}
}

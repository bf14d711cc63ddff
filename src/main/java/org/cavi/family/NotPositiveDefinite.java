package org.cavi.family;

/**
 * A matrix that mathematics makes positive definite (a prior's inverse scale plus data
 * scatter) but that is not so in doubles: overflow, or rounding that lost its smallest
 * direction. The driver tells bad data from a bug by the data's scale (driver.DataScale).
 */
public final class NotPositiveDefinite extends ArithmeticException {
    public NotPositiveDefinite() { super("matrix is not positive definite"); }
}

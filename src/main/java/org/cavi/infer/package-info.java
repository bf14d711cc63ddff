/**
 * The runtime: the fused sweeps (pointwise, vectorised, shared moments), FastExp, the exact
 * ELBO, seeded restarts. Executes a {@code plan} over {@code data} with the units of
 * {@code family}; depends on those three only.
 */
package org.cavi.infer;

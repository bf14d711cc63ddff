/**
 * The runtime: the fused sweeps (pointwise, vectorised, shared moments), FastExp, the exact
 * ELBO, seeded restarts, and the variational posterior they produce. Executes a {@code plan} over
 * {@code data}; depends on those two only.
 */
package org.cavi.infer;

/**
 * The conjugacy matcher: finds each latent's prior and its roles in the model graph, matches
 * each (prior family, role) to a rule, and schedules the updates into a {@code plan}. Depends on
 * {@code ast}, {@code check}, {@code plan} and {@code source}; never on {@code infer} or {@code data}.
 * Being rewritten around the per-family classes of ARCHITECTURE.md.
 */
package org.cavi.compile;

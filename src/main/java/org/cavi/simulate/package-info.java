/**
 * Simulation: draws data from a compiled model's generative process ({@code cavi simulate}, and
 * the tests' and the benchmark's data). Reads the plan's {@code plan.Mixture} and draws with the
 * units of {@code family}; depends on those two only. Used by {@code cli} and {@code bench};
 * nothing in the fitting pipeline uses it.
 */
package org.cavi.simulate;

/**
 * The conjugate families as units: each q family (Beta, Gamma, …) owns its expectations, its
 * update from a message, its prior term and entropy, its report and its draws; each likelihood
 * (Bernoulli, Poisson, Exponential, …) owns its sufficient statistics, its exponent for φ, its
 * message to its parameter, its data check, its density and its draws. {@link org.cavi.family.Registry}
 * maps a likelihood to its rule. Also the reported posterior and the pass's sums, which the
 * runtime and the reports share. Depends on nothing else in cavi.
 */
package org.cavi.family;

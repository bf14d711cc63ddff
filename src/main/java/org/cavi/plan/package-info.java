/**
 * The CAVI plan as immutable data (factors, updates in order, ELBO terms, and the
 * {@code Mixture} numbers the runtime executes) and its printers: plan text, and derivations as text, Markdown and LaTeX.
 * Depends on no stage: {@code compile} writes it, {@code infer} and {@code report} read it.
 */
package org.cavi.plan;

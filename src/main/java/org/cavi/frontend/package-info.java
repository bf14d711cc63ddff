/**
 * What the two front ends share and neither owns: the picocli options of a fit and of a model
 * ({@code FitFlags}, {@code ModelOptions}) and the version. Used by {@code cli} and {@code repl}
 * so that they need not use each other; depends on {@code infer} (for the fit options) only.
 */
package org.cavi.frontend;

/**
 * What the two front ends share and neither owns: the picocli options of a fit and of a model
 * ({@code FitFlags}, {@code ModelOptions}), the layout of data files ({@code DataFormatOptions}),
 * the wording of a bad command line ({@code UsageError}) and the version. Used by {@code cli} and
 * {@code repl} so that they need not use each other; depends on {@code infer} (for the fit
 * options) and {@code data} (for the file layout) only.
 */
package org.cavi.frontend;

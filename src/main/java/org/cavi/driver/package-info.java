/**
 * The one pipeline the command line and the REPL share: source to a compiled plan
 * ({@code Driver}), then data and the fit ({@code FitService}); every stage returns an
 * {@code Outcome}, a value or a {@code Problem}. Depends on every stage below it, never on
 * {@code report}, {@code frontend}, {@code cli} or {@code repl}.
 */
package org.cavi.driver;

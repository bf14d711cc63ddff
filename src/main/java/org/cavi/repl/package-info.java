/**
 * The interactive session: the JLine shell ({@code Repl}) and the session state and commands
 * ({@code Session}), which fit through {@code driver} as the command line does. May depend on
 * anything below it except {@code cli}.
 */
package org.cavi.repl;

/**
 * The picocli commands: run, plan, derive, check, simulate, repl. Thin: each reads its
 * arguments, calls {@code driver}, and prints with {@code report}. May depend on anything
 * below it, and on {@code repl} to start it; nothing depends on {@code cli}.
 */
package org.cavi.cli;

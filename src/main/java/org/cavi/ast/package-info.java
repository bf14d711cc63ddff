/**
 * The abstract syntax tree of a model: sealed interfaces and records, built by {@code parse}.
 * Depends only on {@code source} (for spans).
 */
package org.cavi.ast;

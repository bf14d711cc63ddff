/**
 * The facade over the ANTLR-generated parser and the AST builder: text to {@code ast} or
 * diagnostics. The only package that sees generated classes; depends on {@code ast} and {@code source}.
 */
package org.cavi.parse;

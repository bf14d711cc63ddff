/**
 * Checks a parsed model (names, indices, plates, arities, constants and --set overrides) and
 * evaluates its constants into a {@code CheckedModel}, reporting every error it finds.
 * Depends on {@code ast} and {@code source}.
 */
package org.cavi.check;

/**
 * Source files, spans and located diagnostics rendered with the source line and a caret.
 * The bottom of the graph: it depends on no other cavi package, and every stage uses it.
 */
package org.cavi.source;

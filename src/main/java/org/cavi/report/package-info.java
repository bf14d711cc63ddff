/**
 * What a fit looks like to people: text and JSON reports, the terminal histogram, the
 * JFreeChart pictures, the assignments file, the progress line. Reads {@code infer}'s results
 * with {@code plan} and {@code data}; never depends on {@code driver} or the front ends.
 */
package org.cavi.report;

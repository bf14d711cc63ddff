/**
 * Reading data: CSV (exact decimal-to-double) and .npy files into {@code Points}, on the heap or
 * memory-mapped; and, for now, simulation from a model. Must not depend on {@code plan},
 * {@code compile} or {@code infer}; its one edge to {@code plan} (Simulator) is being removed.
 */
package org.cavi.data;

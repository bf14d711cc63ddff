/**
 * Reading data: CSV (exact decimal-to-double) and .npy files into {@code Points}, on the heap or
 * memory-mapped, and writing CSV. Must not depend on {@code plan}, {@code compile} or
 * {@code infer} (simulation, which reads the plan, is in {@code simulate}).
 */
package org.cavi.data;

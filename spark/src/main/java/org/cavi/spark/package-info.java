/**
 * The Spark engine: cavi's sweeps with their passes on Apache Spark. The data's fixed blocks
 * (the local engine's, {@link org.cavi.infer.Engine#BLOCKS} of them) become cached partitions of
 * primitive row blocks; each pass ships the kernel with its snapshot of q to the executors, runs it
 * on every block there, and collects the block sums, which the driver reduces in block order. All
 * else (the starts, the plan's updates, the ELBO, the stop rule, the restarts, the report) is the
 * core's own code on the driver. Uses the core ({@code infer}, {@code data}) and Spark; nothing in
 * the core uses it: the CLI finds it through {@link java.util.ServiceLoader}.
 */
package org.cavi.spark;

package org.cavi.infer;

/**
 * Where a sweep's pass runs. A pass maps a kernel over the fixed blocks of the data, each block
 * writing its sufficient statistics into its own slot; the reduce adds the slots in block order.
 * Because the blocks and the order of the sum are fixed, where and on how many threads (or
 * machines) the blocks run cannot change a bit of the result. The updates and the ELBO then run on
 * the small sums, the same for every engine. {@link Parallel} is the local engine.
 */
public interface Engine {
    /** One block's kernel: block b's statistics into {@code sums} (which it first clears). */
    @FunctionalInterface
    interface BlockKernel {
        void accumulate(int block, double[] sums);
    }

    /**
     * Runs {@code kernel} on every block, slots[b] for block b, then sets total[0..width) to the
     * slots' sums, added in block order.
     *
     * @param work the data values the pass reads, to decide whether it is worth spreading
     */
    void pass(double[][] slots, int width, long work, BlockKernel kernel, double[] total);

    /** The reduce: the slots added in block order, the same for every engine. */
    static void reduce(double[][] slots, int width, double[] total) {
        java.util.Arrays.fill(total, 0, width, 0);
        for (double[] slot : slots) for (int i = 0; i < width; i++) total[i] += slot[i];
    }
}

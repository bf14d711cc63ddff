package org.cavi.infer;

import java.io.Serializable;
import org.cavi.data.Points;

/**
 * Where a sweep's pass runs. A pass maps a kernel over the fixed blocks of the data, each block
 * writing its sufficient statistics into its own slot; the reduce adds the slots in block order.
 * Because the blocks and the order of the sum are fixed, where and on how many threads (or
 * machines) the blocks run cannot change a bit of the result. The updates and the ELBO then run on
 * the small sums, the same for every engine. {@link Parallel} is the local engine; the Spark
 * engine (module {@code spark/}) runs the same kernels on cached partitions of the same blocks.
 */
public interface Engine {
    /**
     * The data are cut into this many blocks whatever the engine and its number of threads or
     * partitions: block b holds rows [n·b/BLOCKS, n·(b + 1)/BLOCKS).
     */
    int BLOCKS = 64;

    /** The first row of block {@code b} of {@code rows} rows; the block ends where block b + 1 starts. */
    static int blockStart(long rows, int b) {
        return (int) (rows * b / BLOCKS);
    }

    /**
     * One pass's kernel, with its inputs explicit: a snapshot of what the pass needs of the current
     * q (O(K·D²) numbers, set before each pass) and the rows it is handed. It reads nothing else,
     * so it can run on another machine: serialised with its snapshot, applied there to a block
     * kept there. Its arithmetic depends only on the block's rows, not on where they sit.
     */
    interface BlockPass extends Serializable {
        /** The statistics of rows [from, to) of {@code rows} (D values a row) into {@code sums}, which it first clears. */
        void accumulate(Points rows, int from, int to, double[] sums);
    }

    /**
     * Runs {@code kernel} on every block of {@code data} (rows of {@code d} values), slots[b] for
     * block b, then sets total[0..width) to the slots' sums, added in block order.
     *
     * @param work the data values the pass reads, to decide whether it is worth spreading
     */
    void pass(Points data, int d, BlockPass kernel, double[][] slots, int width, long work, double[] total);

    /**
     * A kernel that labels rows: each row's most probable component and its probability, from a
     * snapshot of q, as {@link BlockPass} is made.
     */
    interface RowLabels extends Serializable {
        /** Rows [from, to) of {@code rows}: row from + i's component into component[i], its probability into probability[i]. */
        void label(Points rows, int from, int to, int[] component, double[] probability);
    }

    /** Labels every row of {@code data} (rows of {@code d} values) with {@code kernel}, telling {@code to} row by row, in row order. */
    void label(Points data, int d, RowLabels kernel, CaviState.Assignee to);

    /** The engine that holds {@code x}, if an engine read it where it lies; else the local engine on this many threads. */
    static Engine forData(Points x, int threads) {
        if (x instanceof Points.Remote r) return (Engine) r.holder();
        return Parallel.of(threads);
    }

    /** {@link #label} for values held here: a chunk of rows at a time. */
    static void labelHere(Points data, int d, RowLabels kernel, CaviState.Assignee to) {
        long rows = data.size() / d;
        int chunk = 1 << 12;
        int[] component = new int[chunk];
        double[] probability = new double[chunk];
        for (long from = 0; from < rows; from += chunk) {
            int len = (int) Math.min(chunk, rows - from);
            // kernels index rows as ints, as the blocks do
            kernel.label(data, (int) from, (int) from + len, component, probability);
            for (int i = 0; i < len; i++) to.assign(component[i], probability[i]);
        }
    }

    /** The reduce: the slots added in block order, the same for every engine. */
    static void reduce(double[][] slots, int width, double[] total) {
        java.util.Arrays.fill(total, 0, width, 0);
        for (double[] slot : slots) for (int i = 0; i < width; i++) total[i] += slot[i];
    }
}

package org.cavi.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.storage.StorageLevel;
import org.cavi.data.Points;
import org.cavi.infer.DistributedEngine;
import org.cavi.infer.Engine;
import scala.Tuple2;

/**
 * The passes of one fit on Spark. The data's {@link Engine#BLOCKS} fixed blocks, the local
 * engine's, are cut on the driver once, spread over the partitions and kept there (a local
 * checkpoint: the tasks of later sweeps carry no data). Each pass serialises the kernel with its
 * snapshot of q (O(K·D²) numbers) into its task, applies it on the executors to every block of
 * the partition, and collects one slot of sums per block (64 × O(K·D²) numbers); the driver
 * writes them into the slots by block index and adds them in block order, as the local engine
 * does. So the result is the local engine's, bit for bit, for any number of partitions.
 */
public final class SparkEngine implements DistributedEngine {
    private final JavaSparkContext sc;
    private final boolean ownsContext;
    private final Points data;
    private final int partitions;
    private final JavaRDD<Block> blocks;

    private SparkEngine(JavaSparkContext sc, boolean ownsContext, Points data, int d, int partitions) {
        this.sc = sc;
        this.ownsContext = ownsContext;
        this.data = data;
        this.partitions = partitions;
        this.blocks = cache(sc, data, d, partitions);
    }

    /**
     * An engine on the running SparkContext, or on a new one with {@code master} (none given:
     * what spark-submit set, else local[*]); {@code partitions} 0 takes Spark's default parallelism,
     * at most the 64 blocks.
     */
    public static SparkEngine open(Points data, int d, Optional<String> master, int partitions) {
        boolean running = org.apache.spark.SparkContext$.MODULE$.getActive().isDefined();
        SparkContext context = SparkContext.getOrCreate(conf(master));
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(context);
        int p = partitions > 0 ? partitions : Math.max(1, Math.min(Engine.BLOCKS, sc.defaultParallelism()));
        return new SparkEngine(sc, !running, data, d, p);
    }

    /** An engine on a context the caller owns (tests: one context per class); closing it leaves the context running. */
    public static SparkEngine on(JavaSparkContext sc, Points data, int d, int partitions) {
        return new SparkEngine(sc, false, data, d, partitions);
    }

    /** cavi's settings, under any the user gave (spark-submit's --conf, spark-defaults.conf): no UI unless asked for. */
    static SparkConf conf(Optional<String> master) {
        SparkConf conf = new SparkConf().setAppName("cavi").setIfMissing("spark.ui.enabled", "false")
                .setIfMissing("spark.ui.showConsoleProgress", "false");
        if (master.isPresent()) conf.setMaster(master.get());
        else conf.setIfMissing("spark.master", "local[*]");
        return conf;
    }

    /** The blocks, cut exactly as the local engine cuts them, in `partitions` partitions of consecutive blocks, kept. */
    private static JavaRDD<Block> cache(JavaSparkContext sc, Points data, int d, int partitions) {
        long rows = data.size() / d;
        List<Block> list = new ArrayList<>(Engine.BLOCKS);
        for (int b = 0; b < Engine.BLOCKS; b++) {
            int from = Engine.blockStart(rows, b), to = Engine.blockStart(rows, b + 1);
            double[] values = new double[Math.toIntExact((long) (to - from) * d)];
            data.read((long) from * d, values, 0, values.length);
            list.add(new Block(b, to - from, values));
        }
        JavaRDD<Block> rdd = sc.parallelize(list, partitions);
        // the blocks stay on the executors and the lineage is cut there: a sweep's tasks ship no data
        rdd.rdd().localCheckpoint();
        rdd.count();
        return rdd;
    }

    @Override
    public void pass(Points data, int d, Engine.BlockPass kernel, double[][] slots, int width, long work, double[] total) {
        if (data != this.data) throw new IllegalStateException("this Spark engine holds the blocks of other data");
        List<Tuple2<Integer, double[]>> sums = blocks.map(kernel(kernel, slots[0].length)).collect();
        PASSES.incrementAndGet();
        if (sums.size() != slots.length) throw new IllegalStateException("the Spark pass returned " + sums.size() + " blocks, not " + slots.length);
        for (Tuple2<Integer, double[]> s : sums) System.arraycopy(s._2(), 0, slots[s._1()], 0, slots[s._1()].length);
        Engine.reduce(slots, width, total);
    }

    /** The task's function: the kernel and its snapshot, applied to a block there; static, so that it captures nothing else. */
    private static Function<Block, Tuple2<Integer, double[]>> kernel(Engine.BlockPass kernel, int slot) {
        return block -> {
            double[] sums = new double[slot];
            kernel.accumulate(Points.of(block.values()), 0, block.rows(), sums);
            return new Tuple2<>(block.index(), sums);
        };
    }

    /** Passes run on Spark in this JVM: the tests' evidence that a fit's sweeps ran there. */
    static final java.util.concurrent.atomic.AtomicLong PASSES = new java.util.concurrent.atomic.AtomicLong();

    public int partitions() { return partitions; }

    @Override
    public String describe() { return sc.master() + ", " + partitions + " partition" + (partitions == 1 ? "" : "s"); }

    @Override
    public void close() {
        blocks.unpersist(false);
        if (ownsContext) sc.stop();
    }
}

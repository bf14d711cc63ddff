package org.cavi.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.cavi.data.DataLoader;
import org.cavi.data.Points;
import org.cavi.infer.CaviState;
import org.cavi.infer.DistributedEngine;
import org.cavi.infer.Engine;
import scala.Tuple2;

/**
 * The passes of fits on Spark. The data's {@link Engine#BLOCKS} fixed blocks, the local engine's,
 * are kept on the executors (a local checkpoint: the tasks of later sweeps carry no data): cut on
 * the driver from data read there, or read by the executors where the data lie ({@link Reader}),
 * so that nothing of size n passes through the driver. Each pass serialises the kernel with its
 * snapshot of q (O(K·D²) numbers) into its task, applies it on the executors to every block of
 * the partition, and collects one slot of sums per block (64 × O(K·D²) numbers); the driver
 * writes them into the slots by block index and adds them in block order, as the local engine
 * does. So the result is the local engine's, bit for bit, for any number of partitions.
 */
public final class SparkEngine implements DistributedEngine {
    private final JavaSparkContext sc;
    /** The data whose blocks these are: local points, or the {@link Points.Remote} of data read where they lie. */
    private Points data;
    private final long rows;
    private final int partitions;
    private final JavaRDD<Block> blocks;
    private boolean closed;
    /** The samples of rows taken so far ({@link #rows}), by their number of rows. */
    private final java.util.Map<Integer, double[]> sampled = new java.util.concurrent.ConcurrentHashMap<>();

    private SparkEngine(JavaSparkContext sc, Points data, long rows, int partitions, JavaRDD<Block> blocks) {
        this.sc = sc;
        this.data = data;
        this.rows = rows;
        this.partitions = partitions;
        this.blocks = blocks;
    }

    /**
     * An engine holding the blocks of {@code data}, read on the driver: on the running SparkContext,
     * or on a new one with {@code master} (none given: what spark-submit set, else local[*]);
     * {@code partitions} 0 takes Spark's default parallelism, at most the 64 blocks.
     */
    public static SparkEngine open(Points data, int d, Optional<String> master, int partitions) {
        JavaSparkContext sc = Contexts.acquire(master);
        try {
            int p = partitions(sc, partitions);
            return new SparkEngine(sc, data, data.size() / d, p, cache(sc, data, d, p));
        } catch (RuntimeException e) {
            Contexts.release(sc);
            throw e;
        }
    }

    /** An engine on a context the caller owns (tests: one context per class); closing it leaves the context running. */
    public static SparkEngine on(JavaSparkContext sc, Points data, int d, int partitions) {
        Contexts.acquire(Optional.empty());
        return new SparkEngine(sc, data, data.size() / d, partitions, cache(sc, data, d, partitions));
    }

    /**
     * Data at {@code path} (any Hadoop file system), read by the executors where they lie into the
     * blocks, checked as local data are; the points are a {@link Points.Remote} that this engine holds.
     */
    public static DistributedEngine.Read read(String path, Optional<String> columns, int d, DataLoader.Format format,
                                              DistributedEngine.ValueCheck valid, Optional<String> master, int partitions) {
        JavaSparkContext sc = Contexts.acquire(master);
        int p = partitions(sc, partitions);
        Reader.Result r;
        try {
            r = Reader.read(sc, path, columns, d, format, valid, p);
        } catch (Exception e) { // a failed job: an executor's read, say
            Contexts.release(sc);
            return new DistributedEngine.Read.Failed(path + ": cannot read it: " + Reader.firstLine(e));
        }
        if (r.problem() != null) {
            Contexts.release(sc);
            return r.problem();
        }
        SparkEngine engine = new SparkEngine(sc, null, r.rows(), p, r.blocks());
        Points.Remote points = new Points.Remote(r.rows() * d, engine, path);
        engine.data = points;
        return new DistributedEngine.Read.Ok(points);
    }

    private static int partitions(JavaSparkContext sc, int partitions) {
        return partitions > 0 ? partitions : Math.max(1, Math.min(Engine.BLOCKS, sc.defaultParallelism()));
    }

    /** cavi's settings, under any the user gave (spark-submit's --conf, spark-defaults.conf): no UI unless asked for. */
    static SparkConf conf(Optional<String> master) {
        SparkConf conf = new SparkConf().setAppName("cavi").setIfMissing("spark.ui.enabled", "false")
                .setIfMissing("spark.ui.showConsoleProgress", "false");
        if (master.isPresent()) conf.setMaster(master.get());
        else conf.setIfMissing("spark.master", "local[*]");
        return conf;
    }

    /**
     * The SparkContext cavi's engines share. One that cavi started is stopped when its last engine
     * closes (the REPL may hold data on one engine while a fit opens another); one that was
     * running already (spark-submit's, a test's) is left running.
     */
    static final class Contexts {
        private static int users;
        private static boolean ours;

        static synchronized JavaSparkContext acquire(Optional<String> master) {
            boolean running = org.apache.spark.SparkContext$.MODULE$.getActive().isDefined();
            if (!running) ours = true;
            else if (users == 0) ours = false;
            users++;
            return JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(conf(master)));
        }

        static synchronized void release(JavaSparkContext sc) {
            users--;
            if (users == 0 && ours) {
                sc.stop();
                ours = false;
            }
        }
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
        return Reader.keep(sc.parallelize(list, partitions));
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

    /** One block's labels: each row's component and probability. */
    record Labels(int index, int[] component, double[] probability) implements java.io.Serializable {}

    /**
     * The labels of every row, computed where the blocks are and brought here a partition at a
     * time (toLocalIterator): partitions hold consecutive blocks in order, so the rows come in order.
     */
    @Override
    public void label(Points data, int d, Engine.RowLabels kernel, CaviState.Assignee to) {
        if (data != this.data) throw new IllegalStateException("this Spark engine holds the blocks of other data");
        Iterator<Labels> it = blocks.map(block -> {
            int[] component = new int[block.rows()];
            double[] probability = new double[block.rows()];
            kernel.label(Points.of(block.values()), 0, block.rows(), component, probability);
            return new Labels(block.index(), component, probability);
        }).toLocalIterator();
        int next = 0;
        while (it.hasNext()) {
            Labels l = it.next();
            if (l.index() != next++) throw new IllegalStateException("block " + l.index() + " came out of order");
            for (int i = 0; i < l.component().length; i++) to.assign(l.component()[i], l.probability()[i]);
        }
    }

    /**
     * As {@link Points#rows}: rows n·t/maxRows for t < maxRows (all rows when there are no more),
     * each block sending the ones it holds; kept, since the data do not change.
     */
    @Override
    public double[] rows(int d, int maxRows) {
        if (!(data instanceof Points.Remote)) return data.rows(d, maxRows);
        // every restart's start asks for the same sample: one job, not one a restart
        return sampled.computeIfAbsent(maxRows, m -> sample(d, m)).clone();
    }

    private double[] sample(int d, int maxRows) {
        long n = rows;
        List<Tuple2<Integer, double[]>> parts = blocks.map(block -> {
            long bs = Engine.blockStart(n, block.index()), be = bs + block.rows();
            if (n <= maxRows) return new Tuple2<>(block.index(), block.values());
            // the t with bs ≤ ⌊n·t/maxRows⌋ < be
            long t0 = (bs * maxRows + n - 1) / n, t1 = (be * maxRows + n - 1) / n;
            double[] out = new double[(int) (t1 - t0) * d];
            for (long t = t0; t < t1; t++) System.arraycopy(block.values(), (int) ((n * t / maxRows - bs) * d), out, (int) (t - t0) * d, d);
            return new Tuple2<>(block.index(), out);
        }).collect();
        double[][] byBlock = new double[Engine.BLOCKS][];
        for (Tuple2<Integer, double[]> p : parts) byBlock[p._1()] = p._2();
        int total = 0;
        for (double[] b : byBlock) total += b.length;
        double[] out = new double[total];
        int at = 0;
        for (double[] b : byBlock) {
            System.arraycopy(b, 0, out, at, b.length);
            at += b.length;
        }
        return out;
    }

    /** Passes run on Spark in this JVM: the tests' evidence that a fit's sweeps ran there. */
    static final java.util.concurrent.atomic.AtomicLong PASSES = new java.util.concurrent.atomic.AtomicLong();

    public int partitions() { return partitions; }

    @Override
    public String describe() { return sc.master() + ", " + partitions + " partition" + (partitions == 1 ? "" : "s"); }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        blocks.unpersist(false);
        Contexts.release(sc);
    }
}

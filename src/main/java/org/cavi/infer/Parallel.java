package org.cavi.infer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.cavi.data.Points;

/**
 * Runs the blocks of a pass on a fixed number of threads. Which thread runs a block does not
 * matter: each block writes only its own slot, and the caller adds the slots in block order, so
 * the result is the same, bit for bit, for any number of threads.
 */
public final class Parallel implements Engine {
    private static final Map<Integer, Parallel> POOLS = new ConcurrentHashMap<>();

    private final int threads;
    private final ExecutorService pool;

    private Parallel(int threads) {
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "cavi-sweep");
            t.setDaemon(true);
            return t;
        });
    }

    /** The shared pool of this size (its threads are daemons: they never keep the JVM alive). */
    public static Parallel of(int threads) {
        return POOLS.computeIfAbsent(Math.max(1, threads), Parallel::new);
    }

    public static int defaultThreads() { return Runtime.getRuntime().availableProcessors(); }

    public int threads() { return threads; }

    @Override
    public void pass(Points data, int d, BlockPass kernel, double[][] slots, int width, long work, double[] total) {
        long rows = data.size() / d;
        forEach(slots.length, work, b -> kernel.accumulate(data, Engine.blockStart(rows, b), Engine.blockStart(rows, b + 1), slots[b]));
        Engine.reduce(slots, width, total);
    }

    @Override
    public void label(Points data, int d, RowLabels kernel, CaviState.Assignee to) {
        Engine.labelHere(data, d, kernel, to);
    }

    /** Below this many data values a pass is not worth handing to other threads. */
    static final int MIN_PARALLEL_WORK = 1 << 16;

    /**
     * Runs task(0) … task(count − 1), on this thread and the pool's, and waits for all of them;
     * on this thread alone when {@code work} (the values the tasks read) is small.
     */
    public void forEach(int count, long work, IntConsumer task) {
        if (pool == null || count <= 1 || work < MIN_PARALLEL_WORK) {
            for (int b = 0; b < count; b++) task.accept(b);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int b = next.getAndIncrement(); b < count; b = next.getAndIncrement()) task.accept(b);
        };
        Future<?>[] helpers = new Future<?>[Math.min(threads - 1, count - 1)];
        for (int h = 0; h < helpers.length; h++) helpers[h] = pool.submit(worker);
        worker.run();
        for (Future<?> f : helpers) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during a sweep", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a sweep's worker failed", e.getCause());
            }
        }
    }
}

package org.cavi.infer;

import org.cavi.data.Points;

/**
 * An engine that keeps one data set's blocks where it runs them (the executors of a cluster),
 * made for that data set and closed after the fit. Its passes take the same {@link Engine.BlockPass}
 * kernels as the local engine, shipped with their snapshot of q, and reduce the block slots in
 * block order, so a fit gives the same bits on it as locally. Found by {@link java.util.ServiceLoader}
 * through its {@link Provider}: the core does not depend on any cluster library.
 */
public interface DistributedEngine extends Engine, AutoCloseable {
    /** Makes engines of one kind; listed in META-INF/services of the module that has them. */
    interface Provider {
        /** The name {@code --engine} gives it ({@code spark}). */
        String name();

        /**
         * An engine holding the blocks of {@code data} (rows of {@code d} values).
         *
         * @throws IllegalArgumentException with a message for the user when it cannot start
         */
        DistributedEngine open(Points data, int d, EngineChoice choice);
    }

    /** Where it runs, for the report: the master URL and the number of partitions. */
    String describe();

    @Override
    void close();
}

package org.cavi.infer;

import org.cavi.data.Points;

/**
 * An engine that keeps one data set's blocks where it runs them (the executors of a cluster),
 * made for that data set and closed after the fit. Its passes take the same {@link Engine.BlockPass}
 * kernels as the local engine, shipped with their snapshot of q, and reduce the block slots in
 * block order, so a fit gives the same bits on it as locally. Found by {@link java.util.ServiceLoader}
 * through its {@link Provider}: the core does not depend on any cluster library.
 */
public interface DistributedEngine extends Engine, Points.Holder {
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

        /**
         * Reads data where they lie, at a path of any file system the engine reaches (hdfs://,
         * s3a://, file://, …): .npy, CSV or Parquet, {@code d} values a row, each checked to be
         * finite and, when {@code valid} is given, in the likelihood's support. The blocks stay
         * with the engine, which the points name as their holder; nothing of size n comes here.
         *
         * @param columns the CSV or Parquet columns to read (FILE:a,b), or empty for all of them when there are d
         * @throws IllegalArgumentException with a message for the user when the engine cannot start
         */
        Read read(String path, java.util.Optional<String> columns, int d, org.cavi.data.DataLoader.Format format,
                  ValueCheck valid, EngineChoice choice);
    }

    /** Whether a value is in the likelihood's support: shipped to where the data are read. */
    interface ValueCheck extends java.io.Serializable {
        boolean valid(double v);
    }

    /** What {@link Provider#read} found: the points, or what is wrong with the file. */
    sealed interface Read {
        /** The data, held by their engine ({@link Points.Remote#holder}). */
        record Ok(Points.Remote points) implements Read {}

        /** The file cannot be read as data: the message says where and why. */
        record Failed(String message) implements Read {}

        /** A value outside the likelihood's support, {@code where} in the file (PATH:LINE, or PATH: row R). */
        record Invalid(String where, double value) implements Read {}
    }

    /** Where it runs, for the report: the master URL and the number of partitions. */
    String describe();
}

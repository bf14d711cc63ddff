package org.cavi.spark;

import java.util.Optional;
import org.cavi.data.DataLoader;
import org.cavi.data.Points;
import org.cavi.infer.DistributedEngine;
import org.cavi.infer.EngineChoice;

/** {@code --engine spark}: found by the core through META-INF/services. */
public final class SparkEngineProvider implements DistributedEngine.Provider {
    @Override
    public String name() { return EngineChoice.SPARK; }

    @Override
    public DistributedEngine open(Points data, int d, EngineChoice choice) {
        try {
            return SparkEngine.open(data, d, choice.master(), choice.partitions());
        } catch (RuntimeException e) {
            // Spark's own failures (a master that cannot be reached, a bad setting) as a message, not a stack trace
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IllegalArgumentException("Spark could not start: " + why.lines().findFirst().orElse(why), e);
        }
    }

    @Override
    public DistributedEngine.Read read(String path, Optional<String> columns, int d, DataLoader.Format format,
                                       DistributedEngine.ValueCheck valid, EngineChoice choice) {
        try {
            return SparkEngine.read(path, columns, d, format, valid, choice.master(), choice.partitions());
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IllegalArgumentException("Spark could not start: " + why.lines().findFirst().orElse(why), e);
        }
    }
}

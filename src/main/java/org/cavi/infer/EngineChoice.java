package org.cavi.infer;

import java.util.Optional;

/**
 * Where a fit's passes run: {@code local} (the default, {@link Parallel}) or a distributed engine
 * by name ({@code spark}), with its master URL (empty: the engine's own default, or what
 * spark-submit set) and the number of partitions its blocks are spread over (0: its default).
 */
public record EngineChoice(String name, Optional<String> master, int partitions) {
    public static final String LOCAL = "local";
    public static final String SPARK = "spark";

    public static EngineChoice local() { return new EngineChoice(LOCAL, Optional.empty(), 0); }

    public boolean isLocal() { return LOCAL.equals(name); }
}

package org.cavi.driver;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.cavi.ast.Stmt;
import org.cavi.data.DataLoader;
import org.cavi.data.Points;
import org.cavi.infer.DistributedEngine;
import org.cavi.infer.EngineChoice;
import org.cavi.plan.Mixture;

/**
 * Data that a distributed engine reads where they lie: a path with a file-system scheme
 * (hdfs://, s3a://, file://, …) or a Parquet file or folder. Their values never come to this
 * machine; the engine holds them in its blocks, checked as local data are (finite, in the
 * likelihood's support) with the same messages.
 */
final class ElsewhereData {
    private ElsewhereData() {}

    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");

    /** Whether {@code spec} (PATH or PATH:COLUMNS) names data that only a distributed engine reads. */
    static boolean is(String spec) {
        return SCHEME.matcher(spec).matches() || parquet(split(spec)[0]);
    }

    private static boolean parquet(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        return p.endsWith(".parquet") || p.endsWith(".parquet/");
    }

    /** PATH and COLUMNS of PATH[:COLUMNS]; a colon in a scheme, a host:port or a folder is part of the path. */
    static String[] split(String spec) {
        int colon = spec.lastIndexOf(':');
        int scheme = spec.indexOf("://");
        boolean columns = colon > 0 && colon < spec.length() - 1 && (scheme < 0 || colon > scheme + 2)
                && spec.indexOf('/', colon) < 0;
        return columns ? new String[] {spec.substring(0, colon), spec.substring(colon + 1)} : new String[] {spec, null};
    }

    /** Reads them with {@code engine}, which must be a distributed one; checks their size against the model. */
    static Outcome<Points> load(Driver.Compiled c, Stmt.DataDecl decl, String spec, Path base, DataLoader.Format format,
                                EngineChoice engine) {
        String[] parts = split(spec);
        String shown = parts[0];
        if (engine.isLocal()) {
            return Outcome.fail(new Problem.BadUsage(shown + ": data at a file-system URL or in Parquet are read by the Spark "
                    + "engine where they lie: fit them with `cavi run … --engine spark` (or the REPL's :run … --engine spark; "
                    + "README, \"Running on a cluster\"); for other commands copy them here as .npy or CSV"));
        }
        Optional<DistributedEngine.Provider> provider = FitService.provider(engine);
        if (provider.isEmpty()) return Outcome.fail(FitService.notOnClasspath(engine));
        // a path without a scheme is this machine's: the engine's file system is told so
        String path = SCHEME.matcher(parts[0]).matches() ? parts[0] : base.resolve(parts[0]).toAbsolutePath().normalize().toUri().toString();
        Mixture mix = c.plan().mixture();
        DistributedEngine.ValueCheck valid = null;
        if (mix.components() instanceof Mixture.Components.Linear lin) {
            org.cavi.family.LinearLikelihood lik = lin.likelihood();
            valid = v -> lik.invalidDatum(v).isEmpty();
        }
        DistributedEngine.Read read;
        try {
            read = provider.get().read(path, Optional.ofNullable(parts[1]), mix.dimension(), format, valid, engine);
        } catch (IllegalArgumentException e) {
            return Outcome.fail(new Problem.BadUsage("--engine " + engine.name() + ": " + e.getMessage()));
        }
        if (read instanceof DistributedEngine.Read.Failed f) return Outcome.fail(new Problem.BadData(f.message()));
        if (read instanceof DistributedEngine.Read.Invalid bad) {
            String why = Driver.invalid((Mixture.Components.Linear) mix.components(), bad.value()).orElse(bad.value() + " is not valid data");
            return Outcome.fail(new Problem.BadData(bad.where() + ": " + why));
        }
        Points.Remote x = ((DistributedEngine.Read.Ok) read).points();
        Outcome<Integer> size = Driver.checkSize(c, decl, Math.toIntExact(x.size() / mix.dimension()));
        if (!size.ok()) {
            x.holder().close();
            return Outcome.fail(size.problem().orElseThrow());
        }
        return Outcome.ok(x, List.of());
    }
}

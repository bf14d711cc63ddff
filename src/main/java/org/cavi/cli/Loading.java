package org.cavi.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cavi.driver.Driver;
import org.cavi.driver.Outcome;
import org.cavi.driver.Problem;
import org.cavi.frontend.DataFormatOptions;
import org.cavi.frontend.ModelOptions;
import org.cavi.source.Diagnostic;
import org.cavi.source.SourceFile;

/** Reads a model file into a Driver request; shared by the commands. */
final class Loading {
    private Loading() {}

    static Outcome<SourceFile> read(Path file) {
        return Driver.readModel(file);
    }

    static Outcome<Driver.Request> request(Path file, ModelOptions opts, boolean requireData) {
        return request(file, opts, new DataFormatOptions(), requireData);
    }

    static Outcome<Driver.Request> request(Path file, ModelOptions opts, DataFormatOptions format, boolean requireData) {
        String bad = format.validate();
        if (bad != null) return Outcome.fail(new Problem.BadUsage(bad));
        Outcome<Map<String, String>> data = Driver.dataBindings(opts.data());
        if (!data.ok()) return Outcome.fail(data.problem().orElseThrow());
        Path base = file.toAbsolutePath().getParent();
        return read(file).then(src -> Outcome.ok(new Driver.Request(src, base, data.get(), opts.sets(), requireData,
                format.format()), List.of()));
    }

    static Outcome<Driver.Compiled> compile(Path file, ModelOptions opts, boolean requireData) {
        return request(file, opts, requireData).then(Driver::compile);
    }

    /**
     * Compiles the model and, when --data binds its data, reads and checks them as `run` does
     * (the pre-flight of check, plan and derive): the same messages, the same exit codes.
     */
    static Outcome<Driver.Compiled> compileAndCheckData(Path file, ModelOptions opts, DataFormatOptions format,
                                                        boolean requireData) {
        Outcome<Driver.Request> req = request(file, opts, format, requireData);
        return req.then(Driver::compile).then(c -> {
            if (!req.get().data().containsKey(c.plan().mixture().data())) return Outcome.ok(c, List.of());
            return Driver.loadData(c, req.get(), Path.of("").toAbsolutePath()).then(x -> Outcome.ok(c, List.of()));
        });
    }

    /** Prints warnings and, when the outcome failed, its problem; returns the exit code (0 if ok). */
    static int report(Outcome<?> o, PrintWriter err) {
        for (Diagnostic w : o.warnings()) err.print(w.render());
        if (o.ok()) {
            err.flush();
            return 0;
        }
        Problem p = o.problem().orElseThrow();
        err.print(p.render());
        err.flush();
        return p.exitCode();
    }
}

package org.cavi.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cavi.driver.Driver;
import org.cavi.driver.Outcome;
import org.cavi.driver.Problem;
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
        Outcome<Map<String, String>> data = Driver.dataBindings(opts.data());
        if (!data.ok()) return Outcome.fail(data.problem().orElseThrow());
        Path base = file.toAbsolutePath().getParent();
        return read(file).then(src -> Outcome.ok(new Driver.Request(src, base, data.get(), opts.sets(), requireData), List.of()));
    }

    static Outcome<Driver.Compiled> compile(Path file, ModelOptions opts, boolean requireData) {
        return request(file, opts, requireData).then(Driver::compile);
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

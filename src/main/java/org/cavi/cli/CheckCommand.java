package org.cavi.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cavi.driver.Driver;
import org.cavi.driver.Outcome;
import org.cavi.frontend.DataFormatOptions;
import org.cavi.frontend.ModelOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Parse, check and match a model; print its diagnostics, or ok and the pattern it matched.")
final class CheckCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "The .vi model file.")
    Path model;

    @Mixin ModelOptions modelOptions;
    @Mixin DataFormatOptions dataFormat;
    @Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        Outcome<Driver.Compiled> c = Loading.compileAndCheckData(model, modelOptions, dataFormat, true);
        int code = Loading.report(c, spec.commandLine().getErr());
        if (code != 0) return code;
        Driver.Compiled m = c.get();
        spec.commandLine().getOut().println("ok: model " + m.plan().model() + " is a " + m.plan().pattern()
                + " (" + org.cavi.source.Plural.of(m.plan().mixture().k(), "component") + ")");
        spec.commandLine().getOut().flush();
        return 0;
    }
}

package org.cavi.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cavi.driver.Driver;
import org.cavi.driver.Outcome;
import org.cavi.frontend.DataFormatOptions;
import org.cavi.frontend.ModelOptions;
import org.cavi.plan.PlanPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Print the CAVI plan: the variational family of each latent, each update in order, "
                + "and the ELBO terms, in the model's own names.")
final class PlanCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "The .vi model file.")
    Path model;

    @Mixin ModelOptions modelOptions;
    @Mixin DataFormatOptions dataFormat;
    @Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        Outcome<Driver.Compiled> c = Loading.compileAndCheckData(model, modelOptions, dataFormat, false);
        int code = Loading.report(c, spec.commandLine().getErr());
        if (code != 0) return code;
        spec.commandLine().getOut().print(PlanPrinter.text(c.get().plan()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}

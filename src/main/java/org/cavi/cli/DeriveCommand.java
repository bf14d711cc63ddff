package org.cavi.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.cavi.driver.Driver;
import org.cavi.driver.Outcome;
import org.cavi.frontend.DataFormatOptions;
import org.cavi.frontend.ModelOptions;
import org.cavi.plan.DerivationPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "derive", mixinStandardHelpOptions = true,
        description = "Show why each update of the plan is what it is: the latent's complete conditional, its "
                + "exponential-family form, the update that results, and each term of the ELBO, in the model's names.")
final class DeriveCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "The .vi model file.")
    Path model;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (the default), markdown (KaTeX/MathJax/MyST math, for GitHub and Jupyter Book) "
                    + "or latex (a complete document for pdflatex).")
    String format;

    @Option(names = "--latex", description = "The same as --format latex.")
    boolean latex;

    @Option(names = "--latent", paramLabel = "NAME", description = "Only the update of this latent.")
    String latent;

    @Mixin ModelOptions modelOptions;
    @Mixin DataFormatOptions dataFormat;
    @Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        String chosen = latex ? "latex" : format.strip().toLowerCase(java.util.Locale.ROOT);
        if (!java.util.List.of("text", "markdown", "latex").contains(chosen)) {
            return Loading.report(Outcome.fail(new org.cavi.driver.Problem.BadUsage("--format " + format
                    + ": expected text, markdown or latex")), spec.commandLine().getErr());
        }
        if (latex && !format.equals("text") && !format.equalsIgnoreCase("latex")) {
            return Loading.report(Outcome.fail(new org.cavi.driver.Problem.BadUsage("--latex is --format latex: it cannot go with --format "
                    + format)), spec.commandLine().getErr());
        }
        Outcome<Driver.Compiled> c = Loading.compileAndCheckData(model, modelOptions, dataFormat, false);
        int code = Loading.report(c, spec.commandLine().getErr());
        if (code != 0) return code;
        var plan = c.get().plan();
        if (latent != null && DerivationPrinter.select(plan, Optional.of(latent)).isEmpty()) {
            return Loading.report(Outcome.fail(new org.cavi.driver.Problem.BadUsage("--latent " + latent
                    + ": the plan updates no latent of that name")), spec.commandLine().getErr());
        }
        Optional<String> which = Optional.ofNullable(latent);
        spec.commandLine().getOut().print(switch (chosen) {
            case "latex" -> DerivationPrinter.latex(plan, which);
            case "markdown" -> DerivationPrinter.markdown(plan, which);
            default -> DerivationPrinter.text(plan, which);
        });
        spec.commandLine().getOut().flush();
        return 0;
    }
}

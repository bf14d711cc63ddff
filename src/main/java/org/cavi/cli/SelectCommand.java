package org.cavi.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.cavi.driver.Driver;
import org.cavi.driver.Outcome;
import org.cavi.driver.Problem;
import org.cavi.driver.Selection;
import org.cavi.frontend.DataFormatOptions;
import org.cavi.frontend.FitFlags;
import org.cavi.frontend.ModelOptions;
import org.cavi.report.SelectionReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "select", mixinStandardHelpOptions = true,
        description = "Choose the number of components: fit the model at each K with restarts, and print the best ELBO "
                + "per K, each restart's final ELBO and the components that carry weight.")
final class SelectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "The .vi model file: a mixture whose constant K counts its components.")
    Path model;

    @Option(names = "--K", paramLabel = "RANGE", required = true,
            description = "The values of K to fit: 1..10, 2,3,5 or 4 (at most 100).")
    String ks;

    @Option(names = "--constant", paramLabel = "NAME", defaultValue = "K",
            description = "The constant that counts the components (default: ${DEFAULT-VALUE}).")
    String constant;

    @Mixin ModelOptions modelOptions;
    @Mixin DataFormatOptions dataFormat;
    @Mixin FitFlags fit;
    @Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String bad = fit.validate();
        if (bad != null) return Loading.report(Outcome.fail(new Problem.BadUsage(bad)), err);
        if (fit.assignments().isPresent()) {
            return Loading.report(Outcome.fail(new Problem.BadUsage("cavi select writes no assignments; fit the K you choose "
                    + "with cavi run --set " + constant + "=K --assignments FILE")), err);
        }
        if (fit.animate().isPresent() || fit.snapshots().isPresent()) {
            return Loading.report(Outcome.fail(new Problem.BadUsage("cavi select draws no fit sweep by sweep; animate the K you "
                    + "choose with cavi run --set " + constant + "=K " + (fit.animate().isPresent() ? "--animate" : "--snapshots") + " FILE")), err);
        }
        Outcome<List<Integer>> values = Selection.parseKs(ks, 100);
        int code = Loading.report(values, err);
        if (code != 0) return code;
        Outcome<Driver.Request> req = Loading.request(model, modelOptions, dataFormat, true);
        code = Loading.report(req, err);
        if (code != 0) return code;
        Outcome<List<Selection.Row>> rows = Selection.run(req.get(), constant, values.get(), fit.options(),
                Path.of("").toAbsolutePath());
        code = Loading.report(rows, err);
        if (code != 0) return code;
        String name = rows.get().get(0).best().compiled().plan().model();
        out.print(SelectionReport.text(name, constant, rows.get(), fit.options().seed()));
        out.flush();
        if (fit.plot().isPresent()) {
            Optional<String> unwritten = SelectionReport.plot(fit.plot().get(), constant, rows.get());
            if (unwritten.isPresent()) return Loading.report(Outcome.fail(new Problem.BadData(unwritten.get())), err);
            out.println("plot written to " + fit.plot().get());
        }
        return 0;
    }
}

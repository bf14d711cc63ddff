package org.cavi.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.cavi.data.Points;
import org.cavi.driver.Driver;
import org.cavi.driver.Outcome;
import org.cavi.driver.Problem;
import org.cavi.frontend.FitFlags;
import org.cavi.frontend.ModelOptions;
import org.cavi.infer.FitOptions;
import org.cavi.infer.FitResult;
import org.cavi.infer.Fitter;
import org.cavi.report.Assignments;
import org.cavi.report.Progress;
import org.cavi.report.FitReport;
import org.cavi.report.Plots;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Fit a model with CAVI; print the ELBO per sweep of the best restart, the components "
                + "sorted by posterior mean, and whether the fit converged.")
final class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "The .vi model file.")
    Path model;

    @Mixin ModelOptions modelOptions;
    @Mixin FitFlags fit;
    @Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String bad = fit.validate();
        if (bad != null) return Loading.report(Outcome.fail(new Problem.BadUsage(bad)), err);
        Outcome<Driver.Request> req = Loading.request(model, modelOptions, true);
        Outcome<Driver.Compiled> compiled = req.then(Driver::compile);
        int code = Loading.report(compiled, err);
        if (code != 0) return code;
        Driver.Compiled c = compiled.get();
        Optional<Problem> notRunnable = Driver.runnable(c);
        if (notRunnable.isPresent()) return Loading.report(Outcome.fail(notRunnable.get()), err);
        long loadStart = System.nanoTime();
        Outcome<Points> data = Driver.loadData(c, req.get(), Path.of("").toAbsolutePath());
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        code = Loading.report(data, err);
        if (code != 0) return code;
        FitOptions options = fit.options();
        Fitter.Run run;
        try (Progress progress = Progress.onTerminal(err)) {
            run = Driver.run(c, data.get(), options, () -> false, progress);
        }
        FitResult r = run.result();
        String text = fit.json() ? FitReport.jsonText(r, c.plan().mixture(), options, loadSeconds)
                : FitReport.text(r, c.plan().mixture(), options);
        out.print(text);
        out.flush();
        if (fit.assignments().isPresent()) {
            Optional<String> unwritten = Assignments.write(fit.assignments().get(), run.best());
            if (unwritten.isPresent()) return Loading.report(Outcome.fail(new Problem.BadData(unwritten.get())), err);
            if (!fit.json()) out.println("assignments written to " + fit.assignments().get());
        }
        if (fit.plot().isPresent()) {
            Optional<String> unwritten = Plots.write(fit.plot().get(), c.plan().mixture(), data.get(), r);
            if (unwritten.isPresent()) return Loading.report(Outcome.fail(new Problem.BadData(unwritten.get())), err);
            if (!fit.json()) out.println("plot written to " + fit.plot().get());
            out.flush();
        }
        return 0;
    }
}

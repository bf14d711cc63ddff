package org.cavi.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.cavi.driver.Driver;
import org.cavi.driver.FitService;
import org.cavi.driver.Outcome;
import org.cavi.driver.Problem;
import org.cavi.frontend.FitFlags;
import org.cavi.frontend.DataFormatOptions;
import org.cavi.frontend.ModelOptions;
import org.cavi.report.Assignments;
import org.cavi.report.FitReport;
import org.cavi.report.Plots;
import org.cavi.report.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Fit a model with CAVI; print the ELBO per sweep of the best restart, the components "
                + "sorted by posterior mean, and whether the fit converged.")
final class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "The .vi model file.")
    Path model;

    @Mixin ModelOptions modelOptions;
    @Mixin DataFormatOptions dataFormat;
    @Mixin FitFlags fit;
    @Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String bad = fit.validate();
        if (bad != null) return Loading.report(Outcome.fail(new Problem.BadUsage(bad)), err);
        Outcome<Driver.Request> req = Loading.request(model, modelOptions, dataFormat, true);
        Outcome<Driver.Compiled> compiled = req.then(Driver::compile);
        int code = Loading.report(compiled, err);
        if (code != 0) return code;
        Outcome<FitService.Prepared> prepared = FitService.prepare(compiled.get(), req.get(), Path.of("").toAbsolutePath(), fit.engine());
        code = Loading.report(prepared, err);
        if (code != 0) return code;
        // data an engine read where they lie stay with it until the report is written
        try (FitService.Prepared p = prepared.get()) {
            return fitAndReport(p, out, err);
        }
    }

    private int fitAndReport(FitService.Prepared prepared, PrintWriter out, PrintWriter err) {
        int code;
        Outcome<FitService.Fit> fitted;
        // the progress line's clock starts here, with the fit, not with the loading
        try (Progress progress = Progress.onTerminal(err)) {
            fitted = FitService.fit(prepared, fit.options(), fit.engine(), () -> false, progress);
        }
        code = Loading.report(fitted, err);
        if (code != 0) return code;
        FitService.Fit f = fitted.get();
        out.print(FitReport.of(f.result(), f.mixture(), f.options(), f.loadSeconds(), fit.json()));
        out.flush();
        if (fit.assignments().isPresent()) {
            Optional<String> unwritten = Assignments.write(fit.assignments().get(), f.best(), out);
            if (unwritten.isPresent()) return Loading.report(Outcome.fail(new Problem.BadData(unwritten.get())), err);
            if (!fit.json() && !fit.assignments().get().toString().equals("-")) {
                out.println("assignments written to " + fit.assignments().get());
            }
        }
        if (fit.plot().isPresent()) {
            Optional<String> unwritten = Plots.write(fit.plot().get(), f.mixture(), f.data(), f.result(), f.best(),
                    FitService.termsBySweep(f));
            if (unwritten.isPresent()) return Loading.report(Outcome.fail(new Problem.BadData(unwritten.get())), err);
            if (!fit.json()) out.println("plot written to " + fit.plot().get());
            out.flush();
        }
        Optional<Problem> unwritten = Pictures.ofSweeps(fit, f, out);
        if (unwritten.isPresent()) return Loading.report(Outcome.fail(unwritten.get()), err);
        return 0;
    }
}

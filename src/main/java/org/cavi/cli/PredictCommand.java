package org.cavi.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.cavi.data.Points;
import org.cavi.driver.Driver;
import org.cavi.driver.FitService;
import org.cavi.driver.Outcome;
import org.cavi.driver.Problem;
import org.cavi.frontend.DataFormatOptions;
import org.cavi.frontend.FitFlags;
import org.cavi.frontend.ModelOptions;
import org.cavi.infer.Predictive;
import org.cavi.report.Predictions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Fit a model as cavi run does, then write each new point's log posterior predictive density and "
                + "its responsibilities (the probability of each component), and print the held-out total.")
final class PredictCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "The .vi model file.")
    Path model;

    @Option(names = "--new", paramLabel = "FILE[:COLUMN]", required = true,
            description = "The new points: a CSV (or .npy) file laid out as the data are, by column name or number as --data.")
    String newPoints;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "-",
            description = "Where to write the CSV log_density,p1,...,pK (default: standard output, the total then goes to stderr).")
    Path out;

    @Mixin ModelOptions modelOptions;
    @Mixin DataFormatOptions dataFormat;
    @Mixin FitFlags fit;
    @Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String bad = fit.validate();
        if (bad == null && (fit.plot().isPresent() || fit.assignments().isPresent() || fit.json())) {
            bad = "cavi predict writes predictions only; draw the fit or write its assignments with cavi run";
        }
        if (bad != null) return Loading.report(Outcome.fail(new Problem.BadUsage(bad)), err);
        Outcome<Driver.Request> req = Loading.request(model, modelOptions, dataFormat, true);
        Outcome<Driver.Compiled> compiled = req.then(Driver::compile);
        int code = Loading.report(compiled, err);
        if (code != 0) return code;
        Optional<String> unsupported = Predictive.unsupported(compiled.get().plan().mixture());
        if (unsupported.isPresent()) return Loading.report(Outcome.fail(new Problem.BadUsage(unsupported.get())), err);
        Path here = Path.of("").toAbsolutePath();
        Outcome<Points> fresh = Driver.loadNewPoints(compiled.get(), newPoints, req.get(), here);
        code = Loading.report(fresh, err);
        if (code != 0) return code;
        // fitted as cavi run fits it, without its progress line
        Outcome<FitService.Fit> fitted = FitService.prepare(compiled.get(), req.get(), here)
                .then(p -> FitService.fit(p, fit.options(), () -> false, org.cavi.infer.Fitter.Listener.NONE));
        code = Loading.report(fitted, err);
        if (code != 0) return code;
        FitService.Fit f = fitted.get();
        var mix = f.mixture();
        Predictive predictive;
        try {
            predictive = Predictive.of(mix, f.best());
        } catch (org.cavi.family.NotPositiveDefinite e) {
            return Loading.report(Outcome.fail(new Problem.BadData("the fitted q is beyond the arithmetic of doubles for its "
                    + "predictive density (a covariance that is not positive definite once computed): rescale the data and the "
                    + "model's constants")), err);
        }
        int d = mix.dimension();
        Predictions.Scan scan = Predictions.scan(predictive, fresh.get(), d);
        java.util.OptionalLong far = scan.notFinite();
        if (far.isPresent()) {
            var src = org.cavi.data.DataLoader.Source.parse(newPoints, here);
            return Loading.report(Outcome.fail(new Problem.BadData(org.cavi.data.DataLoader.where(src, dataFormat.format(), far.getAsLong())
                    + ": this point is so far from every component that its log predictive density is below what doubles hold "
                    + "(−1.8e308); rescale the data and the new points together, or leave the point out")), err);
        }
        Optional<String> unwritten = Predictions.write(out, predictive, fresh.get(), d, mix.k(), mix.selector().isPresent(), stdout);
        if (unwritten.isPresent()) return Loading.report(Outcome.fail(new Problem.BadData(unwritten.get())), err);
        stdout.flush();
        String summary = Predictions.summary(fresh.get().size() / d, scan.total());
        if (out.toString().equals("-")) {
            err.print(summary);
            err.flush();
        } else {
            stdout.print(summary);
            stdout.println("predictions written to " + out);
            stdout.flush();
        }
        return 0;
    }
}

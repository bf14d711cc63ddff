package org.cavi.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.cavi.driver.Driver;
import org.cavi.driver.FitService;
import org.cavi.driver.Outcome;
import org.cavi.driver.Problem;
import org.cavi.frontend.DataFormatOptions;
import org.cavi.frontend.FitFlags;
import org.cavi.frontend.ModelOptions;
import org.cavi.infer.Exact;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "compare-exact", mixinStandardHelpOptions = true,
        description = "For a model whose exact posterior is known in closed form: fit it, and print the exact posterior, "
                + "the log evidence log p(x), the ELBO and their difference, KL(q || p).")
final class CompareExactCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "The .vi model file: a conjugate model without assignments.")
    Path model;

    @Mixin ModelOptions modelOptions;
    @Mixin DataFormatOptions dataFormat;
    @Mixin FitFlags fit;
    @Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String bad = fit.validate();
        if (bad == null && (fit.assignments().isPresent() || fit.json() || fit.animate().isPresent() || fit.snapshots().isPresent())) {
            bad = "cavi compare-exact prints its comparison, and with --plot draws it; draw the fit with cavi run";
        }
        if (bad != null) return Loading.report(Outcome.fail(new Problem.BadUsage(bad)), err);
        Outcome<Driver.Request> req = Loading.request(model, modelOptions, dataFormat, true);
        Outcome<Driver.Compiled> compiled = req.then(Driver::compile);
        int code = Loading.report(compiled, err);
        if (code != 0) return code;
        Optional<String> unsupported = Exact.unsupported(compiled.get().plan().mixture());
        if (unsupported.isPresent()) return Loading.report(Outcome.fail(new Problem.BadUsage(unsupported.get())), err);
        // fitted as cavi run fits it, without its progress line
        Outcome<FitService.Fit> fitted = FitService.prepare(compiled.get(), req.get(), Path.of("").toAbsolutePath())
                .then(p -> FitService.fit(p, fit.options(), () -> false, org.cavi.infer.Fitter.Listener.NONE));
        code = Loading.report(fitted, err);
        if (code != 0) return code;
        FitService.Fit f = fitted.get();
        Exact exact = Exact.of(f.mixture(), f.data());
        if (!Double.isFinite(exact.logEvidence()) || exact.posterior().matches("(?s).*\\b(Infinity|NaN)\\b.*")) {
            // printed, it would be an answer of Infinity with exit 0
            return Loading.report(Outcome.fail(new Problem.BadData("the exact posterior is not finite in doubles: "
                    + (Double.isFinite(exact.logEvidence()) ? "a parameter of it" : "its log evidence")
                    + " overflows, because the model's constants or its data are too large for the posterior's squares and"
                    + " logs (a prior mean of 1e154 is squared, say): keep the data and the prior's means below about 1e150,"
                    + " the prior's other parameters between about 1e-150 and 1e150, or rescale")), err);
        }
        double elbo = f.result().elbo(), kl = exact.logEvidence() - elbo;
        out.printf(Locale.ROOT, "model %s: the exact posterior against q, n = %d%n", f.result().model(), f.result().n());
        out.printf(Locale.ROOT, "exact posterior  %s%n", exact.posterior());
        out.printf(Locale.ROOT, "log p(x)         %.6f   the log evidence, in closed form%n", exact.logEvidence());
        out.printf(Locale.ROOT, "ELBO             %.6f   the fit's lower bound (%s)%n", elbo,
                f.result().converged() ? "converged" : "not converged");
        out.printf(Locale.ROOT, "KL(q || p)       %s   log p(x) − ELBO: %s%n", kl == 0 ? "0" : String.format(Locale.ROOT, "%.6g", kl),
                Math.abs(kl) <= 1e-9 * Math.abs(exact.logEvidence()) + 1e-12
                        ? "q is the exact posterior, to rounding"
                        : "how far q is from the exact posterior");
        out.flush();
        if (fit.plot().isPresent()) {
            if (exact.normalGamma().length == 0) {
                return Loading.report(Outcome.fail(new Problem.BadUsage("compare-exact --plot draws the Normal with unknown mean "
                        + "and precision (Bishop's Fig. 10.4); this model's exact posterior has one parameter")), err);
            }
            var normal = (org.cavi.plan.Mixture.Components.Normal) f.mixture().components();
            String mean = normal.mean(), precision = ((org.cavi.family.NormalPrior.Precision.Gamma) normal.precision()).name();
            // the first restart's start, then the first sweep update by update, then on to convergence
            var started = FitService.start(f.prepared(), fit.options().seed(), 1);
            code = Loading.report(started, err);
            if (code != 0) return code;
            org.cavi.infer.CaviState s = started.get();
            java.util.List<org.cavi.report.ExactPicture.Panel> panels = new java.util.ArrayList<>();
            panels.add(new org.cavi.report.ExactPicture.Panel("(a) the start", s.posterior()));
            double last = s.sweep((update, terms) -> panels.add(new org.cavi.report.ExactPicture.Panel(
                    "(" + (char) ('a' + panels.size()) + ") after updating q(" + String.join(", ", update) + ")", s.posterior())));
            int sweeps = 1;
            while (sweeps < fit.options().maxIter()) {
                double now = s.sweep();
                sweeps++;
                if (Math.abs(now - last) <= fit.options().tol() * Math.abs(now)) break;
                last = now;
            }
            panels.add(new org.cavi.report.ExactPicture.Panel("(" + (char) ('a' + panels.size()) + ") after " + sweeps + " sweeps",
                    s.posterior()));
            Optional<String> unwritten = org.cavi.report.ExactPicture.write(fit.plot().get(), exact, mean, precision, panels);
            if (unwritten.isPresent()) return Loading.report(Outcome.fail(new Problem.BadData(unwritten.get())), err);
            out.println("plot written to " + fit.plot().get());
        }
        return 0;
    }
}

package org.cavi.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cavi.data.DataLoader;
import org.cavi.driver.Driver;
import org.cavi.driver.Outcome;
import org.cavi.driver.Problem;
import org.cavi.frontend.ModelOptions;
import org.cavi.simulate.Simulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Draw data from the model's generative process and write CSV with a header row to stdout. "
                + "Latents fixed with --set stay fixed; the rest are drawn from their priors.")
final class SimulateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "The .vi model file.")
    Path model;

    @Option(names = "--n", required = true, paramLabel = "N", description = "The number of data points to draw.")
    int n;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Mixin ModelOptions modelOptions;
    @Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        var err = spec.commandLine().getErr();
        if (n < 1) return Loading.report(Outcome.fail(new Problem.BadUsage("--n must be at least 1, not " + n)), err);
        Outcome<Driver.Compiled> c = Loading.compile(model, modelOptions, false);
        int code = Loading.report(c, err);
        if (code != 0) return code;
        Driver.Compiled m = c.get();
        String dataName = m.plan().mixture().data();
        code = Loading.report(Driver.checkSize(m, m.model().data().get(dataName), n), err);
        if (code != 0) return code;
        int d = m.plan().mixture().dimension();
        // the draws are held whole before they are written: say so before the heap runs out
        long bytes = (long) n * d * Double.BYTES;
        if ((long) n * d > Integer.MAX_VALUE - 8) {
            return Loading.report(Outcome.fail(new Problem.OutOfMemory(String.format(java.util.Locale.ROOT,
                    "--n %d draws %d values (%.1f GB), more than cavi holds in one run (about 2.1e9 values); draw fewer points",
                    n, (long) n * d, bytes / 1e9))), err);
        }
        if (bytes > Runtime.getRuntime().maxMemory() * 0.8) {
            return Loading.report(Outcome.fail(new Problem.OutOfMemory(String.format(java.util.Locale.ROOT,
                    "--n %d needs %.1f GB for the draws, more than the Java heap of %.1f GB holds; draw fewer points, "
                    + "or give Java a larger heap (CAVI_JAVA_OPTS=-Xmx16g)", n, bytes / 1e9, Runtime.getRuntime().maxMemory() / 1e9))), err);
        }
        boolean counts = m.plan().mixture().components() instanceof org.cavi.plan.Mixture.Components.Linear lin
                && lin.likelihood().discrete();
        double[] x;
        try {
            x = Simulator.simulate(m.plan().mixture(), n, seed);
        } catch (org.apache.commons.math3.exception.MathIllegalArgumentException | ArithmeticException e) {
            // a drawn matrix that rounding left not positive definite: the priors' scale, not a bug
            return located(m, "cannot simulate from these priors: " + e.getMessage()
                    + "; give the matrices a scale nearer 1, or fix the latents with --set", err);
        }
        for (double v : x) {
            if (!Double.isFinite(v)) {
                return located(m, "the simulated data are not finite numbers: a draw from the priors overflowed (a rate, "
                        + "precision or variance beyond the range of a double); make the priors narrower, or fix the latents "
                        + "with --set", err);
            }
        }
        spec.commandLine().getOut().print(DataLoader.toCsv(dataName, x, d, counts));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** A simulation that cannot be drawn, located at the likelihood, where the data are drawn. */
    private static int located(Driver.Compiled m, String message, java.io.PrintWriter err) {
        org.cavi.source.Diagnostics diags = new org.cavi.source.Diagnostics();
        diags.error(m.model().likelihoods().get(0).span(), message);
        return Loading.report(Outcome.fail(new Problem.SourceErrors(diags.list())), err);
    }
}

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

    @Option(names = "--n", required = true, paramLabel = "N", description = "Number of data points.")
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
        boolean counts = m.plan().mixture().components() instanceof org.cavi.plan.Mixture.Components.Linear lin
                && lin.likelihood().discrete();
        spec.commandLine().getOut().print(DataLoader.toCsv(dataName, Simulator.simulate(m.plan().mixture(), n, seed), d, counts));
        spec.commandLine().getOut().flush();
        return 0;
    }
}

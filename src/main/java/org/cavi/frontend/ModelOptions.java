package org.cavi.frontend;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every command that reads a model shares. */
public final class ModelOptions {
    @Option(names = "--data", paramLabel = "NAME=FILE[:COLUMN]",
            description = "Bind data variable NAME to a CSV file (relative to the working directory), "
                    + "or to one column of it, by name or by number from 1 (FILE:value, FILE:2). Overrides the model's from \"...\".")
    List<String> data = new ArrayList<>();

    @Option(names = "--set", paramLabel = "NAME=VALUE",
            description = "Override a constant (--set K=6) or fix a latent (--set mu=[1,5,7,9,15]).")
    List<String> sets = new ArrayList<>();

    public List<String> data() { return List.copyOf(data); }
    public List<String> sets() { return List.copyOf(sets); }
}

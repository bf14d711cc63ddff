package org.cavi.cli;

import java.util.concurrent.Callable;
import org.cavi.repl.Repl;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

@Command(name = "repl", mixinStandardHelpOptions = true,
        description = "Start the interactive REPL (also what plain `cavi` does). "
                + "When standard input is not a terminal, it reads commands line by line without prompts.")
final class ReplCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        return new Repl(spec.commandLine().getOut(), spec.commandLine().getErr()).start();
    }
}

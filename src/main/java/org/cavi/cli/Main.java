package org.cavi.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.cavi.driver.Problem;
import org.cavi.repl.Repl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "cavi", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A small probabilistic-programming language for coordinate-ascent variational inference.%n"
                + "With no command, starts the REPL.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "2:bad command line", "65:bad model or bad data", "70:internal error", "71:out of memory"})
public final class Main implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override public Integer call() {
        return new Repl(spec.commandLine().getOut(), spec.commandLine().getErr()).start();
    }

    public static void main(String[] args) {
        int code;
        try {
            code = commandLine(args).execute(args);
        } catch (OutOfMemoryError e) {
            // Errors are not Exceptions, so picocli's handler does not see them
            System.err.println("error: out of memory; give Java a larger heap (CAVI_JAVA_OPTS=-Xmx8g)");
            code = Problem.EXIT_MEMORY;
        } catch (StackOverflowError e) {
            System.err.println("cavi: internal error: " + e + " (is an expression nested very deeply?)");
            code = Problem.EXIT_INTERNAL;
        }
        System.exit(code);
    }

    /** The commands, in the order help lists them. */
    private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("run", RunCommand::new);
        COMMANDS.put("select", SelectCommand::new);
        COMMANDS.put("predict", PredictCommand::new);
        COMMANDS.put("compare-exact", CompareExactCommand::new);
        COMMANDS.put("plan", PlanCommand::new);
        COMMANDS.put("derive", DeriveCommand::new);
        COMMANDS.put("check", CheckCommand::new);
        COMMANDS.put("simulate", SimulateCommand::new);
        COMMANDS.put("repl", ReplCommand::new);
        COMMANDS.put("help", CommandLine.HelpCommand::new);
    }

    /**
     * The command line for these arguments, with cavi's exit codes and no stack traces. When
     * the first argument names a command, only that command is built: picocli builds each one
     * by reflection, a good part of the start-up of a short run.
     */
    public static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new Main());
        String first = args.length > 0 ? args[0] : "";
        if (COMMANDS.containsKey(first) && !first.equals("help")) {
            cl.addSubcommand(first, COMMANDS.get(first).get());
        } else {
            COMMANDS.forEach((name, make) -> cl.addSubcommand(name, make.get()));
        }
        cl.setParameterExceptionHandler(Main::badCommandLine);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            PrintWriter err = line.getErr();
            err.println("cavi: internal error: " + ex + " (please report this with the model and the command)");
            if (System.getenv("CAVI_DEBUG") != null) ex.printStackTrace(err);
            err.flush();
            return Problem.EXIT_INTERNAL;
        });
        return cl;
    }

    /**
     * A bad command line in cavi's one format, "error: …" and a pointer to the help, instead of
     * picocli's own wording followed by a 20-line usage.
     */
    private static int badCommandLine(CommandLine.ParameterException ex, String[] args) {
        CommandLine line = ex.getCommandLine();
        PrintWriter err = line.getErr();
        err.println("error: " + org.cavi.frontend.UsageError.describe(ex));
        String command = line.getCommandSpec().qualifiedName();
        err.println("(" + command + " --help lists " + (line.getParent() == null ? "the commands" : "its options") + ")");
        err.flush();
        return Problem.EXIT_USAGE;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() {
            return new String[] {"cavi " + org.cavi.frontend.Version.NUMBER, "Java " + System.getProperty("java.version")};
        }
    }
}

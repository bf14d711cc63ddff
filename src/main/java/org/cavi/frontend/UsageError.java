package org.cavi.frontend;

import java.util.Arrays;
import java.util.List;
import org.cavi.source.Suggest;
import picocli.CommandLine;

/**
 * A command line picocli could not parse, said as cavi says its other errors: lower case, the
 * misspelt option or command named with a "did you mean", and numbers called numbers. Shared by
 * the command line and the REPL's :run.
 */
public final class UsageError {
    private UsageError() {}

    public static String describe(CommandLine.ParameterException ex) {
        CommandLine line = ex.getCommandLine();
        if (ex instanceof CommandLine.UnmatchedArgumentException un && !un.getUnmatched().isEmpty()) {
            String word = un.getUnmatched().get(0);
            boolean option = word.startsWith("-");
            String name = option && word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
            List<String> known = option
                    ? line.getCommandSpec().options().stream().flatMap(o -> Arrays.stream(o.names())).toList()
                    : List.copyOf(line.getSubcommands().keySet());
            String what = option ? "unknown option" : line.getSubcommands().isEmpty() ? "unexpected argument" : "unknown command";
            return what + " '" + name + "'" + Suggest.didYouMean(name, known);
        }
        String message = ex.getMessage() == null || ex.getMessage().isEmpty() ? "bad command line" : ex.getMessage();
        return Character.toLowerCase(message.charAt(0)) + message.substring(1)
                .replaceAll("is not a (double|float)$", "is not a number")
                .replaceAll("is not an? (long|int)$", "is not a whole number");
    }
}

package org.cavi.frontend;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * A command line picocli could not parse, said as cavi says its other errors: lower case, the
 * misspelt option or command named with a "did you mean", a missing argument with what it is,
 * and numbers called numbers. Shared by the command line and the REPL's :run.
 */
public final class UsageError {
    private UsageError() {}

    /** The edit distance (insertions, deletions, substitutions) between a and b. */
    static int distance(String a, String b) {
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) row[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int above = row[j];
                row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1), diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.length()];
    }

    public static String describe(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u) {
            List<String> unmatched = u.getUnmatched();
            String first = unmatched.isEmpty() ? "" : unmatched.get(0);
            List<String> candidates = u.getSuggestions().stream().filter(w -> !w.equals("help")).toList();
            // only the nearest of picocli's suggestions: '--max-itr' means '--max-iter', not also '--master'
            int nearest = candidates.stream().mapToInt(w -> distance(first, w)).min().orElse(0);
            List<String> suggestions = candidates.stream().filter(w -> distance(first, w) == nearest).map(w -> "'" + w + "'").toList();
            String hint = suggestions.isEmpty() ? "" : "; did you mean " + String.join(" or ", suggestions) + "?";
            if (u.isUnknownOption()) return "unknown option '" + first + "'" + hint;
            if (u.getCommandLine().getParent() == null && !u.getCommandLine().getSubcommands().isEmpty()) {
                return "unknown command '" + first + "'" + hint;
            }
            return "unexpected argument '" + first + "'";
        }
        if (ex instanceof CommandLine.MissingParameterException m) {
            List<String> missing = new ArrayList<>();
            for (CommandLine.Model.ArgSpec a : m.getMissing()) {
                String what = a.description().length == 0 ? "" : a.description()[0].replaceAll("\\.$", "");
                what = what.isEmpty() ? "" : ", " + Character.toLowerCase(what.charAt(0)) + what.substring(1);
                missing.add((a.isOption() ? ((CommandLine.Model.OptionSpec) a).longestName() + " " : "") + a.paramLabel() + what);
            }
            return "missing " + String.join("; and ", missing);
        }
        String message = ex.getMessage() == null ? "bad command line" : ex.getMessage();
        // "Invalid value for option '--seed': 'abc' is not a long" → "--seed: 'abc' is not a whole number"
        Matcher invalid = Pattern.compile("Invalid value for (?:option|positional parameter) '([^']*)': (.*)").matcher(message);
        if (invalid.matches()) {
            message = invalid.group(1) + ": " + invalid.group(2).replaceAll("is not an? (long|int|integer)$", "is not a whole number")
                    .replaceAll("is not a (double|float)$", "is not a number");
        }
        return message.isEmpty() ? message : Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }
}

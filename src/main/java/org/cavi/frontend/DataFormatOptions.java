package org.cavi.frontend;

import org.cavi.data.DataLoader;
import picocli.CommandLine.Option;

/** How the CSV files of --data are laid out (a picocli mixin of run, check, plan and derive). */
public final class DataFormatOptions {
    @Option(names = "--no-header", description = "The CSV files have no header row: every line is data, "
            + "and columns are picked by number (FILE:2).")
    boolean noHeader;

    @Option(names = "--delimiter", paramLabel = "CHAR", description = "The CSV files' delimiter: one character, "
            + "or \\t or tab for a tab (default: a tab when the first line has a tab and no comma, else a comma).")
    String delimiter;

    /** Why the options are wrong, or null. */
    public String validate() {
        if (delimiter == null) return null;
        char c = delimiterChar();
        if (c == 0) {
            return "--delimiter takes one character (or \\t or tab), not '" + delimiter + "'";
        }
        if (c == '"' || c == '\n' || c == '\r' || c == ' ' || c == '.' || c == '+' || c == '-' || c == 'e' || c == 'E'
                || (c >= '0' && c <= '9') || c > 126 || (c < ' ' && c != '\t')) {
            return "--delimiter '" + delimiter + "' cannot separate numbers; use a comma, a tab, ';' or '|'";
        }
        return null;
    }

    private char delimiterChar() {
        if (delimiter.equals("\\t") || delimiter.equalsIgnoreCase("tab")) return '\t';
        return delimiter.length() == 1 ? delimiter.charAt(0) : 0;
    }

    public DataLoader.Format format() {
        return new DataLoader.Format(!noHeader, delimiter == null ? 0 : delimiterChar());
    }
}

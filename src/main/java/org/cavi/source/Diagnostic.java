package org.cavi.source;

/** One located message about a source file. Errors are values, not exceptions. */
public record Diagnostic(Severity severity, Span span, String message) {
    /** The longest message: a longer one keeps its start and its end around "…". */
    static final int MAX_MESSAGE = 500;

    /**
     * A message is one line of bounded length: source text it quotes (a statement written over
     * several lines) has its line breaks, and the indentation after them, shown as one space; a
     * run of three or more blanks is one space too, and a message that is still longer than
     * MAX_MESSAGE (a quoted statement of 100,000 characters) is cut in its middle.
     */
    public Diagnostic {
        message = oneLine(message);
        if (message.length() > MAX_MESSAGE) {
            int half = MAX_MESSAGE / 2 - 2;
            message = message.substring(0, half) + " … " + message.substring(message.length() - half);
        }
    }

    /** Each run of blanks and line breaks that holds a line break, or is three or more long, as one space: in linear time (a regex backtracks on 100,000 blanks). */
    private static String oneLine(String m) {
        StringBuilder out = new StringBuilder(Math.min(m.length(), 4 * MAX_MESSAGE));
        int i = 0, n = m.length();
        while (i < n) {
            char c = m.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') { out.append(c); i++; continue; }
            int j = i;
            boolean lineBreak = false;
            while (j < n && (m.charAt(j) == ' ' || m.charAt(j) == '\t' || m.charAt(j) == '\r' || m.charAt(j) == '\n')) {
                lineBreak |= m.charAt(j) == '\n';
                j++;
            }
            if (lineBreak || j - i >= 3) out.append(' ');
            else out.append(m, i, j);
            i = j;
        }
        return out.toString();
    }

    public enum Severity {
        ERROR("error"), WARNING("warning"), NOTE("note");
        final String label;
        Severity(String label) { this.label = label; }
    }

    public static Diagnostic error(Span span, String message) {
        return new Diagnostic(Severity.ERROR, span, message);
    }

    public static Diagnostic warning(Span span, String message) {
        return new Diagnostic(Severity.WARNING, span, message);
    }

    public boolean isError() { return severity == Severity.ERROR; }

    /** At most this many characters of a source line are printed: a window around the caret. */
    public static final int LINE_WIDTH = 120;

    /**
     * FILE:LINE:COL: error: message, then the source line and a caret under the span. Columns
     * and the caret count code points; a line longer than {@link #LINE_WIDTH} is cut around the
     * caret, with '…' where it was cut.
     */
    public String render() {
        SourceFile file = span.file();
        int line = span.line();
        int col = span.column();
        String text = file.line(line);
        int[] cps = text.codePoints().map(c -> c == '\t' ? ' ' : c).toArray();
        int lineStart = file.lineStart(line);
        int caret = col - 1;
        int endOffset = Math.min(span.end(), lineStart + text.length());
        int width = endOffset > span.start() ? text.codePointCount(span.start() - lineStart, endOffset - lineStart) : 1;
        int from = 0, to = cps.length;
        if (cps.length > LINE_WIDTH) {
            from = Math.max(0, Math.min(caret - LINE_WIDTH / 2, cps.length - LINE_WIDTH));
            to = Math.min(cps.length, from + LINE_WIDTH);
        }
        String shown = (from > 0 ? "…" : "") + new String(cps, from, to - from) + (to < cps.length ? "…" : "");
        int indent = caret - from + (from > 0 ? 1 : 0);
        width = Math.max(1, Math.min(width, to - caret));
        StringBuilder out = new StringBuilder();
        out.append(file.name()).append(':').append(line).append(':').append(col)
           .append(": ").append(severity.label).append(": ").append(message).append('\n');
        out.append("  ").append(shown).append('\n');
        out.append("  ").append(" ".repeat(Math.max(0, indent))).append('^')
           .append("~".repeat(width - 1)).append('\n');
        return out.toString();
    }
}

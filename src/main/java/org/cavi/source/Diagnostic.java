package org.cavi.source;

/** One located message about a source file. Errors are values, not exceptions. */
public record Diagnostic(Severity severity, Span span, String message) {
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

    /** FILE:LINE:COL: error: message, then the source line and a caret under the span. */
    public String render() {
        SourceFile file = span.file();
        int line = span.line();
        int col = span.column();
        String text = file.line(line);
        StringBuilder out = new StringBuilder();
        out.append(file.name()).append(':').append(line).append(':').append(col)
           .append(": ").append(severity.label).append(": ").append(message).append('\n');
        out.append("  ").append(text.replace('\t', ' ')).append('\n');
        int lineEndOffset = span.start() - (col - 1) + text.length();
        int width = Math.max(1, Math.min(span.end(), lineEndOffset) - span.start());
        out.append("  ").append(" ".repeat(Math.max(0, col - 1))).append('^')
           .append("~".repeat(width - 1)).append('\n');
        return out.toString();
    }
}

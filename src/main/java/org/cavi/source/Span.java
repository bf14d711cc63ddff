package org.cavi.source;

/** A half-open range [start, end) of character offsets in a source file. */
public record Span(SourceFile file, int start, int end) {
    public int line() { return file.lineOf(start); }
    public int column() { return file.columnOf(start); }

    public Span to(Span other) {
        return new Span(file, Math.min(start, other.start), Math.max(end, other.end));
    }

    /** The source text the span covers. */
    public String text() {
        return file.text().substring(start, Math.min(end, file.text().length()));
    }

    @Override public String toString() { return file.name() + ":" + line() + ":" + column(); }
}

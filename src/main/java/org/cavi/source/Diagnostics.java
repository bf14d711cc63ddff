package org.cavi.source;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects diagnostics of one pipeline stage. */
public final class Diagnostics {
    private final List<Diagnostic> items = new ArrayList<>();

    public void error(Span span, String message) { items.add(Diagnostic.error(span, message)); }
    public void warning(Span span, String message) { items.add(Diagnostic.warning(span, message)); }
    public void add(Diagnostic d) { items.add(d); }
    public void addAll(List<Diagnostic> ds) { items.addAll(ds); }

    public boolean hasErrors() { return items.stream().anyMatch(Diagnostic::isError); }

    /** In source order, so a file's errors read top to bottom. */
    public List<Diagnostic> list() {
        List<Diagnostic> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparing((Diagnostic d) -> d.span().file().name())
                .thenComparingInt(d -> d.span().start()));
        return List.copyOf(sorted);
    }

    public static String render(List<Diagnostic> ds) {
        StringBuilder out = new StringBuilder();
        for (Diagnostic d : ds) out.append(d.render());
        return out.toString();
    }
}

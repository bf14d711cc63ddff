package org.cavi.driver;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.cavi.source.Diagnostic;

/** A stage's result: a value, or the problem that stopped it; warnings either way. */
public record Outcome<T>(Optional<T> value, Optional<Problem> problem, List<Diagnostic> warnings) {
    public static <T> Outcome<T> ok(T value, List<Diagnostic> warnings) {
        return new Outcome<>(Optional.of(value), Optional.empty(), List.copyOf(warnings));
    }

    public static <T> Outcome<T> fail(Problem p) {
        return new Outcome<>(Optional.empty(), Optional.of(p), List.of());
    }

    public static <T> Outcome<T> fail(Problem p, List<Diagnostic> warnings) {
        return new Outcome<>(Optional.empty(), Optional.of(p), List.copyOf(warnings));
    }

    public boolean ok() { return value.isPresent(); }
    public T get() { return value.orElseThrow(); }

    /** Runs the next stage if this one succeeded, keeping this stage's warnings. */
    public <U> Outcome<U> then(Function<T, Outcome<U>> next) {
        if (!ok()) return fail(problem.orElseThrow(), warnings);
        Outcome<U> u = next.apply(get());
        List<Diagnostic> all = new java.util.ArrayList<>(warnings);
        all.addAll(u.warnings());
        return new Outcome<>(u.value(), u.problem(), List.copyOf(all));
    }
}

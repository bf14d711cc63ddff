package org.cavi.driver;

import java.util.List;
import org.cavi.source.Diagnostic;
import org.cavi.source.Diagnostics;

/** What stopped the pipeline, as a value. Each kind has its own exit code. */
public sealed interface Problem {
    int EXIT_USAGE = 2;
    int EXIT_DATA = 65;   // EX_DATAERR: a bad model or bad data
    int EXIT_INTERNAL = 70; // EX_SOFTWARE
    int EXIT_MEMORY = 71;   // EX_OSERR: the system could not give the memory the input needs

    int exitCode();
    String render();

    /** Errors located in a source file: parse, check and pattern errors. */
    record SourceErrors(List<Diagnostic> diagnostics) implements Problem {
        public int exitCode() { return EXIT_DATA; }
        public String render() {
            long errors = diagnostics.stream().filter(Diagnostic::isError).count();
            return Diagnostics.render(diagnostics) + errors + " error" + (errors == 1 ? "" : "s") + "\n";
        }
    }

    /** A data file that is missing or malformed. */
    record BadData(String message) implements Problem {
        public int exitCode() { return EXIT_DATA; }
        public String render() { return "error: " + message + "\n"; }
    }

    /** Not enough memory for the input (the data are read whole into the heap, unless they are .npy). */
    record OutOfMemory(String message) implements Problem {
        public int exitCode() { return EXIT_MEMORY; }
        public String render() { return "error: " + message + "\n"; }
    }

    /** A wrong flag or option value. */
    record BadUsage(String message) implements Problem {
        public int exitCode() { return EXIT_USAGE; }
        public String render() { return "error: " + message + "\n"; }
    }
}

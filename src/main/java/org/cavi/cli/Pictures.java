package org.cavi.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import org.cavi.driver.FitService;
import org.cavi.driver.Problem;
import org.cavi.frontend.FitFlags;
import org.cavi.report.Animation;

/** The pictures of a fit sweep by sweep, --animate and --snapshots, written and announced. */
final class Pictures {
    private Pictures() {}

    /** Writes the files FLAGS ask for and says so on {@code out} (not with --json); returns what went wrong, if anything. */
    static Optional<Problem> ofSweeps(FitFlags flags, FitService.Fit f, PrintWriter out) {
        int last = f.result().iterations();
        if (flags.animate().isPresent()) {
            Optional<String> unwritten = Animation.animate(flags.animate().get(), f.mixture(), f.data(), f.result(), f.options(),
                    f.restart());
            if (unwritten.isPresent()) return Optional.of(new Problem.BadData(unwritten.get()));
            if (!flags.json()) {
                out.println("animation written to " + flags.animate().get() + " (" + Animation.frames(last).length + " frames)");
            }
            out.flush();
        }
        if (flags.snapshots().isPresent()) {
            Optional<String> past = flags.pastLast(last);
            if (past.isPresent()) return Optional.of(new Problem.BadUsage(past.get()));
            int[] sweeps = flags.at(last);
            Optional<String> unwritten = Animation.snapshots(flags.snapshots().get(), f.mixture(), f.data(), f.result(),
                    f.options(), f.restart(), sweeps);
            if (unwritten.isPresent()) return Optional.of(new Problem.BadData(unwritten.get()));
            if (!flags.json()) {
                out.println("snapshots of sweeps " + Arrays.stream(sweeps).mapToObj(Integer::toString).collect(Collectors.joining(", "))
                        + " written to " + flags.snapshots().get());
            }
            out.flush();
        }
        return Optional.empty();
    }
}

package org.cavi.report;

import java.io.PrintWriter;
import java.util.Locale;
import org.cavi.infer.Fitter;

/**
 * A progress line on stderr for fits longer than about 2 s: restart, sweep, ELBO and sweeps
 * per second, redrawn in place. Only when stderr is a terminal, which the ./cavi launcher
 * tells with CAVI_STDERR_TTY=1 (Java 17 cannot ask); elsewhere it prints nothing.
 */
public final class Progress implements Fitter.Listener, AutoCloseable {
    private static final long QUIET_NANOS = 2_000_000_000L, EVERY_NANOS = 250_000_000L;

    private final PrintWriter err;
    private final boolean on;
    private final long start = System.nanoTime();
    private long last, sweeps;
    private volatile boolean shown;
    /** Ends a drawn line when the JVM stops mid-fit (Ctrl-C in cavi run), so the shell's prompt starts on its own line. */
    private final Thread onExit;

    private Progress(PrintWriter err, boolean on) {
        this.err = err;
        this.on = on;
        this.onExit = on ? new Thread(() -> {
            if (shown) {
                err.println();
                err.flush();
            }
        }, "cavi-progress-exit") : null;
        if (onExit != null) Runtime.getRuntime().addShutdownHook(onExit);
    }

    public static Progress onTerminal(PrintWriter err) {
        return new Progress(err, "1".equals(System.getenv("CAVI_STDERR_TTY")));
    }

    @Override
    public void swept(int restart, int restarts, int sweep, double elbo) {
        sweeps++;
        if (!on) return;
        long now = System.nanoTime();
        if (now - start < QUIET_NANOS || now - last < EVERY_NANOS) return;
        last = now;
        double rate = sweeps / ((now - start) / 1e9);
        err.print(String.format(Locale.ROOT, "\rrestart %d/%d  sweep %d  ELBO %.6f  %.1f sweeps/s   ", restart, restarts, sweep, elbo, rate));
        err.flush();
        shown = true;
    }

    /** Clears the line, so that the results print on a clean one. */
    @Override
    public void close() {
        if (shown) {
            err.print("\r" + " ".repeat(78) + "\r");
            err.flush();
            shown = false;
        }
        if (onExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException alreadyStopping) {
                // the JVM is stopping: the hook runs, and finds nothing shown
            }
        }
    }
}

package org.cavi.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.cavi.driver.Driver;
import org.cavi.driver.Outcome;
import org.cavi.infer.CaviState;
import org.cavi.infer.Fitter;
import org.cavi.plan.Mixture;
import org.cavi.simulate.Simulator;
import org.cavi.source.SourceFile;

/**
 * Measures one CAVI sweep of the Gaussian mixture on one thread: ns per point·component·sweep,
 * and the memory the fit holds per data point. Run it with bench/sweep.sh.
 */
public final class SweepBench {
    private static final String MODEL = """
            const K = 5
            data x[n]
            mu[k] ~ Normal(0, 100)      for k in 1..K
            c[i]  ~ Categorical(K)      for i in 1..n
            x[i]  ~ Normal(mu[c[i]], 1) for i in 1..n
            """;

    /** Bishop's mixture in D dimensions: Normal-Wishart prior, joint q(mu, Lambda), Dirichlet weights. */
    private static final String MV_MODEL = """
            const K = 10
            const D = 10
            data x[n, D]
            pi ~ Dirichlet(1, K)
            Lambda[k] ~ Wishart(D, eye(D)) for k in 1..K
            mu[k] ~ MvNormal(zeros(D), inv(0.01*Lambda[k])) for k in 1..K
            c[i] ~ Categorical(pi) for i in 1..n
            x[i] ~ MvNormal(mu[c[i]], inv(Lambda[c[i]])) for i in 1..n
            q(mu[k], Lambda[k])
            """;

    /** The bench's model with K components (D > 1: Bishop's mixture in D dimensions), its data x bound to {@code file}. */
    public static Driver.Request request(int k, int d, String file) {
        List<String> sets = d == 1 ? List.of("K=" + k) : List.of("K=" + k, "D=" + d);
        return new Driver.Request(new SourceFile("bench.vi", d == 1 ? MODEL : MV_MODEL), Path.of("."), Map.of("x", file), sets, true);
    }

    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int k = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int d = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int workers = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        // a sixth argument: fit the data in that file (CSV or .npy) rather than simulated ones
        String file = args.length > 5 ? args[5] : null;
        Driver.Request req = request(k, d, file == null ? "-" : file);
        Outcome<Driver.Compiled> c = Driver.compile(req);
        Mixture gm = c.get().plan().mixture();
        org.cavi.data.Points x;
        if (file == null) {
            x = org.cavi.data.Points.of(Simulator.simulate(gm, size, 1));
        } else {
            Outcome<org.cavi.data.Points> loaded = Driver.loadData(c.get(), req, Path.of("."));
            if (!loaded.ok()) throw new IllegalArgumentException(loaded.problem().orElseThrow().render());
            x = loaded.get();
        }
        int n = (int) (x.size() / d);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        // everything the start and one sweep allocate: an upper bound on what the fit holds besides the data
        long allocStart = threads.getThreadAllocatedBytes(tid);
        CaviState s = Fitter.start(gm, x, new SplittableRandom(1), org.cavi.infer.Parallel.of(workers));
        s.sweep();
        long state = threads.getThreadAllocatedBytes(tid) - allocStart;
        long held = 8L * n * d + state;

        for (int w = 0; w < 10; w++) s.sweep(); // warm-up: JIT
        // the thread-allocation counter below sees this thread only: with more threads it is a lower bound
        double[] ns = new double[reps];
        long allocBefore = threads.getThreadAllocatedBytes(tid);
        double sink = 0;
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            sink += s.sweep();
            ns[r] = (System.nanoTime() - t0) / ((double) n * k);
        }
        long allocPerSweep = (threads.getThreadAllocatedBytes(tid) - allocBefore) / reps;
        Arrays.sort(ns);
        System.out.printf(Locale.ROOT, "n = %d, K = %d, D = %d, %d sweeps on %d thread%s (ELBO %.6g)%n", n, k, d, reps, workers,
                workers == 1 ? "" : "s", sink / reps);
        System.out.printf(Locale.ROOT, "ns per point·component·sweep: median %.2f, min %.2f, max %.2f%n",
                ns[reps / 2], ns[0], ns[reps - 1]);
        System.out.printf(Locale.ROOT, "ms per sweep: median %.3f%n", ns[reps / 2] * n * k / 1e6);
        System.out.printf(Locale.ROOT, "memory of the fit: at most %.1f bytes per point (data %d bytes + at most %d bytes allocated by the start and a sweep)%n",
                (double) held / n, 8L * n * d, state);
        System.out.printf(Locale.ROOT, "allocated per sweep: %d bytes (independent of n)%n", allocPerSweep);
    }
}

package org.cavi.spark;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.cavi.bench.SweepBench;
import org.cavi.data.Points;
import org.cavi.driver.Driver;
import org.cavi.driver.Outcome;
import org.cavi.infer.CaviState;
import org.cavi.infer.Engine;
import org.cavi.infer.Fitter;
import org.cavi.infer.Parallel;
import org.cavi.plan.Mixture;
import org.cavi.simulate.Simulator;

/**
 * One sweep's time on Spark against the local engine, on the same simulated data and the same
 * start (bench/sweep.sh's models, {@link SweepBench#request}). Run it with bench/spark.sh. Prints, for each engine, the
 * median and the fastest sweep in ms and in ns per point·component, and checks that both engines
 * gave the same ELBO, bit for bit.
 */
public final class SparkSweepBench {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int k = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int d = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        String master = args.length > 5 ? args[5] : "local[2]";
        int partitions = args.length > 6 ? Integer.parseInt(args[6]) : 2;
        Outcome<Driver.Compiled> c = Driver.compile(SweepBench.request(k, d, "-"));
        Mixture mix = c.get().plan().mixture();
        Points x = Points.of(Simulator.simulate(mix, n, 1));

        double[] local = time(mix, x, Parallel.of(threads), reps);
        long t0 = System.nanoTime();
        double[] spark;
        try (SparkEngine engine = SparkEngine.open(x, d, Optional.of(master), partitions)) {
            double keep = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "spark: context and blocks kept in %.2f s (%s)%n", keep, engine.describe());
            spark = time(mix, x, engine, reps);
        }
        System.out.printf(Locale.ROOT, "n = %d, K = %d, D = %d, %d sweeps%n", n, k, d, reps);
        report("local, " + threads + " thread" + (threads == 1 ? "" : "s"), local, n, k);
        report("spark, " + master + ", " + partitions + " partition" + (partitions == 1 ? "" : "s"), spark, n, k);
        System.out.printf(Locale.ROOT, "same ELBO, bit for bit: %s%n", local[0] == spark[0]);
    }

    /** [ELBO of the last sweep, then each timed sweep's seconds, sorted]. */
    private static double[] time(Mixture mix, Points x, Engine engine, int reps) {
        CaviState s = Fitter.start(mix, x, new SplittableRandom(1), engine);
        for (int w = 0; w < 5; w++) s.sweep(); // warm-up: JIT, and Spark's first jobs
        double[] out = new double[reps + 1];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            out[0] = s.sweep();
            out[r + 1] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(out, 1, out.length);
        return out;
    }

    private static void report(String what, double[] t, int n, int k) {
        double median = t[1 + (t.length - 1) / 2], min = t[1];
        System.out.printf(Locale.ROOT, "%-32s ms per sweep: median %9.3f, min %9.3f;  ns per point·component: median %7.2f, min %7.2f%n",
                what, median * 1e3, min * 1e3, median * 1e9 / ((double) n * k), min * 1e9 / ((double) n * k));
    }
}

package org.cavi.driver;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.cavi.data.Points;
import org.cavi.family.NotPositiveDefinite;
import org.cavi.infer.CaviState;
import java.util.ServiceLoader;
import org.cavi.infer.DistributedEngine;
import org.cavi.infer.Engine;
import org.cavi.infer.EngineChoice;
import org.cavi.infer.FitOptions;
import org.cavi.infer.Parallel;
import org.cavi.infer.FitResult;
import org.cavi.infer.Fitter;
import org.cavi.plan.Mixture;

/**
 * The fit that `cavi run` and the REPL share, after {@link Driver#compile}: check that the
 * model can be fitted, load its data, run the restarts. It is two calls, {@link #prepare} and
 * {@link #fit}, so that a caller's progress line times the fit and not the loading; the
 * REPL's :step uses {@link #prepare} and {@link #start} alone.
 */
public final class FitService {
    private FitService() {}

    /**
     * A compiled model with its data, ready to fit; {@code loadSeconds} is the wall time of reading
     * the data. Data an engine read where they lie ({@link Points.Remote}) stay with it until
     * {@link #close}: every fit, replay and assignment of them runs there.
     */
    public record Prepared(Driver.Compiled compiled, Points data, double loadSeconds) implements AutoCloseable {
        public Mixture mixture() { return compiled.plan().mixture(); }

        /** Lets go of data held elsewhere (their engine's blocks, and its context if it made one); nothing for data held here. */
        @Override
        public void close() {
            if (data instanceof Points.Remote r) r.holder().close();
        }
    }

    /**
     * A finished (or cancelled) fit: the result as reported, the best restart's state to sweep on
     * from, and which restart that was (from 0), for {@link Fitter#replay}.
     */
    public record Fit(Prepared prepared, FitOptions options, FitResult result, CaviState best, int restart) {
        public Driver.Compiled compiled() { return prepared.compiled(); }
        public Mixture mixture() { return prepared.mixture(); }
        public Points data() { return prepared.data(); }
        public double loadSeconds() { return prepared.loadSeconds(); }
    }

    /** Whether the model can be fitted (only the means may be fixed), then its data, timed. */
    public static Outcome<Prepared> prepare(Driver.Compiled c, Driver.Request req, Path workingDir) {
        return prepare(c, req, workingDir, EngineChoice.local());
    }

    /**
     * As {@link #prepare(Driver.Compiled, Driver.Request, Path)}, for a fit on {@code engine}: data at
     * a Hadoop file-system path or in Parquet are read by that engine where they lie.
     */
    public static Outcome<Prepared> prepare(Driver.Compiled c, Driver.Request req, Path workingDir, EngineChoice engine) {
        Optional<Problem> notRunnable = Driver.runnable(c);
        if (notRunnable.isPresent()) return Outcome.fail(notRunnable.get());
        long loadStart = System.nanoTime();
        Outcome<Points> x = Driver.loadData(c, req, workingDir, engine);
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        return x.then(points -> Outcome.ok(new Prepared(c, points, loadSeconds), List.of()));
    }

    /**
     * Runs the restarts; {@code cancel} is polled between sweeps, {@code listener} hears each one. A fit
     * that is not finite is refused here ({@link #nonFinite}), so no caller can print one.
     */
    public static Outcome<Fit> fit(Prepared p, FitOptions options, BooleanSupplier cancel, Fitter.Listener listener) {
        return fit(p, options, EngineChoice.local(), cancel, listener);
    }

    /**
     * As {@link #fit(Prepared, FitOptions, BooleanSupplier, Fitter.Listener)}, with the passes on the
     * engine {@code choice} names. A distributed engine is opened for these data, used for every
     * restart and closed; everything else runs here, as for the local engine. An engine that is not
     * on the classpath, or cannot start, is a usage problem that says what to do.
     */
    public static Outcome<Fit> fit(Prepared p, FitOptions options, EngineChoice choice, BooleanSupplier cancel,
                                   Fitter.Listener listener) {
        // data an engine read where they lie are fitted there, whatever the choice (prepare took it)
        if (p.data() instanceof Points.Remote) return fit(p, options, Engine.forData(p.data(), options.threads()), cancel, listener);
        if (choice.isLocal()) return fit(p, options, Parallel.of(options.threads()), cancel, listener);
        Optional<DistributedEngine.Provider> provider = provider(choice);
        if (provider.isEmpty()) return Outcome.fail(notOnClasspath(choice));
        DistributedEngine engine;
        try {
            engine = provider.get().open(p.data(), p.mixture().dimension(), choice);
        } catch (IllegalArgumentException e) {
            return Outcome.fail(new Problem.BadUsage("--engine " + choice.name() + ": " + e.getMessage()));
        }
        // the fit's states outlive the engine (the REPL's :step sweeps on from the best one): once it is
        // closed their passes run on the local engine, which gives the same bits
        HandOff handOff = new HandOff(engine);
        try (engine) {
            return fit(p, options, handOff, cancel, listener);
        } finally {
            handOff.current = Parallel.of(options.threads());
        }
    }

    /** An engine that runs on one engine until it is handed to another. */
    private static final class HandOff implements Engine {
        volatile Engine current;

        HandOff(Engine first) { current = first; }

        @Override
        public void pass(Points data, int d, BlockPass kernel, double[][] slots, int width, long work, double[] total) {
            current.pass(data, d, kernel, slots, width, work, total);
        }

        @Override
        public void label(Points data, int d, RowLabels kernel, CaviState.Assignee to) {
            current.label(data, d, kernel, to);
        }
    }

    /** The distributed engine {@code choice} names, if it is on the classpath. */
    static Optional<DistributedEngine.Provider> provider(EngineChoice choice) {
        return ServiceLoader.load(DistributedEngine.Provider.class).stream()
                .map(ServiceLoader.Provider::get).filter(e -> e.name().equals(choice.name())).findFirst();
    }

    static Problem notOnClasspath(EngineChoice choice) {
        return new Problem.BadUsage("--engine " + choice.name() + ": the " + choice.name() + " engine is not on the "
                + "classpath. Build it once with `mvn -B install -DskipTests && mvn -B -f spark/pom.xml package -DskipTests`, "
                + "then `./cavi run MODEL --engine spark` finds it (the REPL: `CAVI_SPARK=1 ./cavi repl`); on a cluster, run spark/target/cavi-spark.jar with "
                + "spark-submit (README, \"Running on a cluster\")");
    }

    private static Outcome<Fit> fit(Prepared p, FitOptions options, Engine engine, BooleanSupplier cancel, Fitter.Listener listener) {
        Fitter.Run run;
        try {
            run = Fitter.run(p.compiled().plan(), p.data(), options, engine, cancel, listener);
        } catch (NotPositiveDefinite e) {
            return Outcome.fail(refused(p, e));
        }
        Fit f = new Fit(p, options, run.result(), run.best(), run.restart());
        Optional<Problem> refused = nonFinite(f);
        return refused.isPresent() ? Outcome.fail(refused.get()) : Outcome.ok(f, List.of());
    }

    /**
     * A fit whose ELBO or reported q is not finite (NaN or ±Infinity) is refused: it is never
     * printed as a result with exit 0. It happens when the model's numbers or the data are beyond
     * what doubles hold through the ELBO's squares, products and logs.
     */
    static Optional<Problem> nonFinite(Fit f) {
        FitResult r = f.result();
        double[] trace = r.trace();
        String where = null;
        for (int t = 0; t < trace.length && where == null; t++) {
            if (!Double.isFinite(trace[t])) where = "the ELBO is " + trace[t] + " at sweep " + (t + 1) + " of the best restart";
        }
        if (where == null && !Double.isFinite(r.elbo()) && r.iterations() > 0) where = "the ELBO is " + r.elbo();
        if (where == null) {
            for (var b : r.q().blocks()) {
                for (var e : b.fields().entrySet()) {
                    if (!finite(e.getValue())) { where = "q(" + b.latent() + ")'s " + e.getKey() + " is not finite"; break; }
                }
                if (where != null) break;
            }
        }
        if (where == null) return Optional.empty();
        Optional<String> scale = DataScale.beyondDoubles(f.data(), f.mixture());
        if (scale.isPresent()) return Optional.of(new Problem.BadData("the fit is not finite: " + where + "; " + scale.get()));
        return Optional.of(new Problem.BadData("the fit is not finite: " + where + "; the model's constants or its data are "
                + "beyond what doubles hold through the ELBO's squares and logs: keep the data below about 1e150 in size "
                + "and the prior's parameters between about 1e-150 and 1e150, or rescale the data"));
    }

    private static boolean finite(Object v) {
        if (v instanceof Double d) return Double.isFinite(d);
        if (v instanceof double[] a) { for (double x : a) if (!Double.isFinite(x)) return false; return true; }
        if (v instanceof Object[] a) { for (Object x : a) if (!finite(x)) return false; return true; }
        return true;
    }

    /**
     * A fit whose matrix lost positive definiteness: refused as bad data when the data are beyond
     * the fit's arithmetic ({@link DataScale}), which says what to do; otherwise it is a bug, and
     * {@code e} is thrown on, an internal error.
     */
    public static Problem refused(Prepared p, NotPositiveDefinite e) {
        Optional<String> why = DataScale.beyondDoubles(p.data(), p.mixture());
        if (why.isEmpty()) throw e;
        return new Problem.BadData(why.get());
    }

    /** The seeded start of restart 1, which a fit with this seed would sweep first; refused as {@link #fit} refuses. */
    public static Outcome<CaviState> start(Prepared p, long seed, int threads) {
        try {
            return Outcome.ok(Fitter.firstStart(p.mixture(), p.data(), seed, threads), List.of());
        } catch (NotPositiveDefinite e) {
            return Outcome.fail(refused(p, e));
        }
    }

    /**
     * The ELBO's terms after each sweep of the fit's best restart, as the plan names them: the
     * restart is swept again from its seed (bit for bit the fit's), so nothing was kept during it.
     */
    public static java.util.List<java.util.Map<String, Double>> termsBySweep(Fit f) {
        java.util.List<java.util.Map<String, Double>> terms = new java.util.ArrayList<>();
        org.cavi.infer.Fitter.replay(f.mixture(), f.data(), f.options(), f.restart(), f.result().iterations(),
                (t, state, elbo) -> { if (t > 0) terms.add(state.elboTerms()); });
        return terms;
    }
}

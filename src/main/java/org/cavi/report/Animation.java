package org.cavi.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.nio.file.Path;
import org.cavi.data.Points;
import org.cavi.family.Posterior;
import org.cavi.infer.CaviState;
import org.cavi.infer.FitOptions;
import org.cavi.infer.FitResult;
import org.cavi.infer.Fitter;
import org.cavi.plan.Mixture;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.Range;
import org.jfree.data.general.DatasetUtils;

/**
 * The fit as it moves: the best restart swept again from its seeded start ({@link Fitter#replay}),
 * drawn sweep by sweep as the data panel of {@link Plots} (the histogram with the component
 * densities, or the 2-D points coloured by their most probable component with an ellipse per
 * component), on axes that stay put from frame to frame. Written as an animated GIF
 * ({@link #animate}) or as a grid of chosen sweeps ({@link #snapshots}).
 */
public final class Animation {
    private Animation() {}

    /** One frame, or one panel of the grid. */
    public static final int WIDTH = 800;
    public static final int HEIGHT = 560;
    /** An animation of a longer fit shows this many sweeps, evenly spaced, with 0, 1 and the last. */
    public static final int MAX_FRAMES = 200;
    /** How long a frame is shown; the last, the fit, is held longer. */
    public static final int FRAME_MILLIS = 200;
    public static final int LAST_FRAME_MILLIS = 2000;
    /** Points a frame draws at most, evenly spaced through larger data: 200 frames of 10⁶ points would take minutes. */
    public static final int MAX_ROWS = 10_000;
    /** Panels a grid of snapshots holds at most. */
    public static final int MAX_SNAPSHOTS = 16;

    /**
     * The sweeps an animation of a restart of {@code sweeps} sweeps shows: 0 (the start) to the
     * last, or {@link #MAX_FRAMES} of them evenly spaced, always with 0, 1 and the last.
     */
    public static int[] frames(int sweeps) {
        if (sweeps + 1 <= MAX_FRAMES) {
            int[] all = new int[sweeps + 1];
            for (int t = 0; t <= sweeps; t++) all[t] = t;
            return all;
        }
        int[] out = new int[MAX_FRAMES];
        for (int i = 0; i < MAX_FRAMES; i++) out[i] = (int) Math.round((double) i * sweeps / (MAX_FRAMES - 1));
        // the first sweep moves the most; out[1] ≥ 1 and out[2] ≥ 2 here, so this keeps them distinct
        out[1] = 1;
        return out;
    }

    /**
     * Writes the best restart ({@code restart}, from 0, of a fit with {@code options}) to FILE.gif,
     * one frame per sweep from its start; returns what went wrong, if anything.
     */
    public static Optional<String> animate(Path file, Mixture mix, Points points, FitResult r, FitOptions options, int restart) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".gif")) return Optional.of(file + ": an animation is written as .gif");
        if (r.iterations() == 0) return Optional.of(file + ": no sweep was made, so there is nothing to animate");
        System.setProperty("java.awt.headless", "true");
        Film film = Film.of(mix, points, r, options, restart, frames(r.iterations()));
        try {
            Gif.Writer gif = new Gif.Writer();
            BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
            for (int i = 0; i < film.frames.size(); i++) {
                Graphics2D g = image.createGraphics();
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, WIDTH, HEIGHT);
                film.draw(g, i, new Rectangle2D.Double(0, 0, WIDTH, HEIGHT));
                g.dispose();
                gif.add(image, i == film.frames.size() - 1 ? LAST_FRAME_MILLIS : FRAME_MILLIS);
            }
            byte[] bytes = gif.finish();
            AtomicFile.write(file, out -> out.write(bytes));
        } catch (IOException e) {
            return Optional.of(AtomicFile.cannotWrite(file, e));
        }
        return Optional.empty();
    }

    /**
     * Draws the best restart at each of {@code sweeps} (0 is the start; each at most the restart's
     * last sweep) side by side to FILE.png or FILE.svg, on the same axes; returns what went wrong, if anything.
     */
    public static Optional<String> snapshots(Path file, Mixture mix, Points points, FitResult r, FitOptions options, int restart,
                                             int[] sweeps) {
        Optional<String> badName = Plots.checkName(file);
        if (badName.isPresent()) return badName;
        int[] chosen = Arrays.stream(sweeps).distinct().sorted().toArray();
        if (chosen.length == 0 || chosen.length > MAX_SNAPSHOTS || chosen[0] < 0 || chosen[chosen.length - 1] > r.iterations()) {
            throw new IllegalArgumentException("snapshots " + Arrays.toString(sweeps) + " of a fit of " + r.iterations() + " sweeps");
        }
        System.setProperty("java.awt.headless", "true");
        Film film = Film.of(mix, points, r, options, restart, chosen);
        int columns = (int) Math.ceil(Math.sqrt(chosen.length)), rows = (chosen.length + columns - 1) / columns;
        return Plots.save(file, columns * WIDTH, rows * HEIGHT, g -> {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, columns * WIDTH, rows * HEIGHT);
            for (int i = 0; i < chosen.length; i++) {
                film.draw(g, i, new Rectangle2D.Double(i % columns * WIDTH, i / columns * HEIGHT, WIDTH, HEIGHT));
            }
        });
    }

    /** The state at one recorded sweep, as a result sorted in the final order, and its points' components. */
    record Frame(int sweep, FitResult result, int[] labels) {}

    /**
     * The recorded sweeps of a replay and the fixed axes they are drawn on. Components are
     * numbered and coloured in the order of the fit's end (the report's order) in every frame,
     * so a component keeps its colour while the means pass each other.
     */
    static final class Film {
        final Mixture mix;
        final double[] rows;
        final List<Frame> frames;
        final boolean scatter, density;
        Range dataX, dataY, qX, qY;

        private Film(Mixture mix, double[] rows, List<Frame> frames) {
            this.mix = mix;
            this.rows = rows;
            this.frames = frames;
            this.scatter = mix.components() instanceof Mixture.Components.MvNormal && mix.dimension() > 1;
            this.density = mix.selector().isEmpty();
        }

        /**
         * Replays restart {@code restart} and records it at {@code sweeps} (ascending). The replay
         * must repeat the fit's ELBO after every sweep bit for bit; if it does not, that is a bug
         * in the fit's determinism, thrown as one.
         */
        static Film of(Mixture mix, Points points, FitResult r, FitOptions options, int restart, int[] sweeps) {
            int d = mix.dimension();
            boolean labelled = mix.components() instanceof Mixture.Components.MvNormal && d > 1 && mix.selector().isPresent();
            boolean[] wanted = new boolean[r.iterations() + 1];
            for (int t : sweeps) wanted[t] = true;
            record Raw(int sweep, double elbo, Posterior q, double[] weights, int[] labels) {}
            List<Raw> raw = new ArrayList<>();
            double[][] finalKey = new double[1][];
            double[] drawn = points.rows(d, MAX_ROWS);
            int[] identity = new int[mix.k()];
            for (int j = 0; j < identity.length; j++) identity[j] = j;
            double[] replayed = Fitter.replay(mix, points, options, restart, r.iterations(), (t, s, elbo) -> {
                if (t == r.iterations()) finalKey[0] = s.key();
                if (!wanted[t]) return;
                // before the first sweep no point has been assigned: the start's components weigh 1/K each
                double[] w = t == 0 ? uniform(mix.k()) : s.weights();
                raw.add(new Raw(t, elbo, s.posterior(), w, labelled ? Plots.labels(s, drawn, d, identity) : null));
            });
            double[] trace = r.trace();
            for (int t = 0; t < trace.length; t++) {
                if (Double.doubleToRawLongBits(replayed[t]) != Double.doubleToRawLongBits(trace[t])) {
                    throw new IllegalStateException("the replay of restart " + (restart + 1) + " gave ELBO " + replayed[t]
                            + " at sweep " + (t + 1) + ", where the fit had " + trace[t] + ": the fit is not reproducible");
                }
            }
            int[] rank = Plots.rank(finalKey[0]);
            double[] order = new double[rank.length];
            for (int j = 0; j < rank.length; j++) order[j] = rank[j];
            List<Frame> frames = new ArrayList<>();
            for (Raw f : raw) {
                FitResult at = FitResult.sorted(r.model(), r.n(), r.k(), f.elbo(), f.sweep(), r.stop(), 1, f.sweep(), 0,
                        Arrays.copyOf(trace, f.sweep()), f.q(), order, f.weights(), false);
                int[] labels = null;
                if (f.labels() != null) {
                    labels = new int[f.labels().length];
                    for (int i = 0; i < labels.length; i++) labels[i] = rank[f.labels()[i]];
                }
                frames.add(new Frame(f.sweep(), at, labels));
            }
            Film film = new Film(mix, drawn, frames);
            film.fixAxes();
            return film;
        }

        private static double[] uniform(int k) {
            double[] w = new double[k];
            Arrays.fill(w, 1.0 / k);
            return w;
        }

        /** The data panel's share of a frame: all of it, or beside q's density for a model without assignments. */
        private double split() {
            return density ? 0.56 : 1;
        }

        /**
         * Axes that hold every frame: the data's extent across, and up to the highest curve of
         * any frame, but no higher than 1.5 times the last frame's (or the histogram's) peak, so
         * that a start with one narrow spike does not flatten the fit (a taller curve is cut).
         */
        private void fixAxes() {
            Frame last = frames.get(frames.size() - 1);
            Rectangle2D area = new Rectangle2D.Double(0, 0, WIDTH * split(), HEIGHT);
            if (scatter) {
                int d = mix.dimension();
                double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = x0, y1 = x1;
                for (int i = 0; i < rows.length / d; i++) {
                    x0 = Math.min(x0, rows[i * d]);
                    x1 = Math.max(x1, rows[i * d]);
                    y0 = Math.min(y0, rows[i * d + 1]);
                    y1 = Math.max(y1, rows[i * d + 1]);
                }
                double px = 0.08 * Math.max(x1 - x0, 1e-9), py = 0.08 * Math.max(y1 - y0, 1e-9);
                JFreeChart chart = data(last);
                chart.getXYPlot().getDomainAxis().setRange(x0 - px, x1 + px);
                chart.getXYPlot().getRangeAxis().setRange(y0 - py, y1 + py);
                Plots.equalAspect(chart, area);
                dataX = chart.getXYPlot().getDomainAxis().getRange();
                dataY = chart.getXYPlot().getRangeAxis().getRange();
            } else {
                XYPlot end = data(last).getXYPlot();
                dataX = end.getDomainAxis().getRange();
                double bars = upper(end, 0), peak = 0;
                for (Frame f : frames) peak = Math.max(peak, upper(data(f).getXYPlot(), 1));
                dataY = new Range(0, 1.05 * Math.max(bars, Math.min(peak, 1.5 * Math.max(bars, upper(end, 1)))));
            }
            if (density) {
                Optional<JFreeChart> q = Plots.posteriorDensity(mix, last.result());
                if (q.isEmpty()) return;
                XYPlot end = q.get().getXYPlot();
                // across, every frame's q (its mean ± 5 sd): q moving from the start to the fit is the point
                qX = end.getDomainAxis().getRange();
                double peak = 0;
                for (Frame f : frames) {
                    Optional<JFreeChart> each = Plots.posteriorDensity(mix, f.result());
                    if (each.isEmpty()) continue;
                    peak = Math.max(peak, upper(each.get().getXYPlot(), 0));
                    qX = Range.combine(qX, each.get().getXYPlot().getDomainAxis().getRange());
                }
                qY = new Range(0, 1.05 * Math.min(peak, 1.5 * upper(end, 0)));
            }
        }

        private static double upper(XYPlot plot, int dataset) {
            Range r = plot.getDataset(dataset) == null ? null : DatasetUtils.findRangeBounds(plot.getDataset(dataset));
            return r == null || !Double.isFinite(r.getUpperBound()) ? 0 : r.getUpperBound();
        }

        private JFreeChart data(Frame f) {
            return scatter ? Plots.scatter(mix, rows, f.result(), f.labels(), false) : Plots.histogram(mix, rows, f.result(), false);
        }

        /** Draws frame {@code i} into {@code area}: the data panel, and q's density beside it for a model without assignments. */
        void draw(Graphics2D g, int i, Rectangle2D area) {
            Frame f = frames.get(i);
            JFreeChart chart = data(f);
            chart.setTitle(title(f));
            chart.getTitle().setFont(chart.getTitle().getFont().deriveFont(16f));
            XYPlot plot = chart.getXYPlot();
            plot.getDomainAxis().setRange(dataX);
            plot.getRangeAxis().setRange(dataY);
            Optional<JFreeChart> q = density ? Plots.posteriorDensity(mix, f.result()) : Optional.empty();
            double w = q.isPresent() ? area.getWidth() * split() : area.getWidth();
            chart.draw(g, new Rectangle2D.Double(area.getX(), area.getY(), w, area.getHeight()));
            if (q.isPresent() && qX != null) {
                q.get().getTitle().setFont(chart.getTitle().getFont());
                XYPlot qp = q.get().getXYPlot();
                qp.getDomainAxis().setRange(qX);
                if (qY.getLength() > 0) qp.getRangeAxis().setRange(qY);
                q.get().draw(g, new Rectangle2D.Double(area.getX() + w, area.getY(), area.getWidth() - w, area.getHeight()));
            }
        }

        /** The sweep and its ELBO, after the model's name when the data panel has the frame's width for it. */
        private String title(Frame f) {
            FitResult r = f.result();
            String model = density ? "" : r.model() + ": ";
            if (f.sweep() == 0) return model + "the start, before sweep 1";
            return String.format(Locale.ROOT, "%ssweep %d, ELBO %.6f", model, f.sweep(), r.elbo());
        }
    }
}

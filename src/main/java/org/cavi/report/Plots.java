package org.cavi.report;

import org.cavi.family.NormalPrior;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.cavi.data.Points;
import org.cavi.family.Posterior;
import org.cavi.infer.CaviState;
import org.cavi.infer.FitResult;
import org.cavi.plan.Mixture;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.statistics.HistogramType;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * The picture of a fit, drawn with JFreeChart: the data with the fitted mixture (a histogram
 * with the mixture density and each component's weighted density, or for 2-D data a scatter
 * plot with each component's 2-sd ellipse), and the ELBO trace as a second panel.
 */
public final class Plots {
    public static final int WIDTH = 1400;
    public static final int HEIGHT = 560;
    static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e),
        new Color(0x17becf), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22)};

    private Plots() {}

    /** Rows a picture draws at most, evenly spaced through larger data. */
    public static final int MAX_ROWS = 1_000_000;

    /** Writes FILE.png or FILE.svg without the points' assignments (2-D points are grey); returns what went wrong, if anything. */
    public static Optional<String> write(Path file, Mixture mix, Points points, FitResult r) {
        return write(file, mix, points, r, null);
    }

    /**
     * Writes FILE.png or FILE.svg; returns what went wrong, if anything. With {@code state}, 2-D
     * points are coloured by their most probable component.
     */
    public static Optional<String> write(Path file, Mixture mix, Points points, FitResult r, CaviState state) {
        return write(file, mix, points, r, state, java.util.List.of());
    }

    /**
     * As above, and with {@code terms} (the ELBO's terms after each sweep of the trace) a panel
     * under the ELBO with each term's change since the first sweep.
     */
    public static Optional<String> write(Path file, Mixture mix, Points points, FitResult r, CaviState state,
                                         java.util.List<java.util.Map<String, Double>> terms) {
        Optional<String> badName = checkName(file);
        if (badName.isPresent()) return badName;
        double[] x = points.rows(mix.dimension(), MAX_ROWS);
        System.setProperty("java.awt.headless", "true");
        boolean mv = mix.components() instanceof Mixture.Components.MvNormal;
        int[] labels = mv && state != null && mix.selector().isPresent() ? labels(state, x, mix.dimension(), rank(state.key())) : null;
        JFreeChart data = mv ? scatter(mix, x, r, labels, true) : histogram(mix, x, r, true);
        JFreeChart trace = trace(r);
        // a model without assignments has one q(θ) to show: its density, beside the data
        Optional<JFreeChart> q = mix.selector().isEmpty() ? posteriorDensity(mix, r) : Optional.empty();
        Optional<JFreeChart> termsChart = termsChart(terms);
        return save(file, WIDTH, HEIGHT, g -> {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            int left = (int) (WIDTH * (q.isPresent() ? 0.42 : 0.62)), middle = (int) (WIDTH * 0.71);
            if (mv && mix.dimension() > 1) equalAspect(data, new Rectangle2D.Double(0, 0, left, HEIGHT));
            data.draw(g, new Rectangle2D.Double(0, 0, left, HEIGHT));
            if (q.isPresent()) q.get().draw(g, new Rectangle2D.Double(left, 0, middle - left, HEIGHT));
            int from = q.isPresent() ? middle : left;
            if (termsChart.isPresent()) {
                trace.draw(g, new Rectangle2D.Double(from, 0, WIDTH - from, HEIGHT / 2.0));
                termsChart.get().draw(g, new Rectangle2D.Double(from, HEIGHT / 2.0, WIDTH - from, HEIGHT / 2.0));
            } else {
                trace.draw(g, new Rectangle2D.Double(from, 0, WIDTH - from, HEIGHT));
            }
        });
    }

    /** Each ELBO term's change since the first sweep, a line per term: which terms the fit trades. */
    static Optional<JFreeChart> termsChart(java.util.List<java.util.Map<String, Double>> terms) {
        if (terms.size() < 2) return Optional.empty();
        XYSeriesCollection lines = new XYSeriesCollection();
        for (String name : terms.get(0).keySet()) {
            XYSeries line = new XYSeries(name);
            double first = terms.get(0).get(name);
            for (int t = 0; t < terms.size(); t++) line.add(t + 1, terms.get(t).get(name) - first);
            lines.addSeries(line);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("each ELBO term, change since sweep 1", "sweep", "change",
                lines, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plain(plot);
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < lines.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesStroke(i, new BasicStroke(1.6f));
        }
        plot.setRenderer(renderer);
        return Optional.of(chart);
    }

    /** Each component's place when sorted by {@code key}, as reports number them (from 0). */
    static int[] rank(double[] key) {
        Integer[] order = new Integer[key.length];
        for (int j = 0; j < key.length; j++) order[j] = j;
        java.util.Arrays.sort(order, java.util.Comparator.comparingDouble(j -> key[j]));
        int[] rank = new int[key.length];
        for (int j = 0; j < order.length; j++) rank[order[j]] = j;
        return rank;
    }

    /** The drawn {@code rows}' (D values a row) most probable components, renumbered by {@code rank}. */
    static int[] labels(CaviState state, double[] rows, int d, int[] rank) {
        int[] out = new int[rows.length / d];
        int[] next = {0};
        state.assignments(rows, (component, probability) -> out[next[0]++] = rank[component]);
        return out;
    }

    /**
     * Sets the scatter's ranges so that a unit is as long across as up: ellipses keep their shape.
     * The chart is laid out once on a scratch picture to learn the size of its data area.
     */
    static void equalAspect(JFreeChart chart, Rectangle2D area) {
        XYPlot plot = chart.getXYPlot();
        ChartRenderingInfo info = new ChartRenderingInfo();
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        chart.draw(g, area, info);
        g.dispose();
        Rectangle2D data = info.getPlotInfo().getDataArea();
        if (!(data.getWidth() > 0 && data.getHeight() > 0)) return;
        org.jfree.data.Range xr = plot.getDomainAxis().getRange(), yr = plot.getRangeAxis().getRange();
        double perPixel = Math.max(xr.getLength() / data.getWidth(), yr.getLength() / data.getHeight());
        double halfX = perPixel * data.getWidth() / 2, halfY = perPixel * data.getHeight() / 2;
        plot.getDomainAxis().setRange(xr.getCentralValue() - halfX, xr.getCentralValue() + halfX);
        plot.getRangeAxis().setRange(yr.getCentralValue() - halfY, yr.getCentralValue() + halfY);
    }

    /** Why FILE cannot take a plot, if it cannot: a plot is .png or .svg. */
    static Optional<String> checkName(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".svg") && !name.endsWith(".png")) return Optional.of(file + ": a plot is written as .png or .svg");
        return Optional.empty();
    }

    /** Draws a width × height picture into FILE.png or FILE.svg, whole or not at all; returns what went wrong, if anything. */
    static Optional<String> save(Path file, int width, int height, java.util.function.Consumer<Graphics2D> draw) {
        Optional<String> badName = checkName(file);
        if (badName.isPresent()) return badName;
        System.setProperty("java.awt.headless", "true");
        try {
            if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".svg")) {
                SVGGraphics2D g = new SVGGraphics2D(width, height);
                draw.accept(g);
                byte[] svgBytes = g.getSVGDocument().getBytes(StandardCharsets.UTF_8);
                AtomicFile.write(file, out -> out.write(svgBytes));
            } else {
                BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = image.createGraphics();
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                draw.accept(g);
                g.dispose();
                // encode in memory: ImageIO prints a stack trace itself when it cannot open a file
                java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
                ImageIO.write(image, "png", png);
                AtomicFile.write(file, out -> png.writeTo(out));
            }
        } catch (IOException e) {
            return Optional.of(AtomicFile.cannotWrite(file, e));
        }
        return Optional.empty();
    }

    /** Per component: its weight (the mean of phi), and the mean and sd of the fitted density. */
    public record Component(double weight, double mean, double sd) {}

    /** The fitted components; in D dimensions their marginals on the first coordinate. */
    public static Component[] components(Mixture mix, FitResult r) {
        int k = mix.k();
        Component[] out = new Component[k];
        double[] w = mix.selector().isPresent() ? r.weights() : new double[] {1};
        if (mix.components() instanceof Mixture.Components.MvNormal mv) {
            Posterior.Block mu = r.q().block(mv.mean());
            double[][] means = mu.fields().containsKey("mean") ? mu.vectors("mean") : mu.vectors("value");
            for (int j = 0; j < k; j++) out[j] = new Component(w[j], means[j][0], Math.sqrt(covariance(mv, r, j)[0][0]));
            return out;
        }
        Posterior.Block key = r.q().block(mix.components().key());
        double[] mean = key.fields().containsKey("mean") ? key.field("mean") : key.field("value");
        for (int j = 0; j < k; j++) {
            double sd = Double.NaN;
            if (mix.components() instanceof Mixture.Components.Normal n) {
                sd = n.precision() instanceof NormalPrior.Precision.Known kn ? Math.sqrt(1 / kn.tau())
                        : Math.sqrt(1 / r.q().block(((NormalPrior.Precision.Gamma) n.precision()).name()).field("mean")[j]);
            }
            out[j] = new Component(w[j], mean[j], sd);
        }
        return out;
    }

    /** Sum of the components at x: Normal densities, or Poisson / Bernoulli probabilities. */
    public static double density(Mixture mix, Component c, double x) {
        if (mix.components() instanceof Mixture.Components.Normal || mix.components() instanceof Mixture.Components.MvNormal) {
            return c.weight() * org.cavi.family.NormalGammaComponents.density(c.mean(), c.sd(), x);
        }
        // a linear likelihood's one parameter per component is its key; its report's mean is E[θ]
        return c.weight() * ((Mixture.Components.Linear) mix.components()).likelihood().density(c.mean(), x);
    }

    /** With {@code numbers}, each component's legend gives its parameters and weight; without, only its name (frames of an animation). */
    static JFreeChart histogram(Mixture mix, double[] x, FitResult r, boolean numbers) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : x) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        boolean counts = mix.components() instanceof Mixture.Components.Linear lin && lin.likelihood().discrete();
        HistogramDataset hist = new HistogramDataset();
        hist.setType(HistogramType.SCALE_AREA_TO_1);
        if (counts) {
            hist.addSeries("data", x, (int) Math.max(1, hi - lo + 1), lo - 0.5, hi + 0.5);
        } else {
            int bins = (int) Math.max(10, Math.min(80, Math.sqrt(x.length)));
            hist.addSeries("data", x, bins, lo, hi > lo ? hi : lo + 1);
        }
        JFreeChart chart = ChartFactory.createHistogram(r.model() + ": " + mix.data() + " and the fitted "
                        + (mix.k() > 1 ? "mixture" : "model"), mix.data(), counts ? "probability" : "density", hist,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYBarRenderer bars = (XYBarRenderer) plot.getRenderer();
        bars.setBarPainter(new StandardXYBarPainter());
        bars.setShadowVisible(false);
        bars.setSeriesPaint(0, new Color(205, 205, 205));
        bars.setDrawBarOutline(false);
        plot.setDatasetRenderingOrder(org.jfree.chart.plot.DatasetRenderingOrder.FORWARD);
        plain(plot);

        Component[] comps = components(mix, r);
        XYSeriesCollection lines = new XYSeriesCollection();
        XYSeries total = new XYSeries("fitted " + (mix.k() > 1 ? "mixture" : "model"));
        XYSeries[] each = new XYSeries[comps.length];
        for (int j = 0; j < comps.length; j++) {
            // a linear likelihood's component is named by its parameter (E[rate] is not the mean of x)
            String what = mix.components() instanceof Mixture.Components.Linear lin ? lin.likelihood().parameter() : "mean";
            String sd = Double.isNaN(comps[j].sd()) ? "" : String.format(Locale.ROOT, ", sd %.3g", comps[j].sd());
            each[j] = new XYSeries(!numbers ? "component " + (j + 1)
                    : empty(comps[j].weight(), r.n()) ? String.format(Locale.ROOT, "component %d: empty", j + 1)
                    : String.format(Locale.ROOT, "component %d: %s %.3g%s, weight %.3f", j + 1, what, comps[j].mean(), sd,
                    comps[j].weight()));
        }
        double pad = counts ? 0 : 0.05 * (hi - lo + 1e-9);
        int steps = counts ? (int) (hi - lo) : 400;
        for (int s = 0; s <= steps; s++) {
            double t = counts ? lo + s : lo - pad + (hi - lo + 2 * pad) * s / steps;
            double sum = 0;
            for (int j = 0; j < comps.length; j++) {
                double v = density(mix, comps[j], t);
                each[j].add(t, v);
                sum += v;
            }
            total.add(t, sum);
        }
        lines.addSeries(total);
        if (comps.length > 1) {
            for (int j = 0; j < comps.length; j++) {
                // an empty component has only its name in the legend: its curve would be a flat line at 0
                if (empty(comps[j].weight(), r.n())) each[j].clear();
                lines.addSeries(each[j]);
            }
        }
        // probabilities of counts and 0/1 values are points, not a curve between them
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(!counts, counts);
        renderer.setSeriesPaint(0, Color.BLACK);
        renderer.setSeriesStroke(0, new BasicStroke(2.2f));
        renderer.setSeriesShape(0, new Rectangle2D.Double(-4, -4, 8, 8));
        for (int j = 0; j < comps.length; j++) {
            renderer.setSeriesPaint(j + 1, PALETTE[j % PALETTE.length]);
            renderer.setSeriesStroke(j + 1, new BasicStroke(1.6f));
            renderer.setSeriesShape(j + 1, new Ellipse2D.Double(-4, -4, 8, 8));
        }
        plot.setDataset(1, lines);
        plot.setRenderer(1, renderer);
        return chart;
    }

    /** Fewer points than one expected: a component the fit left empty. */
    static boolean empty(double weight, long n) {
        return weight * n < 1;
    }

    /** White, light grid, no zero lines (a line at x = 0 is not part of the data). */
    static void plain(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(220, 220, 220));
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        plot.setDomainZeroBaselineVisible(false);
        plot.setRangeZeroBaselineVisible(false);
    }

    static JFreeChart scatter(Mixture mix, double[] x, FitResult r, int[] labels, boolean numbers) {
        Mixture.Components.MvNormal mv = (Mixture.Components.MvNormal) mix.components();
        int d = mv.d();
        XYSeriesCollection data = new XYSeriesCollection();
        int groups = labels == null ? 1 : mix.k();
        XYSeries[] points = new XYSeries[groups];
        for (int j = 0; j < groups; j++) {
            points[j] = new XYSeries(labels == null ? mix.data() : mix.data() + " of component " + (j + 1), false);
        }
        for (int i = 0; i < x.length / d; i++) points[labels == null ? 0 : labels[i]].add(x[i * d], d > 1 ? x[i * d + 1] : 0);
        for (XYSeries p : points) data.addSeries(p);
        JFreeChart chart = ChartFactory.createScatterPlot(r.model() + ": " + mix.data() + " and each component's 2-sd ellipse"
                        + (d > 2 ? " (coordinates 1 and 2)" : ""), mix.data() + "1", mix.data() + "2", data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(220, 220, 220));
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        plot.setDatasetRenderingOrder(org.jfree.chart.plot.DatasetRenderingOrder.FORWARD);
        plain(plot);
        XYLineAndShapeRenderer dots = (XYLineAndShapeRenderer) plot.getRenderer();
        for (int j = 0; j < groups; j++) {
            Color c = labels == null ? new Color(90, 90, 90) : PALETTE[j % PALETTE.length];
            dots.setSeriesPaint(j, new Color(c.getRed(), c.getGreen(), c.getBlue(), 110));
            dots.setSeriesShape(j, new Ellipse2D.Double(-2, -2, 4, 4));
            // the ellipses' legend names the components; their points need no second entry
            dots.setSeriesVisibleInLegend(j, labels == null);
        }

        Posterior.Block mu = r.q().block(mv.mean());
        double[][] means = mu.fields().containsKey("mean") ? mu.vectors("mean") : mu.vectors("value");
        double[] w = mix.selector().isPresent() ? r.weights() : new double[] {1};
        XYSeriesCollection ellipses = new XYSeriesCollection();
        for (int j = 0; j < mix.k(); j++) {
            if (mix.selector().isPresent() && empty(w[j], r.n())) {
                // an empty component's q is its prior: an ellipse there would be a component that is not
                ellipses.addSeries(new XYSeries(numbers ? String.format(Locale.ROOT, "component %d: empty", j + 1)
                        : "component " + (j + 1), false));
                continue;
            }
            double[][] cov = covariance(mv, r, j);
            XYSeries e = new XYSeries(numbers ? String.format(Locale.ROOT, "component %d: weight %.3f", j + 1, w[j])
                    : "component " + (j + 1), false);
            // the 2-sd contour: mean + 2·L·(cos t, sin t), with L the Cholesky factor of the 2×2 covariance
            double l11 = Math.sqrt(cov[0][0]), l21 = cov[1][0] / l11, l22 = Math.sqrt(Math.max(cov[1][1] - l21 * l21, 0));
            for (int s = 0; s <= 120; s++) {
                double t = 2 * Math.PI * s / 120, u = 2 * Math.cos(t), v = 2 * Math.sin(t);
                e.add(means[j][0] + l11 * u, means[j][1] + l21 * u + l22 * v);
            }
            ellipses.addSeries(e);
        }
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
        for (int j = 0; j < mix.k(); j++) {
            lines.setSeriesPaint(j, PALETTE[j % PALETTE.length]);
            lines.setSeriesStroke(j, new BasicStroke(2f));
        }
        plot.setDataset(1, ellipses);
        plot.setRenderer(1, lines);
        return chart;
    }

    /** The covariance of component j on the first two coordinates: inv(E[Lambda]) or the known one. */
    static double[][] covariance(Mixture.Components.MvNormal mv, FitResult r, int j) {
        double[][] precision = mv.precision() instanceof NormalPrior.MvPrecision.Known kn ? kn.lambda()
                : r.q().block(((NormalPrior.MvPrecision.Wishart) mv.precision()).name()).matrices("expected_precision")[j];
        // Cholesky, as the fit inverts: Commons Math's LU inverse is wrong at extreme scales (−1e-154·I for 1e154·I)
        double[][] full = org.cavi.family.Dense.inverse(precision);
        return full.length == 1 ? new double[][] {{full[0][0], 0}, {0, 1e-12}} : new double[][] {{full[0][0], full[0][1]}, {full[1][0], full[1][1]}};
    }

    /**
     * For a model without assignments: the density of q of its parameter (Beta, Gamma, Normal, or
     * the Student-t marginal of a mean in a Normal-Gamma block), with its mean and 95% interval.
     */
    static Optional<JFreeChart> posteriorDensity(Mixture mix, FitResult r) {
        String name = mix.components() instanceof Mixture.Components.MvNormal mv ? mv.mean() : mix.components().key();
        Posterior.Block b = r.q().block(name);
        java.util.function.DoubleUnaryOperator pdf;
        double mean, sd, lo = Double.NEGATIVE_INFINITY, hi = Double.POSITIVE_INFINITY;
        switch (b.family()) {
            case "Beta" -> {
                double a = b.field("a")[0], bb = b.field("b")[0];
                var d = new org.apache.commons.math3.distribution.BetaDistribution(null, a, bb);
                pdf = d::density;
                mean = d.getNumericalMean();
                sd = Math.sqrt(d.getNumericalVariance());
                lo = 0;
                hi = 1;
            }
            case "Gamma" -> {
                double shape = b.field("shape")[0], rate = b.field("rate")[0];
                var d = new org.apache.commons.math3.distribution.GammaDistribution(null, shape, 1 / rate);
                pdf = d::density;
                mean = shape / rate;
                sd = Math.sqrt(shape) / rate;
                lo = 0;
            }
            case "Normal" -> {
                double m = b.field("mean")[0], s = b.field("sd")[0];
                pdf = v -> org.cavi.family.NormalGammaComponents.density(m, s, v);
                mean = m;
                sd = s;
            }
            default -> {
                if (!b.family().startsWith("Normal given ")) return Optional.empty(); // D dimensions, or fixed
                Posterior.Block tau = r.q().block(b.family().substring("Normal given ".length()));
                double m = b.field("mean")[0], beta = b.field("beta")[0], a = tau.field("shape")[0], rate = tau.field("rate")[0];
                double scale = Math.sqrt(rate / (a * beta));
                var t = new org.apache.commons.math3.distribution.TDistribution(null, 2 * a);
                pdf = v -> t.density((v - m) / scale) / scale;
                mean = m;
                sd = 2 * a > 2 ? scale * Math.sqrt(2 * a / (2 * a - 2)) : 3 * scale;
            }
        }
        if (!(sd > 0) || !Double.isFinite(mean) || !Double.isFinite(sd)) return Optional.empty();
        double from = Math.max(lo, mean - 5 * sd), to = Math.min(hi, mean + 5 * sd);
        XYSeries curve = new XYSeries("q(" + name + ")");
        for (int s = 0; s <= 400; s++) {
            double v = from + (to - from) * s / 400;
            double y = pdf.applyAsDouble(v);
            if (Double.isFinite(y)) curve.add(v, y);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("q(" + name + "): " + b.family(), name, "density",
                new XYSeriesCollection(curve), PlotOrientation.VERTICAL, false, false, false);
        XYPlot plot = chart.getXYPlot();
        plain(plot);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
        ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setSeriesPaint(0, new Color(0x1f77b4));
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        plot.setRenderer(renderer);
        org.jfree.chart.plot.ValueMarker at = new org.jfree.chart.plot.ValueMarker(mean, Color.BLACK, new BasicStroke(1.2f));
        at.setLabel(String.format(Locale.ROOT, "E = %.4g", mean));
        at.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_RIGHT);
        at.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.TOP_LEFT);
        plot.addDomainMarker(at);
        if (b.fields().containsKey("lower")) {
            double l = b.field("lower")[0], u = b.field("upper")[0];
            org.jfree.chart.plot.IntervalMarker band = new org.jfree.chart.plot.IntervalMarker(l, u, new Color(31, 119, 180, 40));
            band.setLabel("95%");
            band.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_LEFT);
            band.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.TOP_LEFT);
            plot.addDomainMarker(band, org.jfree.chart.ui.Layer.BACKGROUND);
        }
        return Optional.of(chart);
    }

    private static JFreeChart trace(FitResult r) {
        XYSeries s = new XYSeries("ELBO");
        double[] t = r.trace();
        for (int i = 0; i < t.length; i++) s.add(i + 1, t[i]);
        JFreeChart chart = ChartFactory.createXYLineChart("ELBO per sweep (best restart)", "sweep", "ELBO",
                new XYSeriesCollection(s), PlotOrientation.VERTICAL, false, false, false);
        XYPlot plot = chart.getXYPlot();
        plain(plot);
        NumberAxis range = (NumberAxis) plot.getRangeAxis();
        range.setAutoRangeIncludesZero(false);
        // a converged (flat) trace still gets readable ticks
        range.setAutoRangeMinimumSize(Math.max(1e-3, 1e-6 * Math.abs(t.length > 0 ? t[t.length - 1] : 1)));
        // plain decimals: JFreeChart's own format for a narrow range rounds neighbouring ticks to one label
        range.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.######", java.text.DecimalFormatSymbols.getInstance(Locale.ROOT)));
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, t.length <= 60);
        renderer.setSeriesPaint(0, new Color(0x1f77b4));
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        plot.setRenderer(renderer);
        return chart;
    }
}

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
import org.cavi.infer.FitResult;
import org.cavi.plan.Mixture;
import org.jfree.chart.ChartFactory;
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
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e),
        new Color(0x17becf), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22)};

    private Plots() {}

    /** Rows a picture draws at most, evenly spaced through larger data. */
    public static final int MAX_ROWS = 1_000_000;

    /** Writes FILE.png or FILE.svg; returns what went wrong, if anything. */
    public static Optional<String> write(Path file, Mixture mix, Points points, FitResult r) {
        Optional<String> badName = checkName(file);
        if (badName.isPresent()) return badName;
        double[] x = points.rows(mix.dimension(), MAX_ROWS);
        System.setProperty("java.awt.headless", "true");
        JFreeChart data = mix.components() instanceof Mixture.Components.MvNormal ? scatter(mix, x, r) : histogram(mix, x, r);
        JFreeChart trace = trace(r);
        return save(file, WIDTH, HEIGHT, g -> draw(g, data, trace));
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
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.of(file + ": cannot write it: no such directory");
        } catch (IOException e) {
            return Optional.of(file + ": cannot write it: " + e.getMessage());
        }
        return Optional.empty();
    }

    private static void draw(Graphics2D g, JFreeChart data, JFreeChart trace) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        int left = (int) (WIDTH * 0.62);
        data.draw(g, new Rectangle2D.Double(0, 0, left, HEIGHT));
        trace.draw(g, new Rectangle2D.Double(left, 0, WIDTH - left, HEIGHT));
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

    private static JFreeChart histogram(Mixture mix, double[] x, FitResult r) {
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
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(220, 220, 220));
        plot.setRangeGridlinePaint(new Color(220, 220, 220));

        Component[] comps = components(mix, r);
        XYSeriesCollection lines = new XYSeriesCollection();
        XYSeries total = new XYSeries("fitted " + (mix.k() > 1 ? "mixture" : "model"));
        XYSeries[] each = new XYSeries[comps.length];
        for (int j = 0; j < comps.length; j++) {
            // a linear likelihood's component is named by its parameter (E[rate] is not the mean of x)
            String what = mix.components() instanceof Mixture.Components.Linear lin ? lin.likelihood().parameter() : "mean";
            each[j] = new XYSeries(String.format(Locale.ROOT, "component %d: %s %.3g, weight %.3f", j + 1, what, comps[j].mean(),
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
        if (comps.length > 1) for (XYSeries e : each) lines.addSeries(e);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, counts);
        renderer.setSeriesPaint(0, Color.BLACK);
        renderer.setSeriesStroke(0, new BasicStroke(2.2f));
        for (int j = 0; j < comps.length; j++) {
            renderer.setSeriesPaint(j + 1, PALETTE[j % PALETTE.length]);
            renderer.setSeriesStroke(j + 1, new BasicStroke(1.4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f));
        }
        plot.setDataset(1, lines);
        plot.setRenderer(1, renderer);
        return chart;
    }

    private static JFreeChart scatter(Mixture mix, double[] x, FitResult r) {
        Mixture.Components.MvNormal mv = (Mixture.Components.MvNormal) mix.components();
        int d = mv.d();
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries points = new XYSeries(mix.data(), false);
        for (int i = 0; i < x.length / d; i++) points.add(x[i * d], d > 1 ? x[i * d + 1] : 0);
        data.addSeries(points);
        JFreeChart chart = ChartFactory.createScatterPlot(r.model() + ": " + mix.data() + " and each component's 2-sd ellipse"
                        + (d > 2 ? " (coordinates 1 and 2)" : ""), mix.data() + "1", mix.data() + "2", data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(220, 220, 220));
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        plot.setDatasetRenderingOrder(org.jfree.chart.plot.DatasetRenderingOrder.FORWARD);
        XYLineAndShapeRenderer dots = (XYLineAndShapeRenderer) plot.getRenderer();
        dots.setSeriesPaint(0, new Color(90, 90, 90, 110));
        dots.setSeriesShape(0, new Ellipse2D.Double(-2, -2, 4, 4));

        Posterior.Block mu = r.q().block(mv.mean());
        double[][] means = mu.fields().containsKey("mean") ? mu.vectors("mean") : mu.vectors("value");
        double[] w = mix.selector().isPresent() ? r.weights() : new double[] {1};
        XYSeriesCollection ellipses = new XYSeriesCollection();
        for (int j = 0; j < mix.k(); j++) {
            double[][] cov = covariance(mv, r, j);
            XYSeries e = new XYSeries(String.format(Locale.ROOT, "component %d: weight %.3f", j + 1, w[j]), false);
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

    private static JFreeChart trace(FitResult r) {
        XYSeries s = new XYSeries("ELBO");
        double[] t = r.trace();
        for (int i = 0; i < t.length; i++) s.add(i + 1, t[i]);
        JFreeChart chart = ChartFactory.createXYLineChart("ELBO per sweep (best restart)", "sweep", "ELBO",
                new XYSeriesCollection(s), PlotOrientation.VERTICAL, false, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(220, 220, 220));
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        NumberAxis range = (NumberAxis) plot.getRangeAxis();
        range.setAutoRangeIncludesZero(false);
        // a converged (flat) trace still gets readable ticks
        range.setAutoRangeMinimumSize(Math.max(1e-3, 1e-6 * Math.abs(t.length > 0 ? t[t.length - 1] : 1)));
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, t.length <= 60);
        renderer.setSeriesPaint(0, new Color(0x1f77b4));
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        plot.setRenderer(renderer);
        return chart;
    }
}

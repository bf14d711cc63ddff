package org.cavi.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleBinaryOperator;
import org.cavi.family.Posterior;
import org.cavi.family.Special;
import org.cavi.infer.Exact;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Bishop's (2006) Fig. 10.4 for the Normal with unknown mean and precision: the exact posterior
 * p(μ, τ | x) (green) against q(μ)q(τ) (red), as contours, at the start and after each update of
 * the first sweep, and at convergence.
 */
public final class ExactPicture {
    private ExactPicture() {}

    /** One panel: its title and q at that moment. */
    public record Panel(String title, Posterior q) {}

    static final int SIZE = 500, GRID = 160;
    private static final Color EXACT = new Color(0x2ca02c), Q = new Color(0xd62728);

    public static Optional<String> write(Path file, Exact exact, String mean, String precision, List<Panel> panels) {
        double[] ng = exact.normalGamma();
        double m = ng[0], beta = ng[1], a = ng[2], b = ng[3];
        // the axes: the exact posterior's mass, and every panel's q around it
        double sdMu = Math.sqrt(b / (a * beta)), tauMean = a / b, sdTau = Math.sqrt(a) / b;
        double muLo = m - 4 * sdMu, muHi = m + 4 * sdMu, tauLo = Math.max(1e-12, tauMean - 4 * sdTau), tauHi = tauMean + 4 * sdTau;
        for (Panel p : panels) {
            double[] q = moments(p.q(), mean, precision);
            muLo = Math.min(muLo, q[0] - 3 * q[1]);
            muHi = Math.max(muHi, q[0] + 3 * q[1]);
            tauLo = Math.max(1e-12, Math.min(tauLo, q[2] - 3 * q[3]));
            tauHi = Math.max(tauHi, q[2] + 3 * q[3]);
        }
        JFreeChart[] charts = new JFreeChart[panels.size()];
        for (int i = 0; i < charts.length; i++) {
            Panel p = panels.get(i);
            XYSeriesCollection lines = new XYSeriesCollection();
            lines.addSeries(contours("exact posterior p(" + mean + ", " + precision + " | x)", exact::logNormalGamma, muLo, muHi, tauLo, tauHi));
            lines.addSeries(contours("q(" + mean + ") q(" + precision + ")", qDensity(p.q(), mean, precision), muLo, muHi, tauLo, tauHi));
            JFreeChart chart = ChartFactory.createXYLineChart(p.title(), mean, precision, lines, PlotOrientation.VERTICAL,
                    true, false, false);
            XYPlot plot = chart.getXYPlot();
            Plots.plain(plot);
            plot.getDomainAxis().setRange(muLo, muHi);
            plot.getRangeAxis().setRange(tauLo, tauHi);
            XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
            r.setSeriesPaint(0, EXACT);
            r.setSeriesPaint(1, Q);
            r.setSeriesStroke(0, new BasicStroke(2f));
            r.setSeriesStroke(1, new BasicStroke(2f));
            plot.setRenderer(r);
            charts[i] = chart;
        }
        int columns = 2, rows = (charts.length + 1) / 2;
        return Plots.save(file, columns * SIZE, rows * SIZE, g -> {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, columns * SIZE, rows * SIZE);
            for (int i = 0; i < charts.length; i++) {
                charts[i].draw(g, new Rectangle2D.Double((i % columns) * SIZE, (i / columns) * SIZE, SIZE, SIZE));
            }
        });
    }

    /** q's mean and sd of μ, and of τ. */
    static double[] moments(Posterior q, String mean, String precision) {
        Posterior.Block mu = q.block(mean), tau = q.block(precision);
        double a = tau.field("shape")[0], b = tau.field("rate")[0], m = mu.field("mean")[0];
        double sd = mu.family().startsWith("Normal given") ? Math.sqrt(b / (a * mu.field("beta")[0])) : mu.field("sd")[0];
        return new double[] {m, sd, a / b, Math.sqrt(a) / b};
    }

    /** log q(μ, τ): q(μ)q(τ), or the joint block's Normal-Gamma. */
    static DoubleBinaryOperator qDensity(Posterior q, String mean, String precision) {
        Posterior.Block mu = q.block(mean), tau = q.block(precision);
        double a = tau.field("shape")[0], b = tau.field("rate")[0], m = mu.field("mean")[0];
        double logGamma = a * Math.log(b) - Special.logGamma(a);
        if (mu.family().startsWith("Normal given")) {
            double beta = mu.field("beta")[0];
            return (x, t) -> logGamma + (a - 1) * Math.log(t) - b * t + 0.5 * Math.log(beta * t / (2 * Math.PI))
                    - 0.5 * beta * t * (x - m) * (x - m);
        }
        double s2 = Math.pow(mu.field("sd")[0], 2);
        return (x, t) -> logGamma + (a - 1) * Math.log(t) - b * t - 0.5 * Math.log(2 * Math.PI * s2) - (x - m) * (x - m) / (2 * s2);
    }

    /**
     * The contours of a log density at 1 and 2 "sd" (exp(−½), exp(−2) of its highest value on the
     * grid), by marching squares: segments, separated by NaN so that the renderer breaks the line.
     */
    static XYSeries contours(String name, DoubleBinaryOperator logDensity, double x0, double x1, double y0, double y1) {
        double[][] f = new double[GRID + 1][GRID + 1];
        double top = Double.NEGATIVE_INFINITY;
        for (int i = 0; i <= GRID; i++) {
            for (int j = 0; j <= GRID; j++) {
                f[i][j] = logDensity.applyAsDouble(x0 + (x1 - x0) * i / GRID, y0 + (y1 - y0) * j / GRID);
                if (f[i][j] > top) top = f[i][j];
            }
        }
        XYSeries s = new XYSeries(name, false, true);
        for (double level : new double[] {top - 0.5, top - 2}) {
            for (int i = 0; i < GRID; i++) {
                for (int j = 0; j < GRID; j++) {
                    double[] xs = new double[4], ys = new double[4];
                    int found = 0;
                    // the cell's edges in turn: (i,j)-(i+1,j), (i+1,j)-(i+1,j+1), (i+1,j+1)-(i,j+1), (i,j+1)-(i,j)
                    int[][] corners = {{i, j}, {i + 1, j}, {i + 1, j + 1}, {i, j + 1}};
                    for (int e = 0; e < 4; e++) {
                        int[] p = corners[e], q = corners[(e + 1) % 4];
                        double fp = f[p[0]][p[1]] - level, fq = f[q[0]][q[1]] - level;
                        if ((fp >= 0) == (fq >= 0) || found == 4) continue;
                        double w = fp / (fp - fq);
                        xs[found] = x0 + (x1 - x0) * (p[0] + w * (q[0] - p[0])) / GRID;
                        ys[found] = y0 + (y1 - y0) * (p[1] + w * (q[1] - p[1])) / GRID;
                        found++;
                    }
                    for (int k = 0; k + 1 < found; k += 2) {
                        s.add(xs[k], ys[k]);
                        s.add(xs[k + 1], ys[k + 1]);
                        s.add(xs[k + 1], Double.NaN);
                    }
                }
            }
        }
        return s;
    }
}

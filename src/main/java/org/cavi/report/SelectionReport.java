package org.cavi.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.cavi.driver.Selection;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** What `cavi select` prints and draws: the ELBO at each K. */
public final class SelectionReport {
    private SelectionReport() {}

    public static String text(String model, String constant, List<Selection.Row> rows, long seed) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "model %s: the best ELBO at each %s, of each fit's restarts (seed %d)%n", model, constant, seed));
        out.append(String.format(Locale.ROOT, "%5s  %16s  %8s  %s%n", constant, "best ELBO", "weighted", "each restart's final ELBO"));
        Selection.Row best = rows.get(0);
        for (Selection.Row r : rows) {
            if (r.bestElbo() > best.bestElbo()) best = r;
            StringBuilder each = new StringBuilder();
            for (double e : r.restartElbos()) each.append(each.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", e));
            out.append(String.format(Locale.ROOT, "%5d  %16.6f  %8d  %s%n", r.k(), r.bestElbo(), r.weighted(), each));
        }
        out.append(String.format(Locale.ROOT, "%nthe highest ELBO is at %s = %d, with %d component%s of weight above 1%%%n",
                constant, best.k(), best.weighted(), best.weighted() == 1 ? "" : "s"));
        out.append("(the ELBO is a lower bound on log p(x) under each K's priors: a gap between bounds is not a gap between\n"
                + " evidences, and a restart stuck in a poorer optimum lowers its K's bound; see the README)\n");
        return out.toString();
    }

    /** The best ELBO against K, with each restart's final ELBO as a dot. */
    public static Optional<String> plot(Path file, String constant, List<Selection.Row> rows) {
        XYSeries best = new XYSeries("best ELBO"), each = new XYSeries("restarts", false, true);
        for (Selection.Row r : rows) {
            best.add(r.k(), r.bestElbo());
            for (double e : r.restartElbos()) each.add(r.k(), e);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(best);
        data.addSeries(each);
        JFreeChart chart = ChartFactory.createXYLineChart("ELBO at each " + constant + " (every constant included)", constant,
                "ELBO", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        Plots.plain(plot);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        renderer.setSeriesPaint(0, new Color(0x1f77b4));
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        renderer.setSeriesShapesVisible(0, true);
        renderer.setSeriesLinesVisible(1, false);
        renderer.setSeriesPaint(1, new Color(0xff7f0e));
        renderer.setSeriesShape(1, new Ellipse2D.Double(-3, -3, 6, 6));
        plot.setRenderer(renderer);
        int width = 900, height = 560;
        return Plots.save(file, width, height, g -> {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
        });
    }
}

package dev.hostplane.examples.flashcache;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import dev.hostplane.flashcache.sim.Chart;
import dev.hostplane.flashcache.sim.Table;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws an experiment's charts with JFreeChart, stacked in one PNG: one line per series, axes labelled with
 * their units.
 */
final class ChartImage
{
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 560;

    private ChartImage()
    {
    }

    static void write(final Table table, final List<Chart> charts, final Path png) throws IOException
    {
        final BufferedImage image = new BufferedImage(WIDTH, HEIGHT * charts.size(), BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try
        {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            for (int i = 0; i < charts.size(); i++)
            {
                chart(table, charts.get(i)).draw(g, new Rectangle2D.Double(0, (double)i * HEIGHT, WIDTH, HEIGHT));
            }
        }
        finally
        {
            g.dispose();
        }
        ImageIO.write(image, "png", png.toFile());
    }

    private static JFreeChart chart(final Table table, final Chart spec)
    {
        final int x = table.column(spec.xColumn());
        final int y = table.column(spec.yColumn());
        final int[] seriesColumns = spec.seriesColumns().stream().mapToInt(table::column).toArray();
        final Map<String, XYSeries> series = new LinkedHashMap<>();
        for (final Object[] row : table.rows())
        {
            final StringBuilder name = new StringBuilder();
            for (final int c : seriesColumns)
            {
                name.append(name.length() > 0 ? " " : "").append(table.columns().get(c)).append('=').append(row[c]);
            }
            final double xv = ((Number)row[x]).doubleValue();
            final double yv = ((Number)row[y]).doubleValue();
            if (Double.isFinite(yv) && (!spec.logX() || xv > 0))
            {
                series.computeIfAbsent(name.toString(), n -> new XYSeries(n, true, true)).add(xv, yv);
            }
        }
        final XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        final JFreeChart chart = ChartFactory.createXYLineChart(spec.title(), spec.xLabel(), spec.yLabel(), data,
            PlotOrientation.VERTICAL, true, false, false);
        final XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setRenderer(new XYLineAndShapeRenderer(true, true));
        if (spec.logX())
        {
            final LogarithmicAxis axis = new LogarithmicAxis(spec.xLabel());
            axis.setAllowNegativesFlag(false);
            plot.setDomainAxis(axis);
        }
        return chart;
    }
}

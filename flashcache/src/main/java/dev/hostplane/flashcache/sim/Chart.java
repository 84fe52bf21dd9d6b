package dev.hostplane.flashcache.sim;

import java.util.List;

/**
 * How to draw one chart of an experiment's {@link Table}: x and y columns, and the columns whose values
 * together name a series (one line per distinct combination).
 *
 * @param title          chart title.
 * @param xColumn        column on the x axis.
 * @param xLabel         x axis label, with unit.
 * @param logX           logarithmic x axis.
 * @param yColumn        column on the y axis.
 * @param yLabel         y axis label, with unit.
 * @param seriesColumns  columns naming a series.
 */
public record Chart(
    String title, String xColumn, String xLabel, boolean logX, String yColumn, String yLabel,
    List<String> seriesColumns)
{
}

package dev.hostplane.flashcache.sim;

import java.util.List;

/**
 * One experiment's output: its table, how to chart it, and a summary with the numbers the study quotes.
 *
 * @param name    experiment name (file names).
 * @param table   the points.
 * @param charts  charts to draw (stacked in one image).
 * @param summary findings in numbers, one line each.
 */
public record ExperimentResult(String name, Table table, List<Chart> charts, List<String> summary)
{
}

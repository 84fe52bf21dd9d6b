package dev.hostplane.examples;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Progress bars for the commands, drawn only on a terminal: redirected to a file or a pipe, a bar's
 * carriage returns and ANSI colour codes would be noise in the output, so there is no bar at all.
 */
public final class Progress
{
    private Progress()
    {
    }

    /**
     * A progress bar on the terminal, or {@code null} when standard output is not one.
     *
     * @param task     what the bar counts.
     * @param max      the total.
     * @param unit     unit name shown after the numbers ("" for plain counts).
     * @param unitSize how many counted things make one unit.
     * @return the bar (close it), or {@code null}.
     */
    public static ProgressBar bar(final String task, final long max, final String unit, final long unitSize)
    {
        if (null == System.console())
        {
            return null;
        }
        final ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(task).setInitialMax(max);
        if (!unit.isEmpty())
        {
            builder.setUnit(unit, unitSize).showSpeed();
        }
        return builder.build();
    }

    /**
     * Moves {@code bar} to {@code done}, if there is a bar.
     *
     * @param bar  the bar, or {@code null}.
     * @param done progress so far.
     */
    public static void stepTo(final ProgressBar bar, final long done)
    {
        if (null != bar)
        {
            bar.stepTo(done);
        }
    }

    /**
     * Moves {@code bar} on by {@code n}, if there is a bar.
     *
     * @param bar the bar, or {@code null}.
     * @param n   steps.
     */
    public static void stepBy(final ProgressBar bar, final long n)
    {
        if (null != bar)
        {
            bar.stepBy(n);
        }
    }
}

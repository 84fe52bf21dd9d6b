package dev.hostplane.flashcache;

import org.HdrHistogram.Histogram;

/**
 * An immutable snapshot of a latency distribution in nanoseconds, as {@link CacheStats} reports
 * it: counts and percentiles, and {@link #minus} for the distribution of an interval between two
 * snapshots. Values are kept to three significant digits.
 */
public final class LatencyHistogram
{
    private final Histogram histogram;

    private LatencyHistogram(final Histogram histogram)
    {
        this.histogram = histogram;
    }

    /**
     * Takes a snapshot of {@code histogram}; later changes to it do not show in the snapshot.
     *
     * @param histogram the live distribution, which the caller keeps.
     * @return the snapshot.
     */
    static LatencyHistogram copyOf(final Histogram histogram)
    {
        return new LatencyHistogram(histogram.copy());
    }

    /**
     * Number of recorded operations.
     *
     * @return the count.
     */
    public long count()
    {
        return histogram.getTotalCount();
    }

    /**
     * The latency below which {@code percentile} percent of operations fell.
     *
     * @param percentile from 0 to 100, e.g. 99.9.
     * @return nanoseconds, 0 when nothing was recorded.
     * @throws IllegalArgumentException when {@code percentile} is outside 0..100.
     */
    public long percentileNanos(final double percentile)
    {
        if (!(percentile >= 0.0 && percentile <= 100.0))
        {
            throw new IllegalArgumentException("percentile must be within 0..100: percentile=" + percentile);
        }
        return histogram.getValueAtPercentile(percentile);
    }

    /**
     * The largest recorded latency.
     *
     * @return nanoseconds, 0 when nothing was recorded.
     */
    public long maxNanos()
    {
        return histogram.getMaxValue();
    }

    /**
     * The mean latency.
     *
     * @return nanoseconds, 0 when nothing was recorded.
     */
    public double meanNanos()
    {
        return histogram.getMean();
    }

    /**
     * The operations recorded after {@code earlier} was taken: this snapshot less an earlier one of
     * the same cache.
     *
     * @param earlier a snapshot taken before this one from the same cache.
     * @return the interval's distribution.
     * @throws IllegalArgumentException when {@code earlier} has values this snapshot lacks.
     */
    public LatencyHistogram minus(final LatencyHistogram earlier)
    {
        final Histogram interval = histogram.copy();
        try
        {
            interval.subtract(earlier.histogram);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("earlier snapshot is not a prefix of this one: count=" + count() +
                " earlierCount=" + earlier.count(), ex);
        }
        return new LatencyHistogram(interval);
    }

    @Override
    public String toString()
    {
        return "count=" + count() + " p50=" + percentileNanos(50) + "ns p99=" + percentileNanos(99) + "ns p99.9=" +
            percentileNanos(99.9) + "ns max=" + maxNanos() + "ns";
    }
}

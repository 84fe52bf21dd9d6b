package dev.hostplane.iopipe;

/**
 * A snapshot of one strategy's counters.
 *
 * @param strategy  the strategy.
 * @param bytes     bytes it moved.
 * @param chunks    chunks it ran.
 * @param completed transfers it completed.
 * @param failed    transfers that failed or were cancelled while using it.
 * @param busyNanos wall time spent in its chunks.
 * @param cpuNanos  thread CPU time spent in its chunks.
 */
public record StrategyStats(Strategy strategy, long bytes, long chunks, long completed, long failed, long busyNanos,
    long cpuNanos)
{
}

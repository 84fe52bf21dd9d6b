package dev.hostplane.flashcache.sim;

/**
 * A device as a first-come-first-served queue with {@code channels} independent servers (spindles of a
 * disk array, flash channels, a network link): an operation starts when the earliest channel is free, and
 * occupies it for its service time. Enough to show contention between foreground reads and background
 * write-back, which is what the paper's latencies depend on. Single-threaded.
 */
public final class Device
{
    private final String name;
    private final long[] busyUntil;
    private long operations;
    private long busyNanos;

    /**
     * @param name     for reports.
     * @param channels independent servers, {@code >= 1}.
     */
    public Device(final String name, final int channels)
    {
        if (channels < 1)
        {
            throw new IllegalArgumentException("channels=" + channels + " must be >= 1");
        }
        this.name = name;
        this.busyUntil = new long[channels];
    }

    /**
     * Serves one operation arriving at {@code now}.
     *
     * @param now          arrival time, nanoseconds.
     * @param serviceNanos how long the operation occupies a channel.
     * @return completion time.
     */
    public long serve(final long now, final long serviceNanos)
    {
        int best = 0;
        for (int i = 1; i < busyUntil.length; i++)
        {
            if (busyUntil[i] < busyUntil[best])
            {
                best = i;
            }
        }
        final long start = Math.max(now, busyUntil[best]);
        busyUntil[best] = start + serviceNanos;
        operations++;
        busyNanos += serviceNanos;
        return busyUntil[best];
    }

    /**
     * @return when every channel is idle again (what an fsync waits for).
     */
    public long idleAt()
    {
        long max = 0;
        for (final long t : busyUntil)
        {
            max = Math.max(max, t);
        }
        return max;
    }

    /** @return operations served. */
    public long operations()
    {
        return operations;
    }

    /** @return total service time, nanoseconds. */
    public long busyNanos()
    {
        return busyNanos;
    }

    @Override
    public String toString()
    {
        return name + "[ops=" + operations + "]";
    }
}

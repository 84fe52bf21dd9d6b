package dev.hostplane.iopipe.internal;

import java.util.concurrent.atomic.AtomicLong;

/** Byte, chunk, transfer and CPU counters shared by tenants and strategies; updates allocate nothing. */
public final class Counters
{
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong chunks = new AtomicLong();
    final AtomicLong completed = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong cpuNanos = new AtomicLong();
    final AtomicLong busyNanos = new AtomicLong();

    void chunk(final long moved, final long cpu, final long busy)
    {
        busyNanos.addAndGet(busy);
        bytes.addAndGet(moved);
        chunks.incrementAndGet();
        if (cpu > 0)
        {
            cpuNanos.addAndGet(cpu);
        }
    }

    /**
     * Bytes moved.
     *
     * @return the count.
     */
    public long bytes()
    {
        return bytes.get();
    }

    /**
     * Chunks run.
     *
     * @return the count.
     */
    public long chunks()
    {
        return chunks.get();
    }

    /**
     * Transfers completed.
     *
     * @return the count.
     */
    public long completed()
    {
        return completed.get();
    }

    /**
     * Transfers failed or cancelled.
     *
     * @return the count.
     */
    public long failed()
    {
        return failed.get();
    }

    /**
     * Wall-clock nanoseconds workers spent running chunks.
     *
     * @return the count.
     */
    public long busyNanos()
    {
        return busyNanos.get();
    }

    /**
     * CPU nanoseconds.
     *
     * @return the count.
     */
    public long cpuNanos()
    {
        return cpuNanos.get();
    }
}

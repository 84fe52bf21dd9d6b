package dev.hostplane.iopipe.internal;

import java.util.ArrayDeque;

/**
 * One tenant inside the scheduler: its weight, queue of ready transfers, credit balance and virtual
 * time. Guarded by the scheduler's lock, except the counters which are atomic.
 */
final class TenantState
{
    final String name;
    volatile int weight;
    final ArrayDeque<TransferTask> ready = new ArrayDeque<>();
    final Counters counters = new Counters();
    /** Bytes this tenant may still move; reserved at dispatch, settled with the bytes actually moved. */
    long credits;
    /** Bytes charged divided by weight: the fair-queueing clock. The smallest backlogged one goes next. */
    double virtualTime;
    /** Chunks currently running on a worker. */
    int running;

    TenantState(final String name, final int weight)
    {
        this.name = name;
        this.weight = weight;
    }

    boolean backlogged()
    {
        return !ready.isEmpty() || running > 0;
    }
}

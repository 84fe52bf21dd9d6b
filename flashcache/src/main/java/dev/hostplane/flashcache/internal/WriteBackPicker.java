package dev.hostplane.flashcache.internal;

import java.util.concurrent.TimeUnit;

import dev.hostplane.flashcache.WritePolicy;

/**
 * Decides which dirty flash block is written back next, per write policy, and keeps the keys whose
 * write-back is in flight so that no key is picked twice at once: then for every block the backing store
 * receives its versions in order, while different blocks are written back in parallel. Not thread-safe:
 * the flash tier calls it under its lock.
 */
final class WriteBackPicker
{
    /** Most write-backs in flight at once (write-back threads plus flushing callers); more callers wait. */
    static final int MAX_IN_FLIGHT = 64;

    private final WritePolicy policy;
    private final long periodNanos;
    private final int dirtyLimit;
    private final SlotTable table;
    private final SegmentLog head;
    private final long[] inFlightKeys = new long[MAX_IN_FLIGHT];
    private int inFlightCount;
    private int urgentSegment = -1;
    private long periodEndMarker = -1;
    private long nextPeriodNanos;

    WriteBackPicker(
        final WritePolicy policy, final long periodNanos, final int dirtyLimit, final SlotTable table,
        final SegmentLog head, final long nowNanos)
    {
        this.policy = policy;
        this.periodNanos = periodNanos;
        this.dirtyLimit = dirtyLimit;
        this.table = table;
        this.head = head;
        this.nextPeriodNanos = nowNanos + periodNanos;
    }

    int dirtyLimit()
    {
        return dirtyLimit;
    }

    /** The segment the head must enter next holds dirty blocks: write those back before anything else. */
    void urgent(final int segment)
    {
        urgentSegment = segment;
    }

    void headEntered(final int segment)
    {
        if (urgentSegment == segment)
        {
            urgentSegment = -1;
        }
    }

    /**
     * @param all          write back everything dirty now (flush).
     * @param lastSeq      the newest sequence number handed out (periodic write-back's end marker).
     * @param nowNanos     the clock.
     * @return the slot to write back, or -1.
     */
    int pick(final boolean all, final long lastSeq, final long nowNanos)
    {
        if (0 == table.dirtyCount() || MAX_IN_FLIGHT == inFlightCount)
        {
            return -1;
        }
        final boolean everything = all
            || WritePolicy.SYNC_WRITE_THROUGH == policy
            || WritePolicy.ASYNC_WRITE_THROUGH == policy
            || table.dirtyCount() >= dirtyLimit;
        if (everything)
        {
            return oldestDirty(Long.MAX_VALUE);
        }
        if (urgentSegment >= 0 && table.segmentDirty[urgentSegment] > 0)
        {
            return firstDirtyIn(urgentSegment, Long.MAX_VALUE);
        }
        if (WritePolicy.PERIODIC_WRITE_BACK == policy)
        {
            if (nowNanos >= nextPeriodNanos)
            {
                // Everything dirty at the start of the period is written back in this pass.
                nextPeriodNanos = nowNanos + periodNanos;
                periodEndMarker = lastSeq;
            }
            final int slot = oldestDirty(periodEndMarker);
            if (slot < 0)
            {
                periodEndMarker = -1;
            }
            return slot;
        }
        // Write-back on eviction: only the segment the head enters next, once the head is half way.
        final int next = head.nextSegment();
        if (head.fill() * 2 >= table.segmentBlocks && table.segmentDirty[next] > 0)
        {
            return firstDirtyIn(next, Long.MAX_VALUE);
        }
        return -1;
    }

    private int oldestDirty(final long maxSeq)
    {
        final int segments = table.segments;
        final int current = head.currentSegment();
        for (int i = 1; i <= segments; i++)
        {
            final int segment = (current + i) % segments;
            if (table.segmentDirty[segment] > 0)
            {
                final int slot = firstDirtyIn(segment, maxSeq);
                if (slot >= 0)
                {
                    return slot;
                }
            }
        }
        return -1;
    }

    private int firstDirtyIn(final int segment, final long maxSeq)
    {
        final int base = segment * table.segmentBlocks;
        for (int slot = base; slot < base + table.segmentBlocks; slot++)
        {
            if (SlotTable.DIRTY == table.state[slot] && table.seq[slot] <= maxSeq && !inFlight(table.key[slot]))
            {
                return slot;
            }
        }
        return -1;
    }

    boolean inFlight(final long key)
    {
        for (int i = 0; i < inFlightCount; i++)
        {
            if (inFlightKeys[i] == key)
            {
                return true;
            }
        }
        return false;
    }

    void startFlight(final long key)
    {
        inFlightKeys[inFlightCount++] = key;
    }

    void endFlight(final long key)
    {
        for (int i = 0; i < inFlightCount; i++)
        {
            if (inFlightKeys[i] == key)
            {
                inFlightKeys[i] = inFlightKeys[--inFlightCount];
                return;
            }
        }
    }

    /** @return how long until periodic write-back is next due (at least 1 ms; 100 ms for other policies). */
    long nanosUntilDue(final long nowNanos)
    {
        if (WritePolicy.PERIODIC_WRITE_BACK != policy)
        {
            return TimeUnit.MILLISECONDS.toNanos(100);
        }
        return Math.max(TimeUnit.MILLISECONDS.toNanos(1), nextPeriodNanos - nowNanos);
    }
}

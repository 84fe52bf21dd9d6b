package dev.hostplane.vswitch.port;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * A worker's frame buffers when preemptive copy is off (VS-D9): instead of copying a frame into the
 * receiving endpoint's ring while it switches it, the worker lends the receiver a reference to the
 * frame in one of these buffers, and the receiver copies it out when it reads. This is the deferred
 * copy Hyper-Switch's preemptive copy replaces, kept so that the difference can be measured.
 *
 * <p>The worker fills one store (a {@link FrameBatch}) per poll. A store with frames still lent out
 * cannot be refilled, so the worker moves on to the next free one; when none is free it does not
 * poll (the senders' rings fill up: back-pressure), and a store lent out for longer than the reclaim
 * time is taken back anyway, so a receiver that stopped reading cannot stall the switch for good.
 *
 * <p>Each store has a generation and a count of outstanding loans in one atomic word. A receiver
 * checks the generation before and after its copy (a seqlock): if the worker took the store back in
 * between, the copy is discarded and counted as expired, never delivered torn.
 */
public final class LentFrames
{
    /** Default number of stores per worker. */
    public static final int DEFAULT_STORES = 8;
    /** Default time after which a store still lent out is taken back. */
    public static final long DEFAULT_RECLAIM_NANOS = 50_000_000L;
    // One atomic word per 64-byte line so receivers of different stores do not share a line.
    private static final int STRIDE = 8;

    private final FrameBatch[] stores;
    private final AtomicLongArray state;
    private final long[] filledNanos;
    private final long reclaimNanos;
    private int current;
    private boolean lentFromCurrent;
    private long reclaimed;
    private long stalls;

    /**
     * Allocates the stores.
     *
     * @param stores number of stores, at least 2.
     * @param batchSize frames per store, 1..{@link FrameBatch#MAX_BATCH}.
     * @param reclaimNanos how long a store may stay lent out before the worker takes it back.
     */
    public LentFrames(final int stores, final int batchSize, final long reclaimNanos)
    {
        if (stores < 2)
        {
            throw new IllegalArgumentException("need at least 2 stores: stores=" + stores);
        }
        this.stores = new FrameBatch[stores];
        for (int i = 0; i < stores; i++)
        {
            this.stores[i] = new FrameBatch(batchSize);
        }
        this.state = new AtomicLongArray((stores + 1) * STRIDE);
        this.filledNanos = new long[stores];
        this.reclaimNanos = reclaimNanos;
    }

    // ------------------------------------------------------------------------------ worker side

    /**
     * Worker: the store to receive the next poll's frames into, or null when every store is still
     * lent out (do not poll now).
     *
     * @param nowNanos current time.
     * @return the batch to fill, or null.
     */
    public FrameBatch acquire(final long nowNanos)
    {
        if (!lentFromCurrent || loans(current) == 0)
        {
            lentFromCurrent = false;
            return stores[current];
        }
        final int n = stores.length;
        for (int k = 1; k < n; k++)
        {
            final int s = (current + k) % n;
            if (loans(s) == 0)
            {
                return use(s);
            }
        }
        // Stores are filled in ring order, so the next one is the oldest.
        final int oldest = (current + 1) % n;
        if (nowNanos - filledNanos[oldest] > reclaimNanos)
        {
            reclaim(oldest);
            reclaimed++;
            return use(oldest);
        }
        stalls++;
        return null;
    }

    /**
     * Worker: records that the store from {@link #acquire(long)} was filled.
     *
     * @param nowNanos current time.
     */
    public void filled(final long nowNanos)
    {
        filledNanos[current] = nowNanos;
    }

    /**
     * Index of the store the worker fills now.
     *
     * @return store index.
     */
    public int currentStore()
    {
        return current;
    }

    /**
     * Lends a frame of a store to a receiver (called by the port that writes the reference).
     *
     * @param store store index.
     * @return the store's generation, to pass to the receiver.
     */
    public int lend(final int store)
    {
        if (store == current)
        {
            lentFromCurrent = true;
        }
        return (int)(state.getAndIncrement(index(store)) >>> 32);
    }

    /**
     * Stores taken back while still lent out.
     *
     * @return count (worker's view).
     */
    public long reclaimed()
    {
        return reclaimed;
    }

    /**
     * Polls skipped because every store was lent out.
     *
     * @return count (worker's view).
     */
    public long stalls()
    {
        return stalls;
    }

    // ---------------------------------------------------------------------------- receiver side

    /**
     * The buffer of one frame slot.
     *
     * @param store store index.
     * @param slot slot index.
     * @return the slot buffer.
     */
    public UnsafeBuffer slot(final int store, final int slot)
    {
        return stores[store].buffer(slot);
    }

    /**
     * Whether a loan of the given generation is still valid; call before copying, and again after
     * copying (it orders the copy's reads before its own).
     *
     * @param store store index.
     * @param generation generation the loan was made in.
     * @return false when the worker took the store back.
     */
    public boolean valid(final int store, final int generation)
    {
        VarHandle.loadLoadFence();
        return (int)(state.get(index(store)) >>> 32) == generation;
    }

    /**
     * Returns a loan (the receiver has copied the frame or given it up).
     *
     * @param store store index.
     * @param generation generation the loan was made in; a loan from before a reclaim is ignored.
     */
    public void release(final int store, final int generation)
    {
        final int i = index(store);
        while (true)
        {
            final long v = state.get(i);
            if ((int)(v >>> 32) != generation || (int)v == 0)
            {
                return;
            }
            if (state.compareAndSet(i, v, v - 1))
            {
                return;
            }
        }
    }

    private FrameBatch use(final int store)
    {
        current = store;
        lentFromCurrent = false;
        return stores[store];
    }

    private int loans(final int store)
    {
        return (int)state.get(index(store));
    }

    private void reclaim(final int store)
    {
        final int i = index(store);
        while (true)
        {
            final long v = state.get(i);
            // A new generation with no loans; the CAS is a full fence, so a receiver's second
            // generation check sees it before it can see any byte the worker writes afterwards.
            if (state.compareAndSet(i, v, ((v >>> 32) + 1) << 32))
            {
                return;
            }
        }
    }

    private static int index(final int store)
    {
        return (store + 1) * STRIDE;
    }
}

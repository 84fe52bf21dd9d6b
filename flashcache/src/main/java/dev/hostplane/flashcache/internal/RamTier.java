package dev.hostplane.flashcache.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import dev.hostplane.flashcache.policy.ReplacementPolicy;

/**
 * One shard of the RAM tier (see {@link RamShards}): block data off-heap (direct buffers of up to 1 GiB each,
 * so gigabytes of blocks add no GC work), a {@link ReplacementPolicy} that maps keys to slots, and a dirty flag
 * per slot.
 *
 * <p>Every method except {@link #lock()} must be called with the lock held.
 */
public final class RamTier
{
    private static final int CHUNK_BYTES = 1 << 30;

    private final ReentrantLock lock = new ReentrantLock();
    private final ReplacementPolicy policy;
    private final int blockSize;
    private final int chunkShift;
    private final int chunkMask;
    private final ByteBuffer[] chunks;
    private final long[] slotKey;
    private final boolean[] dirty;
    private final AtomicInteger dirtyTotal;
    private int dirtyCount;

    /**
     * @param policy    the replacement policy (its capacity is the tier's size in blocks).
     * @param blockSize block size, a power of two.
     * @param dirtyTotal dirty-block count shared by all shards of the tier, kept in step with this shard's.
     */
    public RamTier(final ReplacementPolicy policy, final int blockSize, final AtomicInteger dirtyTotal)
    {
        this.policy = policy;
        this.dirtyTotal = dirtyTotal;
        this.blockSize = blockSize;
        final int blocksPerChunk = CHUNK_BYTES / blockSize;
        chunkShift = Integer.numberOfTrailingZeros(blocksPerChunk);
        chunkMask = blocksPerChunk - 1;
        final int capacity = policy.capacity();
        final int chunkCount = (capacity + blocksPerChunk - 1) / blocksPerChunk;
        chunks = new ByteBuffer[chunkCount];
        for (int i = 0; i < chunkCount; i++)
        {
            final int blocks = Math.min(blocksPerChunk, capacity - i * blocksPerChunk);
            chunks[i] = ByteBuffer.allocateDirect(blocks * blockSize);
        }
        slotKey = new long[capacity];
        dirty = new boolean[capacity];
    }

    /**
     * @return the tier's lock; hold it around every other call.
     */
    public ReentrantLock lock()
    {
        return lock;
    }

    /**
     * @param key block key.
     * @return its slot (access recorded), or -1.
     */
    public int get(final long key)
    {
        return policy.get(key);
    }

    /**
     * @param key block key.
     * @return its slot (no access recorded), or -1.
     */
    public int peek(final long key)
    {
        return policy.peek(key);
    }

    /**
     * Admits a key; see {@link ReplacementPolicy#admit(long)}. The victim's data stays in the slot until the
     * caller overwrites it.
     *
     * @param key block key, not resident.
     * @return its slot.
     */
    public int admit(final long key)
    {
        final int slot = policy.admit(key);
        slotKey[slot] = key;
        return slot;
    }

    /**
     * @return the key evicted by the last {@link #admit(long)}, or {@link ReplacementPolicy#NO_KEY}.
     */
    public long evictedKey()
    {
        return policy.evictedKey();
    }

    /**
     * Removes a key.
     *
     * @param key block key.
     * @return its former slot, or -1.
     */
    public int remove(final long key)
    {
        final int slot = policy.remove(key);
        if (slot >= 0)
        {
            dirty(slot, false);
        }
        return slot;
    }

    /**
     * @param slot a slot.
     * @return the buffer holding it.
     */
    public ByteBuffer buffer(final int slot)
    {
        return chunks[slot >>> chunkShift];
    }

    /**
     * @param slot a slot.
     * @return its byte offset in {@link #buffer(int)}.
     */
    public int offset(final int slot)
    {
        return (slot & chunkMask) * blockSize;
    }

    /**
     * @param slot   source slot.
     * @param dst    destination.
     * @param offset where in {@code dst}.
     */
    public void copyOut(final int slot, final ByteBuffer dst, final int offset)
    {
        dst.put(offset, buffer(slot), offset(slot), blockSize);
    }

    /**
     * @param slot   destination slot.
     * @param src    source.
     * @param offset where in {@code src}.
     */
    public void copyIn(final int slot, final ByteBuffer src, final int offset)
    {
        buffer(slot).put(offset(slot), src, offset, blockSize);
    }

    /**
     * @param slot a slot.
     * @return whether it is dirty.
     */
    public boolean isDirty(final int slot)
    {
        return dirty[slot];
    }

    /**
     * @param slot  a slot.
     * @param value new dirty flag.
     */
    public void dirty(final int slot, final boolean value)
    {
        if (dirty[slot] != value)
        {
            dirty[slot] = value;
            final int delta = value ? 1 : -1;
            dirtyCount += delta;
            dirtyTotal.addAndGet(delta);
        }
    }

    /**
     * @param slot a slot.
     * @return the key stored there.
     */
    public long keyAt(final int slot)
    {
        return slotKey[slot];
    }

    /**
     * @return dirty blocks of this shard.
     */
    public int dirtyCount()
    {
        return dirtyCount;
    }

    /**
     * @return slots.
     */
    public int capacity()
    {
        return policy.capacity();
    }

    /**
     * @return resident blocks.
     */
    public int size()
    {
        return policy.size();
    }
}

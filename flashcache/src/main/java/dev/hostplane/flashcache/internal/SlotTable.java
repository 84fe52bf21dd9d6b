package dev.hostplane.flashcache.internal;

import java.util.HashMap;
import java.util.Map;

import dev.hostplane.flashcache.policy.LongIntHashMap;

/**
 * What the flash tier knows about its slots: which block lives in which slot, with what data checksum,
 * version (sequence number) and state, plus the blocks whose only current copy was lost. Not thread-safe:
 * the flash tier guards it with its lock.
 *
 * <p>It also keeps a fingerprint of the dirty state: the XOR of a 64-bit mix of (key, slot, data checksum)
 * over every dirty entry and of (key) over every lost block. The flash tier writes the fingerprint into
 * the metadata log at every commit; recovery recomputes it from the records it could read. When they agree
 * after a damaged record, the damage cannot have hidden dirty data (see {@link FlashRecovery}).
 */
final class SlotTable
{
    static final byte FREE = 0;
    static final byte CLEAN = 1;
    static final byte DIRTY = 2;

    final int slots;
    final int segmentBlocks;
    final int segments;
    final LongIntHashMap index;
    final long[] key;
    final int[] crc;
    final long[] seq;
    final long[] dirtySince;
    final byte[] state;
    final int[] segmentDirty;
    /** Blocks whose only current copy was damaged or unaccounted for, with the cause; reads of them fail. */
    private final Map<Long, String> lost = new HashMap<>();
    private int liveCount;
    private int dirtyCount;
    private long dirtyFingerprint;

    SlotTable(final int slots, final int segmentBlocks)
    {
        this.slots = slots;
        this.segmentBlocks = segmentBlocks;
        this.segments = slots / segmentBlocks;
        index = new LongIntHashMap(slots);
        key = new long[slots];
        crc = new int[slots];
        seq = new long[slots];
        dirtySince = new long[slots];
        state = new byte[slots];
        segmentDirty = new int[segments];
    }

    static long mix(final long key, final int slot, final int crc)
    {
        // SplitMix64 finaliser over the three fields: any change to one flips about half the bits.
        long z = key * 0x9E3779B97F4A7C15L + ((long)slot << 32 | (crc & 0xFFFF_FFFFL));
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    int slotOf(final long blockKey)
    {
        return index.get(blockKey);
    }

    boolean isDirty(final int slot)
    {
        return DIRTY == state[slot];
    }

    /**
     * Puts a block version in a slot: the slot's previous occupant and the key's previous slot are dropped,
     * and a lost mark of the key is cleared (this version supersedes the lost one).
     */
    void place(
        final long blockKey, final int slot, final int dataCrc, final long version, final boolean dirty,
        final long nowNanos)
    {
        final int old = index.get(blockKey);
        if (old >= 0)
        {
            drop(old);
        }
        if (FREE != state[slot])
        {
            drop(slot);
        }
        clearLost(blockKey);
        index.put(blockKey, slot);
        key[slot] = blockKey;
        crc[slot] = dataCrc;
        seq[slot] = version;
        state[slot] = dirty ? DIRTY : CLEAN;
        liveCount++;
        if (dirty)
        {
            markDirtyCounters(slot, nowNanos);
        }
    }

    private void markDirtyCounters(final int slot, final long nowNanos)
    {
        dirtyCount++;
        segmentDirty[slot / segmentBlocks]++;
        dirtySince[slot] = nowNanos;
        dirtyFingerprint ^= mix(key[slot], slot, crc[slot]);
    }

    /** Removes the entry in {@code slot}; returns whether it was dirty. */
    boolean drop(final int slot)
    {
        if (FREE == state[slot])
        {
            return false;
        }
        final boolean wasDirty = DIRTY == state[slot];
        if (wasDirty)
        {
            unmarkDirty(slot);
        }
        index.remove(key[slot]);
        state[slot] = FREE;
        liveCount--;
        return wasDirty;
    }

    private void unmarkDirty(final int slot)
    {
        dirtyCount--;
        segmentDirty[slot / segmentBlocks]--;
        dirtyFingerprint ^= mix(key[slot], slot, crc[slot]);
    }

    void markClean(final int slot)
    {
        if (DIRTY == state[slot])
        {
            unmarkDirty(slot);
            state[slot] = CLEAN;
        }
    }

    /** Marks a dirty entry dirty again after recovery decided to keep it (counts and fingerprint). */
    void restoreDirty(final int slot, final long nowNanos)
    {
        if (CLEAN == state[slot])
        {
            state[slot] = DIRTY;
            markDirtyCounters(slot, nowNanos);
        }
    }

    void markLost(final long blockKey, final String cause)
    {
        if (null == lost.put(blockKey, cause))
        {
            dirtyFingerprint ^= mix(blockKey, -1, 0);
        }
    }

    void clearLost(final long blockKey)
    {
        if (!lost.isEmpty() && null != lost.remove(blockKey))
        {
            dirtyFingerprint ^= mix(blockKey, -1, 0);
        }
    }

    String lostCause(final long blockKey)
    {
        return lost.isEmpty() ? null : lost.get(blockKey);
    }

    Map<Long, String> lost()
    {
        return lost;
    }

    int liveCount()
    {
        return liveCount;
    }

    int dirtyCount()
    {
        return dirtyCount;
    }

    long dirtyFingerprint()
    {
        return dirtyFingerprint;
    }

    /** Forgets everything (recovery that accepted a loss starts cold). */
    void clear()
    {
        index.clear();
        java.util.Arrays.fill(state, FREE);
        java.util.Arrays.fill(segmentDirty, 0);
        lost.clear();
        liveCount = 0;
        dirtyCount = 0;
        dirtyFingerprint = 0;
    }
}

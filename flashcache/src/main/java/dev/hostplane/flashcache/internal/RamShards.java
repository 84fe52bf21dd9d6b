package dev.hostplane.flashcache.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import dev.hostplane.flashcache.policy.ReplacementPolicy;

/**
 * The RAM tier split into a power-of-two number of independent {@link RamTier} shards by key hash, each
 * with its own replacement policy and lock, so readers and writers of different blocks rarely contend.
 * A block always lives in the shard its key hashes to, so evicting a victim needs only the lock of the
 * shard being filled. With one shard the tier behaves exactly like its single replacement policy.
 *
 * <p>The dirty-block count is kept across all shards (an atomic updated only when a dirty flag changes)
 * so that backpressure applies to the whole tier, not per shard.
 */
public final class RamShards
{
    /** A shard gets at least this many blocks when the shard count is chosen automatically. */
    public static final int MIN_BLOCKS_PER_SHARD_DEFAULT = 64;

    private final RamTier[] shards;
    private final int mask;
    private final AtomicInteger dirtyTotal = new AtomicInteger();
    private final int capacity;

    /**
     * @param shardCount number of shards, a power of two in {@code [1, capacity]}.
     * @param capacity   blocks in the whole tier, spread as evenly as possible over the shards.
     * @param policies   creates a shard's replacement policy for a given capacity.
     * @param blockSize  block size, a power of two.
     */
    public RamShards(
        final int shardCount,
        final int capacity,
        final IntFunction<ReplacementPolicy> policies,
        final int blockSize)
    {
        if (Integer.bitCount(shardCount) != 1 || shardCount > capacity)
        {
            throw new IllegalArgumentException(
                "ramShards=" + shardCount + " must be a power of two and <= ramBlocks=" + capacity);
        }
        shards = new RamTier[shardCount];
        final int base = capacity / shardCount;
        final int extra = capacity % shardCount;
        for (int i = 0; i < shardCount; i++)
        {
            shards[i] = new RamTier(policies.apply(base + (i < extra ? 1 : 0)), blockSize, dirtyTotal);
        }
        mask = shardCount - 1;
        this.capacity = capacity;
    }

    /**
     * Default shard count: four per available processor (so a few threads rarely meet on one lock), rounded
     * up to a power of two, but never so many that a shard holds fewer than
     * {@link #MIN_BLOCKS_PER_SHARD_DEFAULT} blocks (small shards distort the replacement policy's hit ratio).
     *
     * @param capacity   blocks in the tier.
     * @param processors available processors.
     * @return a power of two {@code >= 1}.
     */
    public static int defaultShardCount(final int capacity, final int processors)
    {
        final int wanted = ceilPowerOfTwo(Math.max(1, processors) * 4L);
        final int limit = Integer.highestOneBit(Math.max(1, capacity / MIN_BLOCKS_PER_SHARD_DEFAULT));
        return Math.max(1, Math.min(wanted, limit));
    }

    private static int ceilPowerOfTwo(final long value)
    {
        final long capped = Math.min(value, 1 << 16);
        return (int)Long.highestOneBit(capped - 1) << 1;
    }

    /**
     * @param key block key.
     * @return the shard holding it; lock {@link RamTier#lock()} around calls on it.
     */
    public RamTier forKey(final long key)
    {
        // A different mix from StripedLocks (high bits), so a key lock stripe does not map to one shard.
        long h = key * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 29;
        return shards[(int)(h >>> 32) & mask];
    }

    /**
     * @param index shard index in {@code [0, shardCount())}.
     * @return the shard.
     */
    public RamTier shard(final int index)
    {
        return shards[index];
    }

    /**
     * @return number of shards.
     */
    public int shardCount()
    {
        return shards.length;
    }

    /**
     * @return dirty blocks over all shards (read without locks; exact when no writer runs).
     */
    public int dirtyCount()
    {
        return dirtyTotal.get();
    }

    /**
     * @return blocks in the whole tier.
     */
    public int capacity()
    {
        return capacity;
    }
}

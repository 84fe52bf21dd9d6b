package dev.hostplane.flashcache.policy;

/**
 * Open-addressing map from {@code long} keys to non-negative {@code int} values, with linear probing and
 * backward-shift deletion (no tombstones), so it never allocates after construction.
 *
 * <p>Why our own: the replacement policies sit on the cache's hit path and must not box keys; the map is
 * sized once for the policy's fixed number of nodes and never resizes.
 */
public final class LongIntHashMap
{
    /** Returned by {@link #get(long)} when the key is absent. */
    public static final int MISSING = -1;

    private final long[] keys;
    private final int[] values;
    private final boolean[] used;
    private final int mask;
    private int size;

    /**
     * Creates a map that can hold {@code maxEntries} keys at a load factor of at most one half.
     *
     * @param maxEntries the most keys the map will ever hold at once.
     */
    public LongIntHashMap(final int maxEntries)
    {
        if (maxEntries < 1)
        {
            throw new IllegalArgumentException("maxEntries=" + maxEntries + " must be >= 1");
        }
        int length = Integer.highestOneBit(Math.max(4, maxEntries) * 2 - 1) << 1;
        if (length < 0 || length > (1 << 30))
        {
            throw new IllegalArgumentException("maxEntries=" + maxEntries + " is too large");
        }
        keys = new long[length];
        values = new int[length];
        used = new boolean[length];
        mask = length - 1;
    }

    private static int hash(final long key)
    {
        long h = key * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        return (int)(h ^ (h >>> 32));
    }

    /**
     * Looks a key up.
     *
     * @param key the key.
     * @return its value, or {@link #MISSING}.
     */
    public int get(final long key)
    {
        final long[] keys = this.keys;
        final boolean[] used = this.used;
        int index = hash(key) & mask;
        while (used[index])
        {
            if (keys[index] == key)
            {
                return values[index];
            }
            index = (index + 1) & mask;
        }
        return MISSING;
    }

    /**
     * Maps a key to a value, replacing any previous value.
     *
     * @param key   the key.
     * @param value the value, {@code >= 0}.
     */
    public void put(final long key, final int value)
    {
        int index = hash(key) & mask;
        while (used[index])
        {
            if (keys[index] == key)
            {
                values[index] = value;
                return;
            }
            index = (index + 1) & mask;
        }
        if (size + 1 > (mask + 1) / 2 + (mask + 1) / 4)
        {
            throw new IllegalStateException("map full: size=" + size + " capacity=" + (mask + 1));
        }
        used[index] = true;
        keys[index] = key;
        values[index] = value;
        size++;
    }

    /**
     * Removes a key.
     *
     * @param key the key.
     * @return the value it had, or {@link #MISSING}.
     */
    public int remove(final long key)
    {
        int index = hash(key) & mask;
        while (used[index])
        {
            if (keys[index] == key)
            {
                final int old = values[index];
                shiftBack(index);
                size--;
                return old;
            }
            index = (index + 1) & mask;
        }
        return MISSING;
    }

    private void shiftBack(final int removed)
    {
        // Backward-shift deletion keeps every probe chain contiguous without tombstones.
        int hole = removed;
        int index = (removed + 1) & mask;
        while (used[index])
        {
            final int home = hash(keys[index]) & mask;
            final boolean movable = hole <= index ? (home <= hole || home > index) : (home <= hole && home > index);
            if (movable)
            {
                keys[hole] = keys[index];
                values[hole] = values[index];
                hole = index;
            }
            index = (index + 1) & mask;
        }
        used[hole] = false;
    }

    /**
     * @return how many keys are mapped.
     */
    public int size()
    {
        return size;
    }

    /** Removes every key. */
    public void clear()
    {
        java.util.Arrays.fill(used, false);
        size = 0;
    }
}

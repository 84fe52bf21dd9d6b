package dev.hostplane.vswitch.classifier;

import dev.hostplane.vswitch.flow.FlowKey;

/**
 * Exact-match flow cache in front of the classifier (as Open vSwitch's EMC): a direct-mapped
 * array from a whole {@link FlowKey} to the rule it matched. One per worker thread, no locking.
 *
 * <p>Correctness on rule changes: each entry remembers the {@link Classifier#version()} it was
 * filled from, and a hit counts only when that equals the current version. Every table change
 * publishes a new version, so every older entry is invalid at once without walking the cache.
 *
 * <p>An entry's version sits right after its key words in one array, so a hit touches the entry's
 * own cache lines and the rule reference, not a third array.
 */
public final class ExactMatchCache
{
    // Per entry: the key's words, then the classifier version it was filled from.
    private static final int STRIDE = FlowKey.WORDS + 1;
    private static final int VERSION = FlowKey.WORDS;

    private final long[] entries;
    private final FlowRule[] rules;
    private final int slotMask;
    private long hits;
    private long misses;

    /**
     * Creates a cache.
     *
     * @param entries number of entries, a power of two.
     */
    public ExactMatchCache(final int entries)
    {
        if (entries <= 0 || Integer.bitCount(entries) != 1)
        {
            throw new IllegalArgumentException("cache entries must be a positive power of 2: entries=" + entries);
        }
        this.entries = new long[entries * STRIDE];
        rules = new FlowRule[entries];
        slotMask = entries - 1;
    }

    /**
     * Looks a key up.
     *
     * @param key frame key.
     * @param hash {@link FlowKey#fullHash()} of the key.
     * @param version current classifier version.
     * @return the cached rule, or null on a miss.
     */
    public FlowRule lookup(final FlowKey key, final int hash, final long version)
    {
        final int slot = hash & slotMask;
        final FlowRule rule = rules[slot];
        final int base = slot * STRIDE;
        final long[] e = entries;
        if (rule != null && e[base + VERSION] == version)
        {
            final long[] w = key.words();
            int i = 0;
            while (i < FlowKey.WORDS && e[base + i] == w[i])
            {
                i++;
            }
            if (i == FlowKey.WORDS)
            {
                hits++;
                return rule;
            }
        }
        misses++;
        return null;
    }

    /**
     * Inserts (or replaces) the entry for a key.
     *
     * @param key frame key.
     * @param hash its full hash.
     * @param version classifier version the rule came from.
     * @param rule matched rule.
     */
    public void insert(final FlowKey key, final int hash, final long version, final FlowRule rule)
    {
        final int slot = hash & slotMask;
        final int base = slot * STRIDE;
        System.arraycopy(key.words(), 0, entries, base, FlowKey.WORDS);
        entries[base + VERSION] = version;
        rules[slot] = rule;
    }

    /**
     * Hits so far (owner thread's view).
     *
     * @return count.
     */
    public long hits()
    {
        return hits;
    }

    /**
     * Misses so far.
     *
     * @return count.
     */
    public long misses()
    {
        return misses;
    }
}

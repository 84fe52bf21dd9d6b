package dev.hostplane.flashcache;

import java.util.Locale;

import dev.hostplane.flashcache.policy.ArcPolicy;
import dev.hostplane.flashcache.policy.LruPolicy;
import dev.hostplane.flashcache.policy.ReplacementPolicy;
import dev.hostplane.flashcache.policy.S3FifoPolicy;

/**
 * The RAM tier's replacement policies. {@link #S3FIFO} is the default: on the shared traces it matches or
 * beats ARC at most sizes (see BENCHMARKS.md, flashcache) and its hit path only bumps a counter.
 */
public enum EvictionPolicy
{
    /** Least recently used. */
    LRU,
    /** Adaptive Replacement Cache (Megiddo and Modha, FAST'03). */
    ARC,
    /** S3-FIFO (Yang et al., SOSP'23). */
    S3FIFO;

    /**
     * Creates a policy instance over {@code capacity} slots.
     *
     * @param capacity number of slots.
     * @return a new, empty policy.
     */
    public ReplacementPolicy create(final int capacity)
    {
        switch (this)
        {
            case LRU:
                return new LruPolicy(capacity);
            case ARC:
                return new ArcPolicy(capacity);
            default:
                return new S3FifoPolicy(capacity);
        }
    }

    /**
     * Parses a policy name as written on the command line ({@code lru}, {@code arc}, {@code s3fifo}).
     *
     * @param name the name, any case.
     * @return the policy.
     * @throws IllegalArgumentException naming the accepted values when the name is unknown.
     */
    public static EvictionPolicy parse(final String name)
    {
        final String normalized = name.trim().toUpperCase(Locale.ROOT).replace("-", "");
        for (final EvictionPolicy policy : values())
        {
            if (policy.name().equals(normalized))
            {
                return policy;
            }
        }
        throw new IllegalArgumentException("policy=" + name + " is unknown (expected: lru, arc, s3fifo)");
    }
}

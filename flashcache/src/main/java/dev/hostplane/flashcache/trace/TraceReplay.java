package dev.hostplane.flashcache.trace;

import java.io.IOException;
import java.nio.file.Path;

import dev.hostplane.flashcache.policy.ReplacementPolicy;

/**
 * Replays a trace against a replacement policy and counts hits: the check that our policies reproduce the
 * published hit ratios. Every access, read or write, is a reference (as in the ARC paper's tables).
 */
public final class TraceReplay
{
    /**
     * Counts from one replay.
     *
     * @param accesses block accesses replayed.
     * @param hits     accesses that found their block resident.
     * @param writes   accesses that were writes.
     */
    public record Result(long accesses, long hits, long writes)
    {
        /**
         * @return misses, {@code accesses - hits}.
         */
        public long misses()
        {
            return accesses - hits;
        }

        /**
         * @return hit ratio in percent.
         */
        public double hitRatioPercent()
        {
            return 0 == accesses ? 0.0 : 100.0 * hits / accesses;
        }
    }

    private TraceReplay()
    {
    }

    /**
     * Replays a trace file.
     *
     * @param file   the trace.
     * @param format its format.
     * @param policy a fresh policy sized in the format's unit.
     * @param limit  at most this many accesses.
     * @return the counts.
     * @throws IOException when the trace cannot be read.
     */
    public static Result replay(final Path file, final TraceFormat format, final ReplacementPolicy policy, final long limit)
        throws IOException
    {
        final long[] counts = new long[2];
        final long accesses = TraceReader.read(file, format, (block, write) ->
        {
            if (write)
            {
                counts[1]++;
            }
            if (policy.get(block) >= 0)
            {
                counts[0]++;
            }
            else
            {
                policy.admit(block);
            }
        }, limit);
        return new Result(accesses, counts[0], counts[1]);
    }
}

package dev.hostplane.flashcache;

import java.io.IOException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * In-process invalidation channel between caches ("hosts") that share one backing store: a write on one
 * host invalidates the block on every other host before the write returns, so no host keeps serving the
 * old data. Blocks are named by file name, since file ids are per host. The simulator and tests use it
 * directly; a network transport can implement the same calls later.
 */
public final class InvalidationBus
{
    private final CopyOnWriteArrayList<BlockCache> members = new CopyOnWriteArrayList<>();
    private final LongAdder published = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder applied = new LongAdder();

    void join(final BlockCache cache)
    {
        members.addIfAbsent(cache);
    }

    void leave(final BlockCache cache)
    {
        members.remove(cache);
    }

    /**
     * Sends an invalidation to every member except the sender.
     *
     * @param source  the writing cache.
     * @param file    file name.
     * @param blockNo block number.
     * @return how many members were sent the invalidation.
     * @throws IOException when a member cannot persist the invalidation.
     */
    int publish(final BlockCache source, final String file, final long blockNo) throws IOException
    {
        published.increment();
        int sent = 0;
        for (final BlockCache member : members)
        {
            if (member != source)
            {
                sent++;
                delivered.increment();
                if (member.onRemoteInvalidation(file, blockNo))
                {
                    applied.increment();
                }
            }
        }
        return sent;
    }

    /**
     * @return writes that published an invalidation.
     */
    public long published()
    {
        return published.sum();
    }

    /**
     * @return invalidations delivered (one per other member per write).
     */
    public long delivered()
    {
        return delivered.sum();
    }

    /**
     * @return delivered invalidations that dropped a cached copy.
     */
    public long applied()
    {
        return applied.sum();
    }
}

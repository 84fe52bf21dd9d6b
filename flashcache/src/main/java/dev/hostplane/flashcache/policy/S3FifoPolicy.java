package dev.hostplane.flashcache.policy;

/**
 * S3-FIFO: a small FIFO (10% of slots) that filters one-hit wonders, a main FIFO with lazy promotion
 * (a 2-bit access counter, reinsert instead of move-on-hit) and a ghost FIFO of keys recently dropped from
 * the small queue. A hit only bumps a counter, so the hit path touches no list at all, which is why it
 * scales better than LRU under concurrency and suits flash-friendly FIFO eviction.
 *
 * <p>[1] J. Yang, Y. Zhang, Z. Qiu, Y. Yue, K. V. Rashmi, "FIFO queues are all you need for cache
 * eviction", SOSP'23.
 */
public final class S3FifoPolicy implements ReplacementPolicy
{
    private static final int SMALL = 0;
    private static final int MAIN = 1;
    private static final int GHOST = 2;
    private static final int MAX_FREQ = 3;

    private final int capacity;
    private final int smallTarget;
    private final int ghostCapacity;
    private final KeyedNodes pool;
    private final NodeLists lists;
    private final LongIntHashMap index;
    private final long[] keyOfNode;
    private final int[] slotOfNode;
    private final byte[] freq;
    private final SlotAllocator slots;
    private long evictedKey = NO_KEY;

    /**
     * @param capacity number of slots, {@code >= 1}.
     */
    public S3FifoPolicy(final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity=" + capacity + " must be >= 1");
        }
        this.capacity = capacity;
        smallTarget = Math.max(1, capacity / 10);
        ghostCapacity = Math.max(1, capacity - smallTarget);
        final int nodeCount = capacity + ghostCapacity + 1;
        pool = new KeyedNodes(capacity, nodeCount, 3);
        lists = pool.lists;
        index = pool.index;
        keyOfNode = pool.keyOfNode;
        slotOfNode = pool.slotOfNode;
        freq = new byte[nodeCount];
        slots = pool.slots;
    }

    @Override
    public int get(final long key)
    {
        final int node = index.get(key);
        if (node < 0)
        {
            return -1;
        }
        final int slot = slotOfNode[node];
        if (slot >= 0 && freq[node] < MAX_FREQ)
        {
            freq[node]++;
        }
        return slot;
    }

    @Override
    public int peek(final long key)
    {
        return pool.peek(key);
    }

    @Override
    public int admit(final long key)
    {
        evictedKey = NO_KEY;
        int node = index.get(key);
        boolean toMain = false;
        if (node >= 0)
        {
            if (GHOST != lists.listOf(node))
            {
                throw new IllegalStateException("key=" + key + " is already resident");
            }
            pool.discard(node);
            toMain = true;
        }
        final int slot = slots.isEmpty() ? evict() : slots.take();
        node = pool.addHead(toMain ? MAIN : SMALL, key);
        slotOfNode[node] = slot;
        freq[node] = 0;
        return slot;
    }

    private int evict()
    {
        while (true)
        {
            if (lists.size(SMALL) >= smallTarget || 0 == lists.size(MAIN))
            {
                final int tail = lists.tail(SMALL);
                if (freq[tail] > 1)
                {
                    freq[tail] = 0;
                    lists.moveToHead(MAIN, tail);
                }
                else
                {
                    final int slot = slotOfNode[tail];
                    evictedKey = keyOfNode[tail];
                    slotOfNode[tail] = -1;
                    lists.moveToHead(GHOST, tail);
                    if (lists.size(GHOST) > ghostCapacity)
                    {
                        pool.discard(lists.tail(GHOST));
                    }
                    return slot;
                }
            }
            else
            {
                final int tail = lists.tail(MAIN);
                if (freq[tail] > 0)
                {
                    freq[tail]--;
                    lists.moveToHead(MAIN, tail);
                }
                else
                {
                    final int slot = slotOfNode[tail];
                    evictedKey = keyOfNode[tail];
                    pool.discard(tail);
                    return slot;
                }
            }
        }
    }

    @Override
    public long evictedKey()
    {
        return evictedKey;
    }

    @Override
    public int remove(final long key)
    {
        return pool.remove(key);
    }

    @Override
    public int size()
    {
        return lists.size(SMALL) + lists.size(MAIN);
    }

    @Override
    public int capacity()
    {
        return capacity;
    }

    @Override
    public String name()
    {
        return "s3fifo";
    }
}

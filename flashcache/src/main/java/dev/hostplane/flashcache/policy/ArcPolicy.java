package dev.hostplane.flashcache.policy;

/**
 * Adaptive Replacement Cache.
 *
 * <p>Design: four lists over one node pool of size 2c (T1 recent, T2 frequent, B1 and B2 their ghosts,
 * which remember keys but hold no slot); a target {@code p} for |T1| moves towards whichever ghost list
 * gets hits. This follows Fig. 4 of the paper with real-valued adaptation steps as in the paper; invalidations
 * ({@link #remove(long)}) free a slot, after which the next miss fills it instead of running REPLACE.
 *
 * <p>[1] N. Megiddo, D. S. Modha, "ARC: A Self-Tuning, Low Overhead Replacement Cache", FAST'03.
 */
public final class ArcPolicy implements ReplacementPolicy
{
    private static final int T1 = 0;
    private static final int T2 = 1;
    private static final int B1 = 2;
    private static final int B2 = 3;

    private final int capacity;
    private final KeyedNodes pool;
    private final NodeLists lists;
    private final LongIntHashMap index;
    private final long[] keyOfNode;
    private final int[] slotOfNode;
    private final SlotAllocator slots;
    private double p;
    private long evictedKey = NO_KEY;

    /**
     * @param capacity number of slots, {@code >= 1}.
     */
    public ArcPolicy(final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity=" + capacity + " must be >= 1");
        }
        this.capacity = capacity;
        final int nodeCount = 2 * capacity + 1;
        pool = new KeyedNodes(capacity, nodeCount, 4);
        lists = pool.lists;
        index = pool.index;
        keyOfNode = pool.keyOfNode;
        slotOfNode = pool.slotOfNode;
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
        final int list = lists.listOf(node);
        if (T1 == list || T2 == list)
        {
            lists.moveToHead(T2, node);
            return slotOfNode[node];
        }
        return -1;
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
        final int c = capacity;
        int node = index.get(key);
        final int slot;
        if (node >= 0 && B1 == lists.listOf(node))
        {
            final int b1 = lists.size(B1);
            final int b2 = lists.size(B2);
            p = Math.min(c, p + (b1 >= b2 ? 1.0 : (double)b2 / b1));
            slot = freeSlotOrReplace(false);
            lists.moveToHead(T2, node);
        }
        else if (node >= 0 && B2 == lists.listOf(node))
        {
            final int b1 = lists.size(B1);
            final int b2 = lists.size(B2);
            p = Math.max(0.0, p - (b2 >= b1 ? 1.0 : (double)b1 / b2));
            slot = freeSlotOrReplace(true);
            lists.moveToHead(T2, node);
        }
        else if (node >= 0)
        {
            throw new IllegalStateException("key=" + key + " is already resident");
        }
        else
        {
            final int t1 = lists.size(T1);
            final int l1 = t1 + lists.size(B1);
            if (l1 >= c)
            {
                if (t1 < c)
                {
                    dropGhost(B1);
                    slot = freeSlotOrReplace(false);
                }
                else
                {
                    // B1 is empty and T1 fills the cache: drop T1's LRU page altogether.
                    final int victim = lists.tail(T1);
                    evictedKey = keyOfNode[victim];
                    slot = slotOfNode[victim];
                    pool.discard(victim);
                }
            }
            else
            {
                final int total = l1 + lists.size(T2) + lists.size(B2);
                if (total >= c && total >= 2 * c)
                {
                    dropGhost(B2);
                }
                slot = freeSlotOrReplace(false);
            }
            node = pool.addHead(T1, key);
        }
        slotOfNode[node] = slot;
        return slot;
    }

    private void dropGhost(final int list)
    {
        final int ghost = lists.tail(list);
        if (NodeLists.NONE != ghost)
        {
            pool.discard(ghost);
        }
    }

    private int freeSlotOrReplace(final boolean hitInB2)
    {
        if (!slots.isEmpty())
        {
            return slots.take();
        }
        final int t1 = lists.size(T1);
        final int victim;
        if (t1 >= 1 && ((hitInB2 && t1 == p) || t1 > p || 0 == lists.size(T2)))
        {
            victim = lists.tail(T1);
            lists.moveToHead(B1, victim);
        }
        else
        {
            victim = lists.tail(T2);
            lists.moveToHead(B2, victim);
        }
        evictedKey = keyOfNode[victim];
        final int slot = slotOfNode[victim];
        slotOfNode[victim] = -1;
        return slot;
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
        return lists.size(T1) + lists.size(T2);
    }

    @Override
    public int capacity()
    {
        return capacity;
    }

    /**
     * @return the current target size of T1 (for tests and statistics).
     */
    public double target()
    {
        return p;
    }

    @Override
    public String name()
    {
        return "arc";
    }
}

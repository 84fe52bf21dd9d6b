package dev.hostplane.flashcache.policy;

/**
 * Least-recently-used replacement: one recency list, evict its tail. The baseline against which the ARC
 * paper's tables (and ours) compare.
 */
public final class LruPolicy implements ReplacementPolicy
{
    private static final int LIST = 0;

    private final int capacity;
    private final NodeLists lists;
    private final LongIntHashMap index;
    private final long[] keyOfSlot;
    private final SlotAllocator slots;
    private long evictedKey = NO_KEY;

    /**
     * @param capacity number of slots, {@code >= 1}.
     */
    public LruPolicy(final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity=" + capacity + " must be >= 1");
        }
        this.capacity = capacity;
        // Node number == slot number: a resident key owns exactly one node.
        lists = new NodeLists(capacity, 1);
        index = new LongIntHashMap(capacity);
        keyOfSlot = new long[capacity];
        slots = new SlotAllocator(capacity);
    }

    @Override
    public int get(final long key)
    {
        final int slot = index.get(key);
        if (slot >= 0)
        {
            lists.moveToHead(LIST, slot);
        }
        return slot;
    }

    @Override
    public int peek(final long key)
    {
        return index.get(key);
    }

    @Override
    public int admit(final long key)
    {
        evictedKey = NO_KEY;
        final int slot;
        if (!slots.isEmpty())
        {
            slot = slots.take();
        }
        else
        {
            slot = lists.tail(LIST);
            lists.remove(slot);
            evictedKey = keyOfSlot[slot];
            index.remove(evictedKey);
        }
        keyOfSlot[slot] = key;
        index.put(key, slot);
        lists.addHead(LIST, slot);
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
        final int slot = index.remove(key);
        if (slot >= 0)
        {
            lists.remove(slot);
            slots.release(slot);
        }
        return slot;
    }

    @Override
    public int size()
    {
        return index.size();
    }

    @Override
    public int capacity()
    {
        return capacity;
    }

    @Override
    public String name()
    {
        return "lru";
    }
}

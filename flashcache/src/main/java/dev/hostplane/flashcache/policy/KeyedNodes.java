package dev.hostplane.flashcache.policy;

/**
 * The bookkeeping ARC and S3-FIFO share: a node pool larger than the slot count (ghost nodes remember a
 * key but own no slot, {@code slotOfNode == -1}), the key-to-node index, the queues over those nodes and
 * the free slots. Kept in one place so node creation, ghost dropping and invalidation are written once;
 * every operation works on preallocated arrays and allocates nothing.
 */
final class KeyedNodes
{
    final NodeLists lists;
    final LongIntHashMap index;
    final long[] keyOfNode;
    final int[] slotOfNode;
    final SlotAllocator nodes;
    final SlotAllocator slots;

    KeyedNodes(final int capacity, final int nodeCount, final int listCount)
    {
        lists = new NodeLists(nodeCount, listCount);
        index = new LongIntHashMap(nodeCount);
        keyOfNode = new long[nodeCount];
        slotOfNode = new int[nodeCount];
        nodes = new SlotAllocator(nodeCount);
        slots = new SlotAllocator(capacity);
    }

    /**
     * @return the slot of a resident key without touching any queue, or -1 (absent or only a ghost).
     */
    int peek(final long key)
    {
        final int node = index.get(key);
        return node < 0 ? -1 : slotOfNode[node];
    }

    /**
     * Takes a fresh node for {@code key}, indexes it and puts it at the head of {@code list}.
     *
     * @return the node.
     */
    int addHead(final int list, final long key)
    {
        final int node = nodes.take();
        keyOfNode[node] = key;
        index.put(key, node);
        lists.addHead(list, node);
        return node;
    }

    /**
     * Forgets a node entirely: unlinks it, drops its key from the index and returns the node to the pool
     * (its slot, if any, is the caller's business).
     */
    void discard(final int node)
    {
        lists.remove(node);
        index.remove(keyOfNode[node]);
        nodes.release(node);
    }

    /**
     * Invalidation: forgets {@code key} and frees its slot if it had one.
     *
     * @return the freed slot, or -1 if the key was absent or only a ghost.
     */
    int remove(final long key)
    {
        final int node = index.remove(key);
        if (node < 0)
        {
            return -1;
        }
        final int slot = slotOfNode[node];
        lists.remove(node);
        nodes.release(node);
        if (slot >= 0)
        {
            slots.release(slot);
        }
        return slot;
    }
}

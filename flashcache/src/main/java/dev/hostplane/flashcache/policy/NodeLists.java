package dev.hostplane.flashcache.policy;

import java.util.Arrays;

/**
 * Several intrusive doubly-linked lists over one pool of integer nodes: the queues of LRU, ARC and
 * S3-FIFO without a single object per entry. The head is the most recently inserted end.
 */
final class NodeLists
{
    static final int NONE = -1;

    private final int[] prev;
    private final int[] next;
    private final byte[] list;
    private final int[] head;
    private final int[] tail;
    private final int[] size;

    NodeLists(final int nodes, final int lists)
    {
        prev = new int[nodes];
        next = new int[nodes];
        list = new byte[nodes];
        Arrays.fill(list, (byte)NONE);
        head = new int[lists];
        tail = new int[lists];
        size = new int[lists];
        Arrays.fill(head, NONE);
        Arrays.fill(tail, NONE);
    }

    void addHead(final int listId, final int node)
    {
        final int oldHead = head[listId];
        prev[node] = NONE;
        next[node] = oldHead;
        if (NONE != oldHead)
        {
            prev[oldHead] = node;
        }
        else
        {
            tail[listId] = node;
        }
        head[listId] = node;
        list[node] = (byte)listId;
        size[listId]++;
    }

    void remove(final int node)
    {
        final int listId = list[node];
        final int p = prev[node];
        final int n = next[node];
        if (NONE != p)
        {
            next[p] = n;
        }
        else
        {
            head[listId] = n;
        }
        if (NONE != n)
        {
            prev[n] = p;
        }
        else
        {
            tail[listId] = p;
        }
        list[node] = (byte)NONE;
        size[listId]--;
    }

    void moveToHead(final int listId, final int node)
    {
        remove(node);
        addHead(listId, node);
    }

    int tail(final int listId)
    {
        return tail[listId];
    }

    int listOf(final int node)
    {
        return list[node];
    }

    int size(final int listId)
    {
        return size[listId];
    }

    void clear()
    {
        Arrays.fill(list, (byte)NONE);
        Arrays.fill(head, NONE);
        Arrays.fill(tail, NONE);
        Arrays.fill(size, 0);
    }
}

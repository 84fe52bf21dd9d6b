package dev.hostplane.flashcache.policy;

/**
 * A stack of free slot numbers, so a policy can hand out and take back slots without allocating.
 */
final class SlotAllocator
{
    private final int[] free;
    private int top;

    SlotAllocator(final int capacity)
    {
        free = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            free[i] = capacity - 1 - i;
        }
        top = capacity;
    }

    boolean isEmpty()
    {
        return 0 == top;
    }

    int take()
    {
        return free[--top];
    }

    void release(final int slot)
    {
        free[top++] = slot;
    }
}

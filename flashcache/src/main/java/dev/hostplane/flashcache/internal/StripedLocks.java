package dev.hostplane.flashcache.internal;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed array of locks selected by key hash: operations on one block are serialized (no read sees half a
 * write, a read miss cannot overwrite a newer write), operations on different blocks mostly are not.
 */
public final class StripedLocks
{
    private final ReentrantLock[] locks;
    private final int mask;

    /**
     * @param stripes number of locks, a power of two.
     */
    public StripedLocks(final int stripes)
    {
        if (Integer.bitCount(stripes) != 1)
        {
            throw new IllegalArgumentException("stripes=" + stripes + " must be a power of two");
        }
        locks = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++)
        {
            locks[i] = new ReentrantLock();
        }
        mask = stripes - 1;
    }

    /**
     * @param key block key.
     * @return the lock for it.
     */
    public ReentrantLock forKey(final long key)
    {
        long h = key * 0x9E3779B97F4A7C15L;
        h ^= h >>> 31;
        return locks[(int)h & mask];
    }
}

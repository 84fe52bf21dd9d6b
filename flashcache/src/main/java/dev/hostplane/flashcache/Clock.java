package dev.hostplane.flashcache;

import java.util.concurrent.locks.LockSupport;

/**
 * Time as the cache sees it. The real cache uses {@link #SYSTEM}; the simulator (a later issue) injects a
 * simulated clock so the same cache code runs under simulated time.
 */
public interface Clock
{
    /** The JVM's monotonic clock. */
    Clock SYSTEM = new Clock()
    {
        @Override
        public long nanoTime()
        {
            return System.nanoTime();
        }

        @Override
        public void sleepNanos(final long nanos)
        {
            LockSupport.parkNanos(nanos);
        }
    };

    /**
     * @return monotonic time in nanoseconds.
     */
    long nanoTime();

    /**
     * Lets {@code nanos} of this clock's time pass (used by latency-injecting stores).
     *
     * @param nanos how long.
     */
    void sleepNanos(long nanos);
}

package dev.hostplane.flashcache.sim;

import dev.hostplane.flashcache.Clock;

/**
 * Simulated time: the time of whichever actor (an application thread or a host's background work) the
 * simulator is running now. The cache reads it as its {@link Clock}; device models advance it by the time an
 * operation takes, including queueing behind other actors' operations. Single-threaded, like the simulator.
 */
public final class SimClock implements Clock
{
    private long now;

    @Override
    public long nanoTime()
    {
        return now;
    }

    @Override
    public void sleepNanos(final long nanos)
    {
        now += Math.max(0, nanos);
    }

    /**
     * @param nanos the current actor's time.
     */
    public void set(final long nanos)
    {
        now = nanos;
    }
}

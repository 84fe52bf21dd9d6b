package dev.hostplane.iopipe.server;

import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;

/**
 * The timeouts of one event loop's connections, checked by one periodic task instead of a timer per
 * connection: a request or a readiness event then only writes a few fields, never schedules or cancels
 * anything, and ten thousand idle connections cost one array walk per interval. A connection may
 * therefore be closed up to one interval after its deadline; the interval is an eighth of the shortest
 * timeout, at most one second. Event-loop-confined, except {@link #of}.
 */
final class Sweeper implements Runnable
{
    /** A connection with deadlines. */
    interface Swept
    {
        /**
         * Closes the connection if one of its deadlines has passed.
         *
         * @param now {@link System#nanoTime()} of this sweep.
         */
        void sweep(long now);

        /**
         * Where this connection sits in its sweeper, or -1.
         *
         * @return the slot.
         */
        int sweepSlot();

        /**
         * Records where this connection sits.
         *
         * @param slot the slot, or -1 once removed.
         */
        void sweepSlot(int slot);
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Sweeper.class);
    private final ArrayList<Swept> members = new ArrayList<>();

    private Sweeper()
    {
    }

    /**
     * The sweeper of {@code loop}, started at the first call; call on that loop.
     *
     * @param sweepers      the server's sweepers by event loop thread.
     * @param loop          the event loop; this must run on it.
     * @param intervalNanos sweep interval.
     * @return the sweeper.
     */
    static Sweeper of(final Map<Thread, Sweeper> sweepers, final EventLoop loop, final long intervalNanos)
    {
        // Keyed by thread: Netty 4.2 may hand each channel its own view of the same loop.
        final Thread thread = Thread.currentThread();
        Sweeper s = sweepers.get(thread);
        if (null == s)
        {
            s = new Sweeper();
            sweepers.put(thread, s);
            loop.scheduleAtFixedRate(s, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
        }
        return s;
    }

    /**
     * A map for {@link #of}.
     *
     * @return an empty concurrent map.
     */
    static Map<Thread, Sweeper> newMap()
    {
        return new ConcurrentHashMap<>();
    }

    /**
     * The sweep interval for the given timeouts: an eighth of the shortest, 10 ms to 1 s.
     *
     * @param timeoutsNanos the timeouts (0 = none).
     * @return nanoseconds.
     */
    static long interval(final long... timeoutsNanos)
    {
        long shortest = TimeUnit.SECONDS.toNanos(8);
        for (final long t : timeoutsNanos)
        {
            if (t > 0)
            {
                shortest = Math.min(shortest, t);
            }
        }
        return Math.max(TimeUnit.MILLISECONDS.toNanos(10), shortest / 8);
    }

    void add(final Swept s)
    {
        s.sweepSlot(members.size());
        members.add(s);
    }

    void remove(final Swept s)
    {
        final int slot = s.sweepSlot();
        if (slot < 0)
        {
            return;
        }
        final int last = members.size() - 1;
        final Swept moved = members.remove(last);
        if (slot != last)
        {
            members.set(slot, moved);
            moved.sweepSlot(slot);
        }
        s.sweepSlot(-1);
    }

    int size()
    {
        return members.size();
    }

    @Override
    public void run()
    {
        final long now = System.nanoTime();
        // Backwards: a connection closed by its sweep leaves its slot to one already visited.
        for (int i = members.size() - 1; i >= 0; i--)
        {
            if (i < members.size())
            {
                try
                {
                    members.get(i).sweep(now);
                }
                catch (final RuntimeException ex)
                {
                    // A periodic task that throws is never run again: one bad connection must not end every
                    // other connection's timeouts.
                    LOG.error("timeout check failed for {}", members.get(i), ex);
                }
            }
        }
    }
}

package dev.hostplane.vswitch.internal;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import dev.hostplane.vswitch.port.Port;

/**
 * Which worker polls which port. Ports are placed on the worker polling the fewest when they are
 * added; with offload on (Hyper-Switch's offload to idle cores, VS-D9) a worker that keeps getting
 * full batches from two or more ports hands one of them to a worker that has been idle, at a batch
 * boundary, so the port's TX ring still has one consumer at a time.
 *
 * <p>Every change to the workers' port lists goes through one lock. Workers only ever try it (a
 * busy worker that finds it taken keeps its port and tries later), so the data plane never waits
 * for the control plane. A hand-over can reorder frames of the moved port that are still in the old
 * worker's ring to an endpoint with frames the new worker delivers after it (the endpoint reads
 * each worker's ring in turn), as moving a receive queue between threads does elsewhere; a port
 * moves at most once per {@link #PORT_HOLD_NANOS}.
 */
public final class PortAssignment
{
    /** Least time between two hand-overs by the same worker. */
    public static final long OFFLOAD_INTERVAL_NANOS = 1_000_000L;
    /** Least time a port stays on a worker after it moved. */
    public static final long PORT_HOLD_NANOS = 10_000_000L;

    private final SwitchWorker[] workers;
    private final boolean offload;
    private final ReentrantLock lock = new ReentrantLock();
    private final long[] lastOffloadNanos;
    private final Map<Port, Long> movedAt = new IdentityHashMap<>();
    private final AtomicLong offloads = new AtomicLong();

    /**
     * Creates the assignment.
     *
     * @param workers the switch's workers.
     * @param offload whether busy workers may hand ports to idle ones (ignored with one worker).
     */
    public PortAssignment(final SwitchWorker[] workers, final boolean offload)
    {
        this.workers = workers;
        this.offload = offload && workers.length > 1;
        this.lastOffloadNanos = new long[workers.length];
    }

    /**
     * Whether offload is active.
     *
     * @return true with offload on and more than one worker.
     */
    public boolean offloadEnabled()
    {
        return offload;
    }

    /**
     * Places a new port on the worker polling the fewest ports.
     *
     * @param port the port (already numbered and attached).
     */
    public void assign(final Port port)
    {
        lock.lock();
        try
        {
            SwitchWorker least = workers[0];
            for (final SwitchWorker w : workers)
            {
                if (w.polledPorts().length < least.polledPorts().length)
                {
                    least = w;
                }
            }
            port.signal(least.signal());
            least.polledPorts(with(least.polledPorts(), port));
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Takes a port off whichever worker polls it.
     *
     * @param port the port.
     */
    public void unassign(final Port port)
    {
        lock.lock();
        try
        {
            for (final SwitchWorker w : workers)
            {
                final Port[] polled = w.polledPorts();
                if (indexOf(polled, port) >= 0)
                {
                    w.polledPorts(without(polled, port));
                }
            }
            movedAt.remove(port);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Called by a busy worker, on its own thread between two duty cycles: hands {@code port} to an
     * idle worker if one exists and the rate limits allow.
     *
     * @param from the busy worker.
     * @param port one of its active ports (not its only one).
     * @param nowNanos current time.
     * @return true when the port moved.
     */
    boolean offload(final SwitchWorker from, final Port port, final long nowNanos)
    {
        if (!offload || nowNanos - lastOffloadNanos[from.index()] < OFFLOAD_INTERVAL_NANOS || !lock.tryLock())
        {
            return false;
        }
        try
        {
            lastOffloadNanos[from.index()] = nowNanos;
            final Long moved = movedAt.get(port);
            if (moved != null && nowNanos - moved < PORT_HOLD_NANOS)
            {
                return false;
            }
            final Port[] fromPorts = from.polledPorts();
            if (fromPorts.length < 2 || indexOf(fromPorts, port) < 0)
            {
                return false;
            }
            SwitchWorker to = null;
            for (final SwitchWorker w : workers)
            {
                if (w != from && w.isIdle() && (to == null || w.polledPorts().length < to.polledPorts().length))
                {
                    to = w;
                }
            }
            if (to == null)
            {
                return false;
            }
            // The giving worker is the caller and stops polling the port with its next cycle; the
            // volatile write of the taker's list publishes the ring's consumer position to it.
            from.polledPorts(without(fromPorts, port));
            to.markBusy();
            port.signal(to.signal());
            to.polledPorts(with(to.polledPorts(), port));
            movedAt.put(port, nowNanos);
            offloads.incrementAndGet();
            to.signal().wakeIfParked();
            return true;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Ports handed from a busy worker to an idle one so far.
     *
     * @return count.
     */
    public long offloads()
    {
        return offloads.get();
    }

    private static Port[] with(final Port[] ports, final Port port)
    {
        final Port[] next = java.util.Arrays.copyOf(ports, ports.length + 1);
        next[ports.length] = port;
        return next;
    }

    private static Port[] without(final Port[] ports, final Port port)
    {
        final int at = indexOf(ports, port);
        if (at < 0)
        {
            return ports;
        }
        final Port[] next = new Port[ports.length - 1];
        System.arraycopy(ports, 0, next, 0, at);
        System.arraycopy(ports, at + 1, next, at, ports.length - at - 1);
        return next;
    }

    private static int indexOf(final Port[] ports, final Port port)
    {
        for (int i = 0; i < ports.length; i++)
        {
            if (ports[i] == port)
            {
                return i;
            }
        }
        return -1;
    }
}

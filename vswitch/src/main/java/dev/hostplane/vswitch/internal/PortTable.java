package dev.hostplane.vswitch.internal;

import java.util.ArrayList;
import java.util.List;

import dev.hostplane.vswitch.port.Port;

/**
 * Copy-on-write registry of the switch's ports, read by workers without locking: an array indexed
 * by port number and a dense array of every port. Writers are serialised by the switch.
 */
public final class PortTable
{
    private volatile Port[] byNumber = new Port[1];
    private volatile Port[] all = new Port[0];

    /**
     * Port by number (data plane).
     *
     * @param number port number.
     * @return the port, or null.
     */
    public Port get(final int number)
    {
        final Port[] ports = byNumber;
        return number > 0 && number < ports.length ? ports[number] : null;
    }

    /**
     * Every port (do not modify).
     *
     * @return ports.
     */
    public Port[] all()
    {
        return all;
    }

    /**
     * Lowest unused port number.
     *
     * @return number, from 1.
     */
    public synchronized int nextFreeNumber()
    {
        final Port[] ports = byNumber;
        for (int i = 1; i < ports.length; i++)
        {
            if (ports[i] == null)
            {
                return i;
            }
        }
        return Math.max(1, ports.length);
    }

    /**
     * Publishes a port under its number.
     *
     * @param port port with {@link Port#number()} set.
     */
    public synchronized void add(final Port port)
    {
        final int n = port.number();
        final Port[] next = java.util.Arrays.copyOf(byNumber, Math.max(byNumber.length, n + 1));
        if (next[n] != null)
        {
            throw new IllegalStateException("port number in use: number=" + n + " port=" + next[n].name());
        }
        next[n] = port;
        byNumber = next;
        rebuildAll(next);
    }

    /**
     * Unpublishes a port.
     *
     * @param number port number.
     * @return the removed port, or null.
     */
    public synchronized Port remove(final int number)
    {
        final Port existing = get(number);
        if (existing == null)
        {
            return null;
        }
        final Port[] next = byNumber.clone();
        next[number] = null;
        byNumber = next;
        rebuildAll(next);
        return existing;
    }

    private void rebuildAll(final Port[] ports)
    {
        final List<Port> list = new ArrayList<>();
        for (final Port p : ports)
        {
            if (p != null)
            {
                list.add(p);
            }
        }
        all = list.toArray(new Port[0]);
    }
}

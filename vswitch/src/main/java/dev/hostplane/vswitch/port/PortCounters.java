package dev.hostplane.vswitch.port;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Per-port counters (VS-D5): frames and bytes received from the endpoint into the switch (rx),
 * sent by the switch to the endpoint (tx), and drops on each side. Receive counters have a single
 * writer (the worker polling the port); transmit counters may be bumped by every worker, so all
 * updates are atomic adds. Readers see a consistent value per counter, not across counters.
 */
public final class PortCounters
{
    private static final VarHandle RX_PACKETS;
    private static final VarHandle RX_BYTES;
    private static final VarHandle RX_DROPPED;
    private static final VarHandle TX_PACKETS;
    private static final VarHandle TX_BYTES;
    private static final VarHandle TX_DROPPED;

    static
    {
        try
        {
            final MethodHandles.Lookup l = MethodHandles.lookup();
            RX_PACKETS = l.findVarHandle(PortCounters.class, "rxPackets", long.class);
            RX_BYTES = l.findVarHandle(PortCounters.class, "rxBytes", long.class);
            RX_DROPPED = l.findVarHandle(PortCounters.class, "rxDropped", long.class);
            TX_PACKETS = l.findVarHandle(PortCounters.class, "txPackets", long.class);
            TX_BYTES = l.findVarHandle(PortCounters.class, "txBytes", long.class);
            TX_DROPPED = l.findVarHandle(PortCounters.class, "txDropped", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    @SuppressWarnings("unused")
    private long rxPackets;
    @SuppressWarnings("unused")
    private long rxBytes;
    @SuppressWarnings("unused")
    private long rxDropped;
    @SuppressWarnings("unused")
    private long txPackets;
    @SuppressWarnings("unused")
    private long txBytes;
    @SuppressWarnings("unused")
    private long txDropped;

    /**
     * Counts frames received from the endpoint.
     *
     * @param packets frames.
     * @param bytes bytes.
     */
    public void addRx(final long packets, final long bytes)
    {
        RX_PACKETS.getAndAdd(this, packets);
        RX_BYTES.getAndAdd(this, bytes);
    }

    /**
     * Counts a received frame dropped (malformed, or the switch could not take it).
     */
    public void addRxDropped()
    {
        RX_DROPPED.getAndAdd(this, 1L);
    }

    /**
     * Counts a frame delivered to the endpoint.
     *
     * @param bytes frame length.
     */
    public void addTx(final long bytes)
    {
        TX_PACKETS.getAndAdd(this, 1L);
        TX_BYTES.getAndAdd(this, bytes);
    }

    /**
     * Counts a frame the endpoint could not take (ring or device queue full).
     */
    public void addTxDropped()
    {
        TX_DROPPED.getAndAdd(this, 1L);
    }

    /**
     * Frames received.
     *
     * @return count.
     */
    public long rxPackets()
    {
        return (long)RX_PACKETS.getVolatile(this);
    }

    /**
     * Bytes received.
     *
     * @return count.
     */
    public long rxBytes()
    {
        return (long)RX_BYTES.getVolatile(this);
    }

    /**
     * Received frames dropped.
     *
     * @return count.
     */
    public long rxDropped()
    {
        return (long)RX_DROPPED.getVolatile(this);
    }

    /**
     * Frames transmitted.
     *
     * @return count.
     */
    public long txPackets()
    {
        return (long)TX_PACKETS.getVolatile(this);
    }

    /**
     * Bytes transmitted.
     *
     * @return count.
     */
    public long txBytes()
    {
        return (long)TX_BYTES.getVolatile(this);
    }

    /**
     * Frames not transmitted because the endpoint was full.
     *
     * @return count.
     */
    public long txDropped()
    {
        return (long)TX_DROPPED.getVolatile(this);
    }

    @Override
    public String toString()
    {
        return "rx_packets=" + rxPackets() + " rx_bytes=" + rxBytes() + " rx_dropped=" + rxDropped() +
            " tx_packets=" + txPackets() + " tx_bytes=" + txBytes() + " tx_dropped=" + txDropped();
    }
}

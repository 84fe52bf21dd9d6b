package dev.hostplane.vswitch.port;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Per-port counters (VS-D5): frames and bytes received from the endpoint into the switch (rx),
 * sent by the switch to the endpoint (tx), and drops on each side.
 *
 * <p>Single-writer cells instead of atomic adds: receive counters are written only by the worker that
 * polls the port, transmit counters have one stripe per worker (any worker may transmit to any port),
 * each stripe on its own cache lines. Writers do a plain read-add-opaque-write of their own cell,
 * which costs no locked instruction; readers sum the stripes with opaque reads. A reader sees each
 * counter without tearing, but not a consistent snapshot across counters.
 */
public final class PortCounters
{
    /** Most workers that can transmit to a port. */
    public static final int MAX_WORKERS = 64;

    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int STRIDE = 16;
    private static final int RX_PACKETS = 0;
    private static final int RX_BYTES = 1;
    private static final int RX_DROPPED = 2;
    private static final int TX_PACKETS = 3;
    private static final int TX_BYTES = 4;
    private static final int TX_DROPPED = 5;
    private static final int TX_NOTIFICATIONS = 6;

    // Stripe s lives at [(s + 1) * STRIDE, (s + 2) * STRIDE): a leading and trailing pad keep it off
    // cache lines shared with other objects.
    private final long[] cells = new long[(MAX_WORKERS + 2) * STRIDE];

    /**
     * Counts frames received from the endpoint (polling worker only).
     *
     * @param packets frames.
     * @param bytes bytes.
     */
    public void addRx(final long packets, final long bytes)
    {
        add(0, RX_PACKETS, packets);
        add(0, RX_BYTES, bytes);
    }

    /**
     * Counts a received frame dropped: malformed, or not deliverable (polling worker only).
     */
    public void addRxDropped()
    {
        add(0, RX_DROPPED, 1);
    }

    /**
     * Counts a frame delivered to the endpoint.
     *
     * @param worker index of the transmitting worker.
     * @param bytes frame length.
     */
    public void addTx(final int worker, final long bytes)
    {
        add(worker, TX_PACKETS, 1);
        add(worker, TX_BYTES, bytes);
    }

    /**
     * Counts a frame the endpoint could not take (ring or device queue full).
     *
     * @param worker index of the transmitting worker.
     */
    public void addTxDropped(final int worker)
    {
        add(worker, TX_DROPPED, 1);
    }

    /**
     * Counts a wake-up the switch sent the endpoint (it was parked waiting for frames, or, with
     * batched notification off, it was sent one per frame whatever it was doing).
     *
     * @param worker index of the notifying worker.
     */
    public void addNotification(final int worker)
    {
        add(worker, TX_NOTIFICATIONS, 1);
    }

    /**
     * Wake-ups sent to the endpoint (see {@link #addNotification(int)}); always 0 for ports whose
     * endpoint the switch does not wake (TAP devices).
     *
     * @return count.
     */
    public long notifications()
    {
        return sum(TX_NOTIFICATIONS);
    }

    /**
     * Frames received.
     *
     * @return count.
     */
    public long rxPackets()
    {
        return sum(RX_PACKETS);
    }

    /**
     * Bytes received.
     *
     * @return count.
     */
    public long rxBytes()
    {
        return sum(RX_BYTES);
    }

    /**
     * Received frames dropped.
     *
     * @return count.
     */
    public long rxDropped()
    {
        return sum(RX_DROPPED);
    }

    /**
     * Frames transmitted.
     *
     * @return count.
     */
    public long txPackets()
    {
        return sum(TX_PACKETS);
    }

    /**
     * Bytes transmitted.
     *
     * @return count.
     */
    public long txBytes()
    {
        return sum(TX_BYTES);
    }

    /**
     * Frames not transmitted because the endpoint was full.
     *
     * @return count.
     */
    public long txDropped()
    {
        return sum(TX_DROPPED);
    }

    @Override
    public String toString()
    {
        return "rx_packets=" + rxPackets() + " rx_bytes=" + rxBytes() + " rx_dropped=" + rxDropped() +
            " tx_packets=" + txPackets() + " tx_bytes=" + txBytes() + " tx_dropped=" + txDropped();
    }

    private void add(final int stripe, final int field, final long delta)
    {
        final int i = (stripe + 1) * STRIDE + field;
        CELLS.setOpaque(cells, i, (long)CELLS.getOpaque(cells, i) + delta);
    }

    private long sum(final int field)
    {
        long total = 0;
        for (int s = 1; s <= MAX_WORKERS; s++)
        {
            total += (long)CELLS.getOpaque(cells, s * STRIDE + field);
        }
        return total;
    }
}

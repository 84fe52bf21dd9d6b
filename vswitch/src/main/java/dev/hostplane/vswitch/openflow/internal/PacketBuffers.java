package dev.hostplane.vswitch.openflow.internal;

/**
 * The switch's packet buffers (OpenFlow {@code buffer_id}): frames sent to the controller
 * truncated to {@code max_len} are kept here whole, so a PACKET_OUT or FLOW_MOD can name them
 * instead of sending the bytes back. A fixed ring: the oldest buffer is reused when the ring is
 * full, and an id carries a generation so a reused slot's old id is reported unknown rather than
 * naming a different frame.
 */
public final class PacketBuffers
{
    /** Buffered frame and the port it came in on. */
    public record Buffered(byte[] frame, int inPort)
    {
    }

    private final Buffered[] slots;
    private final int[] ids;
    private final int mask;
    private int next;
    private int generation;

    /**
     * Creates the buffers.
     *
     * @param capacity number of buffers, a power of two up to 4096.
     */
    public PacketBuffers(final int capacity)
    {
        if (Integer.bitCount(capacity) != 1 || capacity > 4096)
        {
            throw new IllegalArgumentException("buffer count must be a power of two up to 4096: " + capacity);
        }
        slots = new Buffered[capacity];
        ids = new int[capacity];
        mask = capacity - 1;
    }

    /**
     * Number of buffers (FEATURES_REPLY n_buffers).
     *
     * @return capacity.
     */
    public int capacity()
    {
        return slots.length;
    }

    /**
     * Keeps a frame.
     *
     * @param frame the whole frame (owned by the buffers from now on).
     * @param inPort its ingress port.
     * @return the buffer id (never OFP_NO_BUFFER).
     */
    public synchronized int store(final byte[] frame, final int inPort)
    {
        final int slot = next;
        next = (next + 1) & mask;
        if (slot == 0)
        {
            generation = (generation + 1) & 0xFFFF;
        }
        // Slot in the low bits, generation above: distinct from 0xffffffff (OFP_NO_BUFFER).
        final int id = (generation << 12) | slot;
        slots[slot] = new Buffered(frame, inPort);
        ids[slot] = id;
        return id;
    }

    /**
     * Takes a buffered frame out (a buffer is used at most once).
     *
     * @param id buffer id.
     * @return the frame, or null when the id is unknown or its buffer was reused.
     */
    public synchronized Buffered take(final int id)
    {
        final int slot = id & 0xFFF;
        if (slot > mask || ids[slot] != id || slots[slot] == null)
        {
            return null;
        }
        final Buffered b = slots[slot];
        slots[slot] = null;
        return b;
    }
}

package dev.hostplane.vswitch.port;

import java.nio.ByteBuffer;

import dev.hostplane.vswitch.tap.VirtioNetHeader;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A batch of up to {@link #MAX_BATCH} frame slots, preallocated off-heap and reused by one worker
 * (VS-D6). Each slot has {@link #HEADROOM} bytes before the frame, where a port that speaks
 * virtio_net_hdr keeps the offload header, and room after it for a VLAN push.
 */
public final class FrameBatch
{
    /** Largest batch (as Open vSwitch's NETDEV_MAX_BURST). */
    public static final int MAX_BATCH = 32;
    /** Bytes before the frame in every slot. */
    public static final int HEADROOM = 16;
    /** Offset of the virtio_net_hdr in a slot (it ends where the frame starts). */
    public static final int VNET_OFFSET = HEADROOM - VirtioNetHeader.LENGTH_MRG;
    /** Largest frame a slot holds: a 64 KiB GSO frame plus L2 header and VLAN tags. */
    public static final int MAX_FRAME = 65536 + 64;
    /** Bytes per slot. */
    public static final int SLOT_CAPACITY = HEADROOM + MAX_FRAME + 16;

    private final UnsafeBuffer[] slots;
    private final int[] lengths;
    private final boolean[] offload;
    private int size;

    /**
     * Allocates a batch.
     *
     * @param capacity slots, 1..{@link #MAX_BATCH}.
     */
    public FrameBatch(final int capacity)
    {
        if (capacity < 1 || capacity > MAX_BATCH)
        {
            throw new IllegalArgumentException("batch capacity must be 1..32: capacity=" + capacity);
        }
        slots = new UnsafeBuffer[capacity];
        lengths = new int[capacity];
        offload = new boolean[capacity];
        for (int i = 0; i < capacity; i++)
        {
            slots[i] = new UnsafeBuffer(ByteBuffer.allocateDirect(SLOT_CAPACITY));
        }
    }

    /**
     * Number of slots.
     *
     * @return capacity.
     */
    public int capacity()
    {
        return slots.length;
    }

    /**
     * Frames currently in the batch.
     *
     * @return count.
     */
    public int size()
    {
        return size;
    }

    /**
     * Empties the batch.
     */
    public void clear()
    {
        size = 0;
    }

    /**
     * The slot buffer the next frame should be written into ({@link #size()} must be below capacity).
     *
     * @return the slot; the frame goes at {@link #HEADROOM}.
     */
    public UnsafeBuffer nextSlot()
    {
        return slots[size];
    }

    /**
     * Commits the frame just written into {@link #nextSlot()}.
     *
     * @param frameLength bytes at {@link #HEADROOM}.
     * @param hasOffloadHeader whether the slot's virtio_net_hdr is meaningful.
     */
    public void commit(final int frameLength, final boolean hasOffloadHeader)
    {
        lengths[size] = frameLength;
        offload[size] = hasOffloadHeader;
        size++;
    }

    /**
     * Slot buffer of frame {@code i}.
     *
     * @param i index.
     * @return buffer.
     */
    public UnsafeBuffer buffer(final int i)
    {
        return slots[i];
    }

    /**
     * Length of frame {@code i}.
     *
     * @param i index.
     * @return bytes.
     */
    public int length(final int i)
    {
        return lengths[i];
    }

    /**
     * Whether frame {@code i} carries a virtio_net_hdr.
     *
     * @param i index.
     * @return true when the header at {@link #VNET_OFFSET} is meaningful.
     */
    public boolean hasOffloadHeader(final int i)
    {
        return offload[i];
    }
}

package dev.hostplane.vswitch.internal;

import java.nio.ByteBuffer;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Carries packet-ins from the workers (many producers) to the control thread (one consumer): a
 * {@link ManyToOneRingBuffer}; each record is a small header plus the frame bytes. Full means the
 * packet-in is dropped and counted, never that a worker waits.
 */
public final class PacketInRing
{
    /** Offset of the ingress port. */
    public static final int IN_PORT_OFFSET = 0;
    /** Offset of the reason. */
    public static final int REASON_OFFSET = 4;
    /** Offset of the cookie. */
    public static final int COOKIE_OFFSET = 8;
    /** Offset of the original frame length. */
    public static final int TOTAL_LENGTH_OFFSET = 16;
    /** Offset of the number of bytes the controller asked for (65535 = whole frame). */
    public static final int REQUESTED_LENGTH_OFFSET = 20;
    /** Header length; frame bytes follow. */
    public static final int HEADER_LENGTH = 24;
    private static final int MSG_PACKET_IN = 1;

    private final ManyToOneRingBuffer ring;

    /**
     * Creates the ring.
     *
     * @param capacity bytes, a power of two.
     */
    public PacketInRing(final int capacity)
    {
        ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    /**
     * Producer side: records a packet-in.
     *
     * @param inPort ingress port.
     * @param reason reason code.
     * @param cookie rule cookie.
     * @param frame frame buffer.
     * @param offset frame start.
     * @param length bytes to include.
     * @param totalLength original frame length.
     * @return false when the ring is full.
     */
    public boolean write(
        final int inPort,
        final int reason,
        final long cookie,
        final DirectBuffer frame,
        final int offset,
        final int length,
        final int totalLength)
    {
        return write(inPort, reason, cookie, frame, offset, length, totalLength, 0xFFFF);
    }

    /**
     * Producer side: records a packet-in that carries more of the frame than the controller asked
     * for (the OpenFlow agent buffers the frame and sends {@code requestedLength} bytes).
     *
     * @param inPort ingress port.
     * @param reason reason code.
     * @param cookie rule cookie.
     * @param frame frame buffer.
     * @param offset frame start.
     * @param length bytes to include.
     * @param totalLength original frame length.
     * @param requestedLength bytes the controller asked for (65535 = whole frame).
     * @return false when the ring is full.
     */
    public boolean write(
        final int inPort,
        final int reason,
        final long cookie,
        final DirectBuffer frame,
        final int offset,
        final int length,
        final int totalLength,
        final int requestedLength)
    {
        final int index = ring.tryClaim(MSG_PACKET_IN, HEADER_LENGTH + length);
        if (index <= 0)
        {
            return false;
        }
        final org.agrona.concurrent.AtomicBuffer b = ring.buffer();
        b.putInt(index + IN_PORT_OFFSET, inPort);
        b.putInt(index + REASON_OFFSET, reason);
        b.putLong(index + COOKIE_OFFSET, cookie);
        b.putInt(index + TOTAL_LENGTH_OFFSET, totalLength);
        b.putInt(index + REQUESTED_LENGTH_OFFSET, requestedLength);
        b.putBytes(index + HEADER_LENGTH, frame, offset, length);
        ring.commit(index);
        return true;
    }

    /**
     * Consumer side: reads records.
     *
     * @param handler receives each record.
     * @param limit most records.
     * @return records read.
     */
    public int read(final MessageHandler handler, final int limit)
    {
        return ring.read(handler, limit);
    }

    /**
     * Largest record.
     *
     * @return bytes.
     */
    public int maxMessageLength()
    {
        return ring.maxMsgLength();
    }

    RingBuffer ring()
    {
        return ring;
    }
}

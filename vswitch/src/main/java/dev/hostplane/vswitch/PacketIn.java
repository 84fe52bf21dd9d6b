package dev.hostplane.vswitch;

import org.agrona.DirectBuffer;

/**
 * A packet sent to the controller (VS-C1). The object and its buffer are reused: they are valid only
 * during {@link PacketInListener#onPacketIn(PacketIn)}; call {@link #copyFrame()} to keep the bytes.
 */
public final class PacketIn
{
    /** Reason: the table-miss rule sent it. */
    public static final int REASON_NO_MATCH = 0;
    /** Reason: an explicit controller action. */
    public static final int REASON_ACTION = 1;

    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int totalLength;
    private int inPort;
    private int reason;
    private long cookie;
    private int requestedLength = 0xFFFF;

    PacketIn set(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final int totalLength,
        final int inPort,
        final int reason,
        final long cookie)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.totalLength = totalLength;
        this.inPort = inPort;
        this.reason = reason;
        this.cookie = cookie;
        return this;
    }

    PacketIn requestedLength(final int requested)
    {
        this.requestedLength = requested;
        return this;
    }

    /**
     * Bytes of the frame the controller asked for. Smaller than {@link #length()} only for
     * {@link dev.hostplane.vswitch.action.Actions#controllerBuffered(int)}, where the listener gets
     * the whole frame so that it can buffer it.
     *
     * @return 0..65535 (65535 = the whole frame).
     */
    public int requestedLength()
    {
        return requestedLength;
    }

    /**
     * Buffer holding the (possibly truncated) frame.
     *
     * @return buffer.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Frame start in {@link #buffer()}.
     *
     * @return offset.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * Bytes of the frame included.
     *
     * @return length.
     */
    public int length()
    {
        return length;
    }

    /**
     * Original frame length.
     *
     * @return bytes.
     */
    public int totalLength()
    {
        return totalLength;
    }

    /**
     * Ingress port.
     *
     * @return port number.
     */
    public int inPort()
    {
        return inPort;
    }

    /**
     * Why it was sent.
     *
     * @return {@link #REASON_NO_MATCH} or {@link #REASON_ACTION}.
     */
    public int reason()
    {
        return reason;
    }

    /**
     * Cookie of the rule that sent it.
     *
     * @return cookie.
     */
    public long cookie()
    {
        return cookie;
    }

    /**
     * Copies the included frame bytes.
     *
     * @return a new array.
     */
    public byte[] copyFrame()
    {
        final byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        return copy;
    }
}

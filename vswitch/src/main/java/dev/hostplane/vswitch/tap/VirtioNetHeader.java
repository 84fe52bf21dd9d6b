package dev.hostplane.vswitch.tap;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over {@code struct virtio_net_hdr} (virtio spec 5.1.6), the header the kernel puts in
 * front of every frame read from, and expects in front of every frame written to, a TUN/TAP device
 * opened with {@link TunTapDevice#IFF_VNET_HDR}. It carries GSO (one up-to-64 KiB TCP segment
 * the kernel splits later) and checksum-offload metadata, which is what lets whole super-frames
 * cross a user-space switch in one syscall.
 *
 * <p>Fields are in host byte order (little-endian here; legacy virtio on a little-endian host).
 * The 12-byte variant adds {@code num_buffers}, used by the switch to stay 4-byte aligned.
 */
public final class VirtioNetHeader
{
    /** Size of the basic header. */
    public static final int LENGTH = 10;
    /** Size of the header with {@code num_buffers} (mergeable receive buffers). */
    public static final int LENGTH_MRG = 12;
    /** Flags: the L4 checksum must be completed from csum_start/csum_offset. */
    public static final int F_NEEDS_CSUM = 1;
    /** Flags: the checksum has been validated. */
    public static final int F_DATA_VALID = 2;
    /** GSO type: not a GSO frame. */
    public static final int GSO_NONE = 0;
    /** GSO type: TCP over IPv4. */
    public static final int GSO_TCPV4 = 1;
    /** GSO type: UDP (UFO). */
    public static final int GSO_UDP = 3;
    /** GSO type: TCP over IPv6. */
    public static final int GSO_TCPV6 = 4;
    /** GSO type flag: ECN. */
    public static final int GSO_ECN = 0x80;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private DirectBuffer buffer;
    private int offset;

    /**
     * Points the flyweight at a header.
     *
     * @param buffer holding the header.
     * @param offset of its first byte.
     * @return this.
     */
    public VirtioNetHeader wrap(final DirectBuffer buffer, final int offset)
    {
        if (offset < 0 || offset + LENGTH > buffer.capacity())
        {
            throw new IndexOutOfBoundsException("offset=" + offset + " capacity=" + buffer.capacity());
        }
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Flags byte.
     *
     * @return flags.
     */
    public int flags()
    {
        return buffer.getByte(offset) & 0xFF;
    }

    /**
     * GSO type byte.
     *
     * @return GSO type.
     */
    public int gsoType()
    {
        return buffer.getByte(offset + 1) & 0xFF;
    }

    /**
     * Length of the headers to copy to every segment.
     *
     * @return bytes.
     */
    public int headerLength()
    {
        return buffer.getShort(offset + 2, ORDER) & 0xFFFF;
    }

    /**
     * Segment payload size for GSO.
     *
     * @return bytes.
     */
    public int gsoSize()
    {
        return buffer.getShort(offset + 4, ORDER) & 0xFFFF;
    }

    /**
     * Where checksumming starts, relative to the frame.
     *
     * @return offset.
     */
    public int checksumStart()
    {
        return buffer.getShort(offset + 6, ORDER) & 0xFFFF;
    }

    /**
     * Where to store the checksum, relative to {@link #checksumStart()}.
     *
     * @return offset.
     */
    public int checksumOffset()
    {
        return buffer.getShort(offset + 8, ORDER) & 0xFFFF;
    }

    /**
     * Whether this describes a GSO super-frame.
     *
     * @return true when gso type is not NONE.
     */
    public boolean isGso()
    {
        return (gsoType() & ~GSO_ECN) != GSO_NONE;
    }

    /**
     * Writes every field.
     *
     * @param flags flags.
     * @param gsoType GSO type.
     * @param headerLength header length.
     * @param gsoSize segment size.
     * @param checksumStart checksum start.
     * @param checksumOffset checksum offset.
     * @return this.
     */
    public VirtioNetHeader write(
        final int flags,
        final int gsoType,
        final int headerLength,
        final int gsoSize,
        final int checksumStart,
        final int checksumOffset)
    {
        final MutableDirectBuffer b = mutable();
        b.putByte(offset, (byte)flags);
        b.putByte(offset + 1, (byte)gsoType);
        b.putShort(offset + 2, (short)headerLength, ORDER);
        b.putShort(offset + 4, (short)gsoSize, ORDER);
        b.putShort(offset + 6, (short)checksumStart, ORDER);
        b.putShort(offset + 8, (short)checksumOffset, ORDER);
        return this;
    }

    /**
     * Writes an all-zero header (plain frame, checksum complete).
     *
     * @param headerSize {@link #LENGTH} or {@link #LENGTH_MRG}.
     * @return this.
     */
    public VirtioNetHeader clear(final int headerSize)
    {
        mutable().setMemory(offset, headerSize, (byte)0);
        return this;
    }

    private MutableDirectBuffer mutable()
    {
        if (buffer instanceof MutableDirectBuffer)
        {
            return (MutableDirectBuffer)buffer;
        }
        throw new IllegalStateException("buffer is read-only: type=" + buffer.getClass().getName());
    }
}

package dev.hostplane.vswitch.packet;

/**
 * Flyweight over an IPv6 header (RFC 8200) and its chain of extension headers.
 *
 * <p>{@link #headerLength()} is the fixed 40 bytes; {@link #parseExtensionHeaders()} walks
 * hop-by-hop, routing, fragment, destination-options, AH and mobility headers to find the
 * upper-layer protocol and where it starts, and remembers the result in this flyweight until the
 * next {@code wrap}. Addresses are read as two {@code long}s (high and low 64 bits) so that they can
 * be matched without allocation.
 */
public final class Ipv6Header extends HeaderFlyweight<Ipv6Header>
{
    /** Length of the fixed header. */
    public static final int HEADER_LENGTH = 40;
    /** Offset of the payload length. */
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    /** Offset of the next-header field. */
    public static final int NEXT_HEADER_OFFSET = 6;
    /** Offset of the hop limit. */
    public static final int HOP_LIMIT_OFFSET = 7;
    /** Offset of the source address. */
    public static final int SOURCE_OFFSET = 8;
    /** Offset of the destination address. */
    public static final int DESTINATION_OFFSET = 24;
    /** Most extension headers followed before giving up (defends against looping chains). */
    public static final int MAX_EXTENSION_HEADERS = 16;

    private int upperLayerProtocol = -1;
    private int upperLayerOffset = -1;
    private int fragmentField = -1;

    @Override
    public Ipv6Header wrap(final org.agrona.DirectBuffer buffer, final int offset, final int length)
    {
        upperLayerProtocol = -1;
        upperLayerOffset = -1;
        fragmentField = -1;
        return super.wrap(buffer, offset, length);
    }

    @Override
    public Ipv6Header wrap(final java.nio.ByteBuffer buffer, final int offset, final int length)
    {
        upperLayerProtocol = -1;
        upperLayerOffset = -1;
        fragmentField = -1;
        return super.wrap(buffer, offset, length);
    }

    /**
     * Checks version 6, the fixed header within the wrapped bytes, and the payload length within
     * them (a shorter payload length is fine: Ethernet padding).
     *
     * @return true when well-formed.
     */
    @Override
    public boolean isValid()
    {
        return length >= HEADER_LENGTH && (u8(0) >>> 4) == 6 && HEADER_LENGTH + payloadLength() <= length;
    }

    @Override
    public int headerLength()
    {
        return HEADER_LENGTH;
    }

    /**
     * Traffic class (DSCP &lt;&lt; 2 | ECN).
     *
     * @return 0..255.
     */
    public int trafficClass()
    {
        return (u16(0) >>> 4) & 0xFF;
    }

    /**
     * Flow label.
     *
     * @return 20-bit label.
     */
    public int flowLabel()
    {
        return i32(0) & 0xF_FFFF;
    }

    /**
     * Payload length (extension headers plus upper-layer data).
     *
     * @return bytes.
     */
    public int payloadLength()
    {
        return u16(PAYLOAD_LENGTH_OFFSET);
    }

    /**
     * Next header of the fixed header.
     *
     * @return protocol number.
     */
    public int nextHeader()
    {
        return u8(NEXT_HEADER_OFFSET);
    }

    /**
     * Hop limit.
     *
     * @return 0..255.
     */
    public int hopLimit()
    {
        return u8(HOP_LIMIT_OFFSET);
    }

    /**
     * Sets the hop limit (IPv6 has no header checksum).
     *
     * @param hopLimit 0..255.
     * @return this.
     */
    public Ipv6Header hopLimit(final int hopLimit)
    {
        putU8(HOP_LIMIT_OFFSET, hopLimit);
        return this;
    }

    /**
     * Sets the traffic class.
     *
     * @param trafficClass 0..255.
     * @return this.
     */
    public Ipv6Header trafficClass(final int trafficClass)
    {
        final int word = i32(0);
        putI32(0, (word & 0xF00F_FFFF) | ((trafficClass & 0xFF) << 20));
        return this;
    }

    /**
     * Sets the flow label.
     *
     * @param label 20-bit label.
     * @return this.
     */
    public Ipv6Header flowLabel(final int label)
    {
        final int word = i32(0);
        putI32(0, (word & 0xFFF0_0000) | (label & 0xF_FFFF));
        return this;
    }

    /**
     * High 64 bits of the source address.
     *
     * @return bits.
     */
    public long sourceHigh()
    {
        return buffer.getLong(offset + SOURCE_OFFSET, NETWORK_ORDER);
    }

    /**
     * Low 64 bits of the source address.
     *
     * @return bits.
     */
    public long sourceLow()
    {
        return buffer.getLong(offset + SOURCE_OFFSET + 8, NETWORK_ORDER);
    }

    /**
     * High 64 bits of the destination address.
     *
     * @return bits.
     */
    public long destinationHigh()
    {
        return buffer.getLong(offset + DESTINATION_OFFSET, NETWORK_ORDER);
    }

    /**
     * Low 64 bits of the destination address.
     *
     * @return bits.
     */
    public long destinationLow()
    {
        return buffer.getLong(offset + DESTINATION_OFFSET + 8, NETWORK_ORDER);
    }

    /**
     * Sets the source address.
     *
     * @param high top 64 bits.
     * @param low bottom 64 bits.
     * @return this.
     */
    public Ipv6Header source(final long high, final long low)
    {
        mutable().putLong(offset + SOURCE_OFFSET, high, NETWORK_ORDER);
        mutable().putLong(offset + SOURCE_OFFSET + 8, low, NETWORK_ORDER);
        return this;
    }

    /**
     * Sets the destination address.
     *
     * @param high top 64 bits.
     * @param low bottom 64 bits.
     * @return this.
     */
    public Ipv6Header destination(final long high, final long low)
    {
        mutable().putLong(offset + DESTINATION_OFFSET, high, NETWORK_ORDER);
        mutable().putLong(offset + DESTINATION_OFFSET + 8, low, NETWORK_ORDER);
        return this;
    }

    /**
     * Writes the fixed header.
     *
     * @param trafficClass traffic class.
     * @param flowLabel 20-bit flow label.
     * @param payloadLength bytes after the fixed header.
     * @param nextHeader next header.
     * @param hopLimit hop limit.
     * @param srcHigh source top 64 bits.
     * @param srcLow source bottom 64 bits.
     * @param dstHigh destination top 64 bits.
     * @param dstLow destination bottom 64 bits.
     * @return this.
     */
    public Ipv6Header write(
        final int trafficClass,
        final int flowLabel,
        final int payloadLength,
        final int nextHeader,
        final int hopLimit,
        final long srcHigh,
        final long srcLow,
        final long dstHigh,
        final long dstLow)
    {
        putI32(0, (6 << 28) | ((trafficClass & 0xFF) << 20) | (flowLabel & 0xF_FFFF));
        putU16(PAYLOAD_LENGTH_OFFSET, payloadLength);
        putU8(NEXT_HEADER_OFFSET, nextHeader);
        putU8(HOP_LIMIT_OFFSET, hopLimit);
        source(srcHigh, srcLow);
        destination(dstHigh, dstLow);
        return this;
    }

    /**
     * Walks the extension-header chain. Afterwards {@link #upperLayerProtocol()} and
     * {@link #upperLayerOffset()} describe the upper-layer header.
     *
     * @return false when the chain is truncated, too long, or runs past the payload.
     */
    public boolean parseExtensionHeaders()
    {
        final int end = offset + HEADER_LENGTH + payloadLength();
        int next = nextHeader();
        int at = offset + HEADER_LENGTH;
        fragmentField = -1;
        for (int i = 0; i < MAX_EXTENSION_HEADERS; i++)
        {
            switch (next)
            {
                case IpProtocols.HOPOPT:
                case IpProtocols.IPV6_ROUTE:
                case IpProtocols.IPV6_OPTS:
                case IpProtocols.MOBILITY:
                {
                    if (at + 8 > end)
                    {
                        return false;
                    }
                    final int len = ((buffer.getByte(at + 1) & 0xFF) + 1) * 8;
                    next = buffer.getByte(at) & 0xFF;
                    at += len;
                    break;
                }
                case IpProtocols.AH:
                {
                    if (at + 8 > end)
                    {
                        return false;
                    }
                    final int len = ((buffer.getByte(at + 1) & 0xFF) + 2) * 4;
                    next = buffer.getByte(at) & 0xFF;
                    at += len;
                    break;
                }
                case IpProtocols.IPV6_FRAG:
                {
                    if (at + 8 > end)
                    {
                        return false;
                    }
                    fragmentField = buffer.getShort(at + 2, NETWORK_ORDER) & 0xFFFF;
                    next = buffer.getByte(at) & 0xFF;
                    at += 8;
                    break;
                }
                default:
                    if (at > end)
                    {
                        return false;
                    }
                    upperLayerProtocol = next;
                    upperLayerOffset = at;
                    return true;
            }
        }
        return false;
    }

    /**
     * Upper-layer protocol found by {@link #parseExtensionHeaders()}.
     *
     * @return protocol number, or -1 before a successful walk.
     */
    public int upperLayerProtocol()
    {
        return upperLayerProtocol;
    }

    /**
     * Absolute buffer offset of the upper-layer header found by {@link #parseExtensionHeaders()}.
     *
     * @return offset, or -1 before a successful walk.
     */
    public int upperLayerOffset()
    {
        return upperLayerOffset;
    }

    /**
     * Upper-layer length (payload end minus upper-layer offset), for pseudo-header sums.
     *
     * @return bytes, or -1 before a successful walk.
     */
    public int upperLayerLength()
    {
        return upperLayerOffset < 0 ? -1 : offset + HEADER_LENGTH + payloadLength() - upperLayerOffset;
    }

    /**
     * Whether the walk met a fragment header.
     *
     * @return true for a fragment.
     */
    public boolean isFragment()
    {
        return fragmentField >= 0;
    }

    /**
     * Whether the walk met a fragment header with a non-zero offset (no L4 header here).
     *
     * @return true for a later fragment.
     */
    public boolean isLaterFragment()
    {
        return fragmentField >= 0 && (fragmentField & 0xFFF8) != 0;
    }

    /**
     * Pseudo-header sum for the upper layer found by the walk.
     *
     * @return folded sum.
     */
    public int pseudoHeaderSum()
    {
        return Checksums.pseudoHeaderSumV6(
            buffer, offset + SOURCE_OFFSET, offset + DESTINATION_OFFSET, upperLayerProtocol, upperLayerLength());
    }
}

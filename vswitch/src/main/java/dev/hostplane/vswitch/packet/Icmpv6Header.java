package dev.hostplane.vswitch.packet;

/**
 * Flyweight over an ICMPv6 header (RFC 4443). Unlike ICMP for IPv4 its checksum includes the IPv6
 * pseudo header: pass {@link Ipv6Header#pseudoHeaderSum()} after
 * {@link Ipv6Header#parseExtensionHeaders()}.
 */
public final class Icmpv6Header extends HeaderFlyweight<Icmpv6Header>
{
    /** Header length (type, code, checksum, 4 bytes of message body). */
    public static final int HEADER_LENGTH = 8;
    /** Offset of the checksum. */
    public static final int CHECKSUM_OFFSET = 2;
    /** Echo request. */
    public static final int TYPE_ECHO_REQUEST = 128;
    /** Echo reply. */
    public static final int TYPE_ECHO_REPLY = 129;
    /** Router solicitation. */
    public static final int TYPE_ROUTER_SOLICITATION = 133;
    /** Neighbor solicitation. */
    public static final int TYPE_NEIGHBOR_SOLICITATION = 135;
    /** Neighbor advertisement. */
    public static final int TYPE_NEIGHBOR_ADVERTISEMENT = 136;

    @Override
    public boolean isValid()
    {
        return length >= 4;
    }

    @Override
    public int headerLength()
    {
        return HEADER_LENGTH;
    }

    /**
     * Message type.
     *
     * @return 0..255.
     */
    public int type()
    {
        return u8(0);
    }

    /**
     * Message code.
     *
     * @return 0..255.
     */
    public int code()
    {
        return u8(1);
    }

    /**
     * Stored checksum.
     *
     * @return 16 bits.
     */
    public int checksum()
    {
        return u16(CHECKSUM_OFFSET);
    }

    /**
     * Echo identifier.
     *
     * @return 16 bits.
     */
    public int identifier()
    {
        return u16(4);
    }

    /**
     * Echo sequence number.
     *
     * @return 16 bits.
     */
    public int sequence()
    {
        return u16(6);
    }

    /**
     * Writes type, code and the 4-byte body as identifier/sequence, zeroing the checksum.
     *
     * @param type message type.
     * @param code message code.
     * @param identifier echo identifier.
     * @param sequence echo sequence.
     * @return this.
     */
    public Icmpv6Header write(final int type, final int code, final int identifier, final int sequence)
    {
        putU8(0, type);
        putU8(1, code);
        putU16(CHECKSUM_OFFSET, 0);
        putU16(4, identifier);
        putU16(6, sequence);
        return this;
    }

    /**
     * Computes and stores the checksum.
     *
     * @param pseudoHeaderSum IPv6 pseudo-header sum.
     * @param messageLength ICMPv6 header plus data.
     * @return this.
     */
    public Icmpv6Header updateChecksum(final int pseudoHeaderSum, final int messageLength)
    {
        putU16(CHECKSUM_OFFSET, 0);
        putU16(CHECKSUM_OFFSET,
            Checksums.finish(Checksums.add(pseudoHeaderSum, Checksums.sum(buffer, offset, messageLength))));
        return this;
    }

    /**
     * Verifies the stored checksum.
     *
     * @param pseudoHeaderSum IPv6 pseudo-header sum.
     * @param messageLength ICMPv6 header plus data.
     * @return true when it verifies.
     */
    public boolean isChecksumValid(final int pseudoHeaderSum, final int messageLength)
    {
        return Checksums.isValid(Checksums.add(pseudoHeaderSum, Checksums.sum(buffer, offset, messageLength)));
    }
}

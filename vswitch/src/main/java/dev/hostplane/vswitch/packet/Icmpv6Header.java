package dev.hostplane.vswitch.packet;

/**
 * Flyweight over an ICMPv6 header (RFC 4443). Unlike ICMP for IPv4 its checksum includes the IPv6
 * pseudo header: pass {@link Ipv6Header#pseudoHeaderSum()} after
 * {@link Ipv6Header#parseExtensionHeaders()}.
 */
public final class Icmpv6Header extends IcmpFamilyHeader<Icmpv6Header>
{
    /** Header length (type, code, checksum, 4 bytes of message body). */
    public static final int HEADER_LENGTH = FIXED_LENGTH;
    /** Offset of the checksum. */
    public static final int CHECKSUM_OFFSET = CHECKSUM_AT;
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

package dev.hostplane.vswitch.packet;

/**
 * Flyweight over an ICMP (IPv4, RFC 792) header. The checksum covers the ICMP message only, with no
 * pseudo header. Identifier and sequence apply to echo request/reply.
 */
public final class IcmpHeader extends IcmpFamilyHeader<IcmpHeader>
{
    /** Header length (type, code, checksum, rest-of-header). */
    public static final int HEADER_LENGTH = FIXED_LENGTH;
    /** Offset of the checksum. */
    public static final int CHECKSUM_OFFSET = CHECKSUM_AT;
    /** Echo reply. */
    public static final int TYPE_ECHO_REPLY = 0;
    /** Destination unreachable. */
    public static final int TYPE_DEST_UNREACHABLE = 3;
    /** Echo request. */
    public static final int TYPE_ECHO_REQUEST = 8;
    /** Time exceeded. */
    public static final int TYPE_TIME_EXCEEDED = 11;

    @Override
    public boolean isValid()
    {
        return length >= HEADER_LENGTH;
    }

    /**
     * Sets type (no checksum update).
     *
     * @param type message type.
     * @return this.
     */
    public IcmpHeader type(final int type)
    {
        putU8(0, type);
        return this;
    }

    /**
     * Computes and stores the checksum over {@code messageLength} bytes.
     *
     * @param messageLength ICMP header plus data.
     * @return this.
     */
    public IcmpHeader updateChecksum(final int messageLength)
    {
        putU16(CHECKSUM_OFFSET, 0);
        putU16(CHECKSUM_OFFSET, Checksums.checksum(buffer, offset, messageLength));
        return this;
    }

    /**
     * Verifies the stored checksum.
     *
     * @param messageLength ICMP header plus data.
     * @return true when it verifies.
     */
    public boolean isChecksumValid(final int messageLength)
    {
        return Checksums.isValid(Checksums.sum(buffer, offset, messageLength));
    }
}

package dev.hostplane.vswitch.packet;

/**
 * Flyweight over an ICMP (IPv4, RFC 792) header. The checksum covers the ICMP message only, with no
 * pseudo header. Identifier and sequence apply to echo request/reply.
 */
public final class IcmpHeader extends HeaderFlyweight<IcmpHeader>
{
    /** Header length (type, code, checksum, rest-of-header). */
    public static final int HEADER_LENGTH = 8;
    /** Offset of the checksum. */
    public static final int CHECKSUM_OFFSET = 2;
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
     * Writes type, code, identifier and sequence, zeroing the checksum.
     *
     * @param type message type.
     * @param code message code.
     * @param identifier echo identifier (or rest-of-header high half).
     * @param sequence echo sequence (or rest-of-header low half).
     * @return this.
     */
    public IcmpHeader write(final int type, final int code, final int identifier, final int sequence)
    {
        putU8(0, type);
        putU8(1, code);
        putU16(CHECKSUM_OFFSET, 0);
        putU16(4, identifier);
        putU16(6, sequence);
        return this;
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

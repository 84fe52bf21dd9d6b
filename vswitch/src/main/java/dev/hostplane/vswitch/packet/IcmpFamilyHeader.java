package dev.hostplane.vswitch.packet;

/**
 * The fields ICMP (RFC 792) and ICMPv6 (RFC 4443) lay out alike: type, code, checksum and a
 * 4-byte rest-of-header read as echo identifier and sequence. The subclasses differ in type
 * numbers, minimum length and whether the checksum covers a pseudo header.
 *
 * @param <T> concrete flyweight type.
 */
abstract class IcmpFamilyHeader<T extends IcmpFamilyHeader<T>> extends HeaderFlyweight<T>
{
    /** Type, code, checksum and the 4-byte rest-of-header. */
    static final int FIXED_LENGTH = 8;
    /** Offset of the checksum. */
    static final int CHECKSUM_AT = 2;

    @Override
    public int headerLength()
    {
        return FIXED_LENGTH;
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
        return u16(CHECKSUM_AT);
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
     * @param identifier echo identifier (ICMPv4: or rest-of-header high half).
     * @param sequence echo sequence (ICMPv4: or rest-of-header low half).
     * @return this.
     */
    public T write(final int type, final int code, final int identifier, final int sequence)
    {
        putU8(0, type);
        putU8(1, code);
        putU16(CHECKSUM_AT, 0);
        putU16(4, identifier);
        putU16(6, sequence);
        return self();
    }
}

package dev.hostplane.vswitch.packet;

/**
 * Flyweight over a UDP header (RFC 768).
 */
public final class UdpHeader extends HeaderFlyweight<UdpHeader>
{
    /** Header length. */
    public static final int HEADER_LENGTH = 8;
    /** Offset of the source port. */
    public static final int SOURCE_PORT_OFFSET = 0;
    /** Offset of the destination port. */
    public static final int DESTINATION_PORT_OFFSET = 2;
    /** Offset of the length. */
    public static final int LENGTH_OFFSET = 4;
    /** Offset of the checksum. */
    public static final int CHECKSUM_OFFSET = 6;

    /**
     * Checks the header fits and its length field covers the header and fits the wrapped bytes.
     *
     * @return true when well-formed.
     */
    @Override
    public boolean isValid()
    {
        if (length < HEADER_LENGTH)
        {
            return false;
        }
        final int len = datagramLength();
        return len >= HEADER_LENGTH && len <= length;
    }

    @Override
    public int headerLength()
    {
        return HEADER_LENGTH;
    }

    /**
     * Source port.
     *
     * @return 0..65535.
     */
    public int sourcePort()
    {
        return u16(SOURCE_PORT_OFFSET);
    }

    /**
     * Destination port.
     *
     * @return 0..65535.
     */
    public int destinationPort()
    {
        return u16(DESTINATION_PORT_OFFSET);
    }

    /**
     * Length field (header plus payload).
     *
     * @return bytes.
     */
    public int datagramLength()
    {
        return u16(LENGTH_OFFSET);
    }

    /**
     * Stored checksum (0 = none, IPv4 only).
     *
     * @return 16 bits.
     */
    public int checksum()
    {
        return u16(CHECKSUM_OFFSET);
    }

    /**
     * Writes the header with a zero checksum.
     *
     * @param sourcePort source port.
     * @param destinationPort destination port.
     * @param datagramLength header plus payload.
     * @return this.
     */
    public UdpHeader write(final int sourcePort, final int destinationPort, final int datagramLength)
    {
        putU16(SOURCE_PORT_OFFSET, sourcePort);
        putU16(DESTINATION_PORT_OFFSET, destinationPort);
        putU16(LENGTH_OFFSET, datagramLength);
        putU16(CHECKSUM_OFFSET, 0);
        return this;
    }

    /**
     * Sets the source port (no checksum update).
     *
     * @param port 0..65535.
     * @return this.
     */
    public UdpHeader sourcePort(final int port)
    {
        putU16(SOURCE_PORT_OFFSET, port);
        return this;
    }

    /**
     * Sets the destination port (no checksum update).
     *
     * @param port 0..65535.
     * @return this.
     */
    public UdpHeader destinationPort(final int port)
    {
        putU16(DESTINATION_PORT_OFFSET, port);
        return this;
    }

    /**
     * Sets the checksum field.
     *
     * @param checksum 16 bits.
     * @return this.
     */
    public UdpHeader checksum(final int checksum)
    {
        putU16(CHECKSUM_OFFSET, checksum);
        return this;
    }

    /**
     * Computes and stores the checksum over header and payload ({@link #datagramLength()} bytes);
     * a computed 0 is sent as 0xFFFF as RFC 768 requires.
     *
     * @param pseudoHeaderSum pseudo-header sum of the enclosing IP header.
     * @return this.
     */
    public UdpHeader updateChecksum(final int pseudoHeaderSum)
    {
        putU16(CHECKSUM_OFFSET, 0);
        final int c = Checksums.finish(Checksums.add(pseudoHeaderSum, Checksums.sum(buffer, offset, datagramLength())));
        putU16(CHECKSUM_OFFSET, c == 0 ? 0xFFFF : c);
        return this;
    }

    /**
     * Verifies the stored checksum (a zero checksum counts as valid: "no checksum").
     *
     * @param pseudoHeaderSum pseudo-header sum.
     * @return true when absent or correct.
     */
    public boolean isChecksumValid(final int pseudoHeaderSum)
    {
        return checksum() == 0 ||
            Checksums.isValid(Checksums.add(pseudoHeaderSum, Checksums.sum(buffer, offset, datagramLength())));
    }
}

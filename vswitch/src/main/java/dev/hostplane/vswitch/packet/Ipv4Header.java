package dev.hostplane.vswitch.packet;

/**
 * Flyweight over an IPv4 header (RFC 791), options included. It starts wherever the caller says,
 * so it serves Ethernet frames (after {@link EthernetFrame#payloadOffset()}) and TUN packets
 * (offset 0) alike.
 *
 * <p>Setters of TTL, TOS and addresses come in two forms: plain ones that only write the field,
 * and {@code ...AndUpdateChecksum} ones that fix the header checksum incrementally (RFC 1624),
 * which is what a switch does per packet.
 */
public final class Ipv4Header extends HeaderFlyweight<Ipv4Header>
{
    /** Length of a header without options. */
    public static final int MIN_HEADER_LENGTH = 20;
    /** Offset of the TOS (DSCP + ECN) byte. */
    public static final int TOS_OFFSET = 1;
    /** Offset of the total length. */
    public static final int TOTAL_LENGTH_OFFSET = 2;
    /** Offset of the identification. */
    public static final int IDENTIFICATION_OFFSET = 4;
    /** Offset of flags + fragment offset. */
    public static final int FRAGMENT_OFFSET = 6;
    /** Offset of the TTL. */
    public static final int TTL_OFFSET = 8;
    /** Offset of the protocol. */
    public static final int PROTOCOL_OFFSET = 9;
    /** Offset of the header checksum. */
    public static final int CHECKSUM_OFFSET = 10;
    /** Offset of the source address. */
    public static final int SOURCE_OFFSET = 12;
    /** Offset of the destination address. */
    public static final int DESTINATION_OFFSET = 16;
    /** "Don't fragment" flag in {@link #flagsAndFragmentOffset()}. */
    public static final int FLAG_DF = 0x4000;
    /** "More fragments" flag in {@link #flagsAndFragmentOffset()}. */
    public static final int FLAG_MF = 0x2000;

    /**
     * Checks version 4, IHL at least 5, the header within the wrapped bytes, and a total length
     * that covers the header. A total length smaller than the wrapped bytes is fine (Ethernet
     * padding); a larger one is truncation and invalid.
     *
     * @return true when well-formed.
     */
    @Override
    public boolean isValid()
    {
        if (length < MIN_HEADER_LENGTH)
        {
            return false;
        }
        final int vihl = u8(0);
        final int ihl = (vihl & 0x0F) * 4;
        final int total = totalLength();
        return (vihl >>> 4) == 4 && ihl >= MIN_HEADER_LENGTH && ihl <= length && total >= ihl && total <= length;
    }

    /**
     * IP version nibble.
     *
     * @return 4 for a real IPv4 header.
     */
    public int version()
    {
        return u8(0) >>> 4;
    }

    @Override
    public int headerLength()
    {
        return (u8(0) & 0x0F) * 4;
    }

    /**
     * TOS byte (DSCP &lt;&lt; 2 | ECN).
     *
     * @return 0..255.
     */
    public int tos()
    {
        return u8(TOS_OFFSET);
    }

    /**
     * DSCP (upper six bits of TOS).
     *
     * @return 0..63.
     */
    public int dscp()
    {
        return tos() >>> 2;
    }

    /**
     * ECN (lower two bits of TOS).
     *
     * @return 0..3.
     */
    public int ecn()
    {
        return tos() & 3;
    }

    /**
     * Total length of header plus payload.
     *
     * @return bytes.
     */
    public int totalLength()
    {
        return u16(TOTAL_LENGTH_OFFSET);
    }

    /**
     * Identification.
     *
     * @return 16-bit id.
     */
    public int identification()
    {
        return u16(IDENTIFICATION_OFFSET);
    }

    /**
     * Flags (top three bits) and fragment offset (in 8-byte units).
     *
     * @return the raw 16-bit field.
     */
    public int flagsAndFragmentOffset()
    {
        return u16(FRAGMENT_OFFSET);
    }

    /**
     * Whether this is a fragment (MF set or non-zero offset).
     *
     * @return true for any fragment.
     */
    public boolean isFragment()
    {
        return (flagsAndFragmentOffset() & 0x3FFF) != 0;
    }

    /**
     * Whether this is a fragment other than the first (L4 header absent).
     *
     * @return true for a later fragment.
     */
    public boolean isLaterFragment()
    {
        return (flagsAndFragmentOffset() & 0x1FFF) != 0;
    }

    /**
     * Time to live.
     *
     * @return 0..255.
     */
    public int ttl()
    {
        return u8(TTL_OFFSET);
    }

    /**
     * Protocol of the payload.
     *
     * @return IP protocol number, see {@link IpProtocols}.
     */
    public int protocol()
    {
        return u8(PROTOCOL_OFFSET);
    }

    /**
     * Stored header checksum.
     *
     * @return 16-bit checksum.
     */
    public int checksum()
    {
        return u16(CHECKSUM_OFFSET);
    }

    /**
     * Source address.
     *
     * @return address bits (first octet most significant).
     */
    public int source()
    {
        return i32(SOURCE_OFFSET);
    }

    /**
     * Destination address.
     *
     * @return address bits.
     */
    public int destination()
    {
        return i32(DESTINATION_OFFSET);
    }

    /**
     * Length of the payload according to the header.
     *
     * @return {@code totalLength() - headerLength()}.
     */
    public int payloadLength()
    {
        return totalLength() - headerLength();
    }

    /**
     * Writes a 20-byte header (no options) and computes its checksum.
     *
     * @param tos TOS byte.
     * @param totalLength header plus payload.
     * @param identification id.
     * @param flagsAndFragment flags and fragment offset.
     * @param ttl time to live.
     * @param protocol payload protocol.
     * @param source source address bits.
     * @param destination destination address bits.
     * @return this.
     */
    public Ipv4Header write(
        final int tos,
        final int totalLength,
        final int identification,
        final int flagsAndFragment,
        final int ttl,
        final int protocol,
        final int source,
        final int destination)
    {
        putU8(0, 0x45);
        putU8(TOS_OFFSET, tos);
        putU16(TOTAL_LENGTH_OFFSET, totalLength);
        putU16(IDENTIFICATION_OFFSET, identification);
        putU16(FRAGMENT_OFFSET, flagsAndFragment);
        putU8(TTL_OFFSET, ttl);
        putU8(PROTOCOL_OFFSET, protocol);
        putI32(SOURCE_OFFSET, source);
        putI32(DESTINATION_OFFSET, destination);
        updateChecksum();
        return this;
    }

    /**
     * Sets the total length (no checksum update).
     *
     * @param totalLength bytes.
     * @return this.
     */
    public Ipv4Header totalLength(final int totalLength)
    {
        putU16(TOTAL_LENGTH_OFFSET, totalLength);
        return this;
    }

    /**
     * Sets the TTL (no checksum update).
     *
     * @param ttl 0..255.
     * @return this.
     */
    public Ipv4Header ttl(final int ttl)
    {
        putU8(TTL_OFFSET, ttl);
        return this;
    }

    /**
     * Sets the source address (no checksum update).
     *
     * @param address bits.
     * @return this.
     */
    public Ipv4Header source(final int address)
    {
        putI32(SOURCE_OFFSET, address);
        return this;
    }

    /**
     * Sets the destination address (no checksum update).
     *
     * @param address bits.
     * @return this.
     */
    public Ipv4Header destination(final int address)
    {
        putI32(DESTINATION_OFFSET, address);
        return this;
    }

    /**
     * Sets the header checksum field.
     *
     * @param checksum 16-bit value.
     * @return this.
     */
    public Ipv4Header checksum(final int checksum)
    {
        putU16(CHECKSUM_OFFSET, checksum);
        return this;
    }

    /**
     * Sets the TTL and fixes the checksum incrementally.
     *
     * @param ttl 0..255.
     * @return this.
     */
    public Ipv4Header ttlAndUpdateChecksum(final int ttl)
    {
        final int oldWord = u16(TTL_OFFSET);
        putU8(TTL_OFFSET, ttl);
        putU16(CHECKSUM_OFFSET, Checksums.update16(checksum(), oldWord, u16(TTL_OFFSET)));
        return this;
    }

    /**
     * Sets the TOS byte and fixes the checksum incrementally.
     *
     * @param tos 0..255.
     * @return this.
     */
    public Ipv4Header tosAndUpdateChecksum(final int tos)
    {
        final int oldWord = u16(0);
        putU8(TOS_OFFSET, tos);
        putU16(CHECKSUM_OFFSET, Checksums.update16(checksum(), oldWord, u16(0)));
        return this;
    }

    /**
     * Sets the source address and fixes the checksum incrementally.
     *
     * @param address bits.
     * @return this.
     */
    public Ipv4Header sourceAndUpdateChecksum(final int address)
    {
        final int old = source();
        putI32(SOURCE_OFFSET, address);
        putU16(CHECKSUM_OFFSET, Checksums.update32(checksum(), old, address));
        return this;
    }

    /**
     * Sets the destination address and fixes the checksum incrementally.
     *
     * @param address bits.
     * @return this.
     */
    public Ipv4Header destinationAndUpdateChecksum(final int address)
    {
        final int old = destination();
        putI32(DESTINATION_OFFSET, address);
        putU16(CHECKSUM_OFFSET, Checksums.update32(checksum(), old, address));
        return this;
    }

    /**
     * Computes the header checksum over the current header bytes (field treated as zero).
     *
     * @return the checksum to store.
     */
    public int computeChecksum()
    {
        final int hl = headerLength();
        final int sum = Checksums.sum(buffer, offset, hl);
        // Remove the stored checksum's contribution instead of zeroing it: works on read-only buffers.
        return Checksums.finish(Checksums.fold((long)sum + (~checksum() & 0xFFFF)));
    }

    /**
     * Recomputes and stores the header checksum.
     *
     * @return this.
     */
    public Ipv4Header updateChecksum()
    {
        putU16(CHECKSUM_OFFSET, 0);
        putU16(CHECKSUM_OFFSET, Checksums.checksum(buffer, offset, headerLength()));
        return this;
    }

    /**
     * Whether the stored header checksum is correct.
     *
     * @return true when it verifies.
     */
    public boolean isChecksumValid()
    {
        return Checksums.isValid(Checksums.sum(buffer, offset, headerLength()));
    }

    /**
     * Pseudo-header sum for the payload's TCP/UDP checksum.
     *
     * @return the folded sum of source, destination, protocol and payload length.
     */
    public int pseudoHeaderSum()
    {
        return Checksums.pseudoHeaderSumV4(source(), destination(), protocol(), payloadLength());
    }

    /**
     * Formats an IPv4 address (allocates; for logs and tools).
     *
     * @param address bits.
     * @return dotted quad.
     */
    public static String addressToString(final int address)
    {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." +
            (address & 0xFF);
    }

    /**
     * Parses a dotted-quad IPv4 address.
     *
     * @param text the address.
     * @return address bits.
     * @throws IllegalArgumentException when the text is not an IPv4 address.
     */
    public static int parseAddress(final CharSequence text)
    {
        final String s = text.toString();
        final String[] parts = s.split("\\.", -1);
        if (parts.length != 4)
        {
            throw new IllegalArgumentException("not an IPv4 address (expected a.b.c.d): value=" + s);
        }
        int address = 0;
        for (final String part : parts)
        {
            final int octet;
            try
            {
                octet = part.isEmpty() || part.length() > 3 ? -1 : Integer.parseInt(part);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("not an IPv4 address (bad octet '" + part + "'): value=" + s, ex);
            }
            if (octet < 0 || octet > 255)
            {
                throw new IllegalArgumentException("not an IPv4 address (bad octet '" + part + "'): value=" + s);
            }
            address = (address << 8) | octet;
        }
        return address;
    }
}

package dev.hostplane.vswitch.packet;

/**
 * Flyweight over a TCP header (RFC 9293) including its options.
 *
 * <p>Options are walked without allocation: {@link #firstOptionOffset()},
 * {@link #nextOptionOffset(int)}, {@link #optionKind(int)}, {@link #optionLength(int)}, plus
 * getters for the common ones (MSS, window scale, SACK-permitted, timestamps, SACK blocks).
 * Option writers live in {@link TcpOptions}.
 */
public final class TcpHeader extends HeaderFlyweight<TcpHeader>
{
    /** Length of a header without options. */
    public static final int MIN_HEADER_LENGTH = 20;
    /** Largest header (data offset 15). */
    public static final int MAX_HEADER_LENGTH = 60;
    /** Offset of the source port. */
    public static final int SOURCE_PORT_OFFSET = 0;
    /** Offset of the destination port. */
    public static final int DESTINATION_PORT_OFFSET = 2;
    /** Offset of the sequence number. */
    public static final int SEQUENCE_OFFSET = 4;
    /** Offset of the acknowledgement number. */
    public static final int ACK_OFFSET = 8;
    /** Offset of data offset (high nibble). */
    public static final int DATA_OFFSET_OFFSET = 12;
    /** Offset of the flags byte. */
    public static final int FLAGS_OFFSET = 13;
    /** Offset of the window. */
    public static final int WINDOW_OFFSET = 14;
    /** Offset of the checksum. */
    public static final int CHECKSUM_OFFSET = 16;
    /** Offset of the urgent pointer. */
    public static final int URGENT_OFFSET = 18;

    /** FIN flag. */
    public static final int FIN = 0x01;
    /** SYN flag. */
    public static final int SYN = 0x02;
    /** RST flag. */
    public static final int RST = 0x04;
    /** PSH flag. */
    public static final int PSH = 0x08;
    /** ACK flag. */
    public static final int ACK = 0x10;
    /** URG flag. */
    public static final int URG = 0x20;
    /** ECE flag. */
    public static final int ECE = 0x40;
    /** CWR flag. */
    public static final int CWR = 0x80;
    /** The NS/AE bit (low bit of byte 12), reported as bit 8 of {@link #flags()}. */
    public static final int AE = 0x100;

    /**
     * Checks that data offset is 5..15 words and the header fits in the wrapped bytes.
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
        final int hl = headerLength();
        return hl >= MIN_HEADER_LENGTH && hl <= length;
    }

    @Override
    public int headerLength()
    {
        return (u8(DATA_OFFSET_OFFSET) >>> 4) * 4;
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
     * Sequence number.
     *
     * @return 32 bits.
     */
    public int sequence()
    {
        return i32(SEQUENCE_OFFSET);
    }

    /**
     * Acknowledgement number.
     *
     * @return 32 bits.
     */
    public int acknowledgement()
    {
        return i32(ACK_OFFSET);
    }

    /**
     * Flags: the 8 classic flag bits plus {@link #AE} as bit 8.
     *
     * @return 9-bit flags.
     */
    public int flags()
    {
        return u8(FLAGS_OFFSET) | ((u8(DATA_OFFSET_OFFSET) & 1) << 8);
    }

    /**
     * Window.
     *
     * @return 0..65535.
     */
    public int window()
    {
        return u16(WINDOW_OFFSET);
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
     * Urgent pointer.
     *
     * @return 16 bits.
     */
    public int urgentPointer()
    {
        return u16(URGENT_OFFSET);
    }

    /**
     * Writes the fixed header; options (if {@code headerLength > 20}) are written separately with
     * {@link TcpOptions}. The checksum field is zeroed.
     *
     * @param sourcePort source port.
     * @param destinationPort destination port.
     * @param sequence sequence number.
     * @param ack acknowledgement number.
     * @param headerLength 20..60, multiple of 4.
     * @param flags flags (bit 8 = AE).
     * @param window window.
     * @return this.
     */
    public TcpHeader write(
        final int sourcePort,
        final int destinationPort,
        final int sequence,
        final int ack,
        final int headerLength,
        final int flags,
        final int window)
    {
        if (headerLength < MIN_HEADER_LENGTH || headerLength > MAX_HEADER_LENGTH || (headerLength & 3) != 0)
        {
            throw new IllegalArgumentException("bad TCP header length (expected 20..60, multiple of 4): headerLength=" +
                headerLength);
        }
        putU16(SOURCE_PORT_OFFSET, sourcePort);
        putU16(DESTINATION_PORT_OFFSET, destinationPort);
        putI32(SEQUENCE_OFFSET, sequence);
        putI32(ACK_OFFSET, ack);
        putU8(DATA_OFFSET_OFFSET, ((headerLength / 4) << 4) | ((flags >>> 8) & 1));
        putU8(FLAGS_OFFSET, flags);
        putU16(WINDOW_OFFSET, window);
        putU16(CHECKSUM_OFFSET, 0);
        putU16(URGENT_OFFSET, 0);
        return this;
    }

    /**
     * Sets the source port (no checksum update).
     *
     * @param port 0..65535.
     * @return this.
     */
    public TcpHeader sourcePort(final int port)
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
    public TcpHeader destinationPort(final int port)
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
    public TcpHeader checksum(final int checksum)
    {
        putU16(CHECKSUM_OFFSET, checksum);
        return this;
    }

    /**
     * Computes and stores the checksum over header and payload.
     *
     * @param pseudoHeaderSum from {@link Ipv4Header#pseudoHeaderSum()} or {@link Ipv6Header#pseudoHeaderSum()}.
     * @param segmentLength TCP header plus payload length.
     * @return this.
     */
    public TcpHeader updateChecksum(final int pseudoHeaderSum, final int segmentLength)
    {
        putU16(CHECKSUM_OFFSET, 0);
        putU16(CHECKSUM_OFFSET, Checksums.finish(Checksums.add(pseudoHeaderSum, Checksums.sum(buffer, offset, segmentLength))));
        return this;
    }

    /**
     * Verifies the stored checksum.
     *
     * @param pseudoHeaderSum pseudo-header sum.
     * @param segmentLength TCP header plus payload length.
     * @return true when it verifies.
     */
    public boolean isChecksumValid(final int pseudoHeaderSum, final int segmentLength)
    {
        return Checksums.isValid(Checksums.add(pseudoHeaderSum, Checksums.sum(buffer, offset, segmentLength)));
    }

    /**
     * Absolute offset of the first option, or -1 when there are none.
     *
     * @return offset or -1.
     */
    public int firstOptionOffset()
    {
        return headerLength() > MIN_HEADER_LENGTH ? offset + MIN_HEADER_LENGTH : -1;
    }

    /**
     * Kind of the option at an absolute offset.
     *
     * @param optionOffset from {@link #firstOptionOffset()} or {@link #nextOptionOffset(int)}.
     * @return the kind byte.
     */
    public int optionKind(final int optionOffset)
    {
        return buffer.getByte(optionOffset) & 0xFF;
    }

    /**
     * Total length of the option at an absolute offset (1 for EOL and NOP).
     *
     * @param optionOffset offset of the option.
     * @return its length, or -1 when it is malformed (length below 2 or past the header).
     */
    public int optionLength(final int optionOffset)
    {
        final int kind = optionKind(optionOffset);
        if (kind == TcpOptions.KIND_EOL || kind == TcpOptions.KIND_NOP)
        {
            return 1;
        }
        final int end = offset + headerLength();
        if (optionOffset + 2 > end)
        {
            return -1;
        }
        final int len = buffer.getByte(optionOffset + 1) & 0xFF;
        return len < 2 || optionOffset + len > end ? -1 : len;
    }

    /**
     * Offset of the option after the one at {@code optionOffset}.
     *
     * @param optionOffset current option.
     * @return next option's offset, or -1 at the end, after EOL, or on a malformed option.
     */
    public int nextOptionOffset(final int optionOffset)
    {
        if (optionKind(optionOffset) == TcpOptions.KIND_EOL)
        {
            return -1;
        }
        final int len = optionLength(optionOffset);
        if (len < 0)
        {
            return -1;
        }
        final int next = optionOffset + len;
        return next < offset + headerLength() ? next : -1;
    }

    /**
     * Finds an option by kind.
     *
     * @param kind option kind.
     * @return absolute offset of the first such option, or -1.
     */
    public int findOption(final int kind)
    {
        for (int at = firstOptionOffset(); at >= 0; at = nextOptionOffset(at))
        {
            if (optionKind(at) == kind)
            {
                return optionLength(at) < 0 ? -1 : at;
            }
        }
        return -1;
    }

    /**
     * Whether every option is well-formed.
     *
     * @return true when the option list parses to its end or to EOL.
     */
    public boolean areOptionsValid()
    {
        for (int at = firstOptionOffset(); at >= 0; at = nextOptionOffset(at))
        {
            if (optionLength(at) < 0)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * MSS option value.
     *
     * @return MSS, or -1 when absent or malformed.
     */
    public int mss()
    {
        final int at = findOption(TcpOptions.KIND_MSS);
        return at < 0 || optionLength(at) != 4 ? -1 : buffer.getShort(at + 2, NETWORK_ORDER) & 0xFFFF;
    }

    /**
     * Window scale shift.
     *
     * @return shift, or -1 when absent or malformed.
     */
    public int windowScale()
    {
        final int at = findOption(TcpOptions.KIND_WINDOW_SCALE);
        return at < 0 || optionLength(at) != 3 ? -1 : buffer.getByte(at + 2) & 0xFF;
    }

    /**
     * Whether SACK-permitted is present.
     *
     * @return true when present.
     */
    public boolean sackPermitted()
    {
        return findOption(TcpOptions.KIND_SACK_PERMITTED) >= 0;
    }

    /**
     * Timestamp value (TSval).
     *
     * @return TSval as unsigned 32 bits in a long, or -1 when absent or malformed.
     */
    public long timestampValue()
    {
        final int at = findOption(TcpOptions.KIND_TIMESTAMP);
        return at < 0 || optionLength(at) != 10 ? -1 : buffer.getInt(at + 2, NETWORK_ORDER) & 0xFFFF_FFFFL;
    }

    /**
     * Timestamp echo reply (TSecr).
     *
     * @return TSecr as unsigned 32 bits in a long, or -1 when absent or malformed.
     */
    public long timestampEchoReply()
    {
        final int at = findOption(TcpOptions.KIND_TIMESTAMP);
        return at < 0 || optionLength(at) != 10 ? -1 : buffer.getInt(at + 6, NETWORK_ORDER) & 0xFFFF_FFFFL;
    }

    /**
     * Number of SACK blocks.
     *
     * @return 0..4, or 0 when absent or malformed.
     */
    public int sackBlockCount()
    {
        final int at = findOption(TcpOptions.KIND_SACK);
        if (at < 0)
        {
            return 0;
        }
        final int len = optionLength(at);
        return len < 2 || (len - 2) % 8 != 0 ? 0 : (len - 2) / 8;
    }

    /**
     * Left edge of a SACK block.
     *
     * @param index block index.
     * @return left edge as unsigned 32 bits.
     */
    public long sackLeftEdge(final int index)
    {
        if (index < 0 || index >= sackBlockCount())
        {
            throw new IndexOutOfBoundsException("no such SACK block: index=" + index + " blocks=" + sackBlockCount());
        }
        final int at = findOption(TcpOptions.KIND_SACK);
        return buffer.getInt(at + 2 + 8 * index, NETWORK_ORDER) & 0xFFFF_FFFFL;
    }

    /**
     * Right edge of a SACK block.
     *
     * @param index block index.
     * @return right edge as unsigned 32 bits.
     */
    public long sackRightEdge(final int index)
    {
        if (index < 0 || index >= sackBlockCount())
        {
            throw new IndexOutOfBoundsException("no such SACK block: index=" + index + " blocks=" + sackBlockCount());
        }
        final int at = findOption(TcpOptions.KIND_SACK);
        return buffer.getInt(at + 6 + 8 * index, NETWORK_ORDER) & 0xFFFF_FFFFL;
    }
}

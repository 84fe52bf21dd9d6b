package dev.hostplane.syslog.internal.relp;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;

/**
 * Reads one RELP frame at a time from a buffer without copying: a flyweight whose fields describe
 * the last frame {@link #parse parsed} (command and data are ranges of the buffer). Every byte is
 * checked as soon as it is there, so garbage is reported at once rather than after a frame's
 * worth of bytes, and the first violation throws a {@link RelpException} naming what was expected,
 * what came and at which offset of the session.
 */
public final class RelpFrameParser
{
    private final int maxData;
    private long sessionOffset;
    private int txnr;
    private int commandOffset;
    private int commandLength;
    private int dataOffset;
    private int dataLength;
    private int frameLength;
    /** Value of the digits {@link #scanNumber} read last. */
    private long scanned;

    /**
     * Creates a parser.
     *
     * @param maxData largest DATALEN accepted (rsyslog's {@code maxDataSize}).
     */
    public RelpFrameParser(final int maxData)
    {
        this.maxData = maxData;
    }

    /**
     * Parses the frame at the buffer's reader index; the caller consumes it with
     * {@code buf.skipBytes(frameLength())} once done with the data.
     *
     * @param buf received bytes.
     * @return true when a whole frame is there, false when more bytes are needed.
     * @throws RelpException when the bytes cannot be a RELP frame.
     */
    public boolean parse(final ByteBuf buf)
    {
        final int start = buf.readerIndex();
        final int end = buf.writerIndex();
        int p = scanNumber(buf, start, start, end, "TXNR");
        if (p < 0)
        {
            return false;
        }
        final byte afterTxnr = buf.getByte(p);
        if (afterTxnr != ' ' || p == start)
        {
            throw error(start, p, (p == start ? "expected a TXNR digit" : "expected a digit or SP after TXNR") +
                ", got " + show(afterTxnr));
        }
        final int txn = (int)scanned;
        p++;
        final int cmd = p;
        while (true)
        {
            if (p == end)
            {
                return false;
            }
            final byte b = buf.getByte(p);
            if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z'))
            {
                if (p - cmd >= RelpDescriptor.MAX_COMMAND)
                {
                    throw error(start, p, "command longer than 32 letters");
                }
                p++;
            }
            else if (b == ' ' && p > cmd)
            {
                break;
            }
            else
            {
                throw error(start, p, (p == cmd ? "expected a command letter" : "expected a letter or SP in the " +
                    "command") + ", got " + show(b));
            }
        }
        final int cmdLength = p - cmd;
        final int lengthStart = p + 1;
        p = scanNumber(buf, start, lengthStart, end, "DATALEN");
        if (p < 0)
        {
            return false;
        }
        if (p == lengthStart)
        {
            throw error(start, p, "expected a DATALEN digit, got " + show(buf.getByte(p)));
        }
        if (scanned > maxData)
        {
            throw error(start, p, "DATALEN " + scanned + " above maxDataSize=" + maxData);
        }
        final int length = (int)scanned;
        final byte sep = buf.getByte(p);
        final int data;
        if (0 == length)
        {
            // librelp: an empty frame has no SP, the trailer follows the length at once.
            data = p;
        }
        else if (sep == ' ')
        {
            data = p + 1;
        }
        else
        {
            throw error(start, p, "expected SP after DATALEN " + length + ", got " + show(sep));
        }
        final int trailer = data + length;
        if (trailer >= end)
        {
            return false;
        }
        final byte t = buf.getByte(trailer);
        if (t != '\n')
        {
            throw error(start, trailer, "expected LF trailer after " + length + " data bytes, got " + show(t));
        }
        this.txnr = txn;
        this.commandOffset = cmd;
        this.commandLength = cmdLength;
        this.dataOffset = data;
        this.dataLength = length;
        this.frameLength = trailer + 1 - start;
        sessionOffset += frameLength;
        return true;
    }

    /**
     * Reads the run of decimal digits (TXNR or DATALEN) from {@code from}: leaves its value in
     * {@link #scanned} and returns the index of the first byte after it (the caller judges that
     * byte), or -1 when the buffer ends first. More than {@link RelpDescriptor#MAX_DIGITS} digits are
     * an error, reported at the first digit too many.
     */
    private int scanNumber(final ByteBuf buf, final int start, final int from, final int end, final String field)
    {
        long value = 0;
        int p = from;
        while (p < end)
        {
            final byte b = buf.getByte(p);
            if (b < '0' || b > '9')
            {
                scanned = value;
                return p;
            }
            if (p - from >= RelpDescriptor.MAX_DIGITS)
            {
                throw error(start, p, field + " longer than 9 digits");
            }
            value = value * 10 + (b - '0');
            p++;
        }
        return -1;
    }

    private RelpException error(final int start, final int at, final String what)
    {
        return new RelpException("malformed RELP frame: " + what + " at=" + (sessionOffset + at - start) +
            " (session byte offset)");
    }

    private static String show(final byte b)
    {
        return b >= 0x21 && b < 0x7F ? "'" + (char)b + "'" : String.format("0x%02x", b & 0xFF);
    }

    /**
     * Whether the last frame's command is {@code command}.
     *
     * @param buf     the buffer it was parsed from.
     * @param command command letters.
     * @return true on a match.
     */
    public boolean is(final ByteBuf buf, final byte[] command)
    {
        if (commandLength != command.length)
        {
            return false;
        }
        for (int i = 0; i < commandLength; i++)
        {
            if (buf.getByte(commandOffset + i) != command[i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The last frame's command as text (for error messages).
     *
     * @param buf the buffer it was parsed from.
     * @return command.
     */
    public String command(final ByteBuf buf)
    {
        return buf.toString(commandOffset, commandLength, StandardCharsets.US_ASCII);
    }

    /**
     * TXNR of the last frame.
     *
     * @return transaction number.
     */
    public int txnr()
    {
        return txnr;
    }

    /**
     * Buffer index of the last frame's data.
     *
     * @return index.
     */
    public int dataOffset()
    {
        return dataOffset;
    }

    /**
     * Data bytes of the last frame.
     *
     * @return DATALEN.
     */
    public int dataLength()
    {
        return dataLength;
    }

    /**
     * Bytes of the last frame, header and trailer included.
     *
     * @return length.
     */
    public int frameLength()
    {
        return frameLength;
    }
}

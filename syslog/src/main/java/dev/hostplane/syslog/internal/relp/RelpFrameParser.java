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
        int p = start;
        long number = 0;
        int digits = 0;
        while (true)
        {
            if (p == end)
            {
                return false;
            }
            final byte b = buf.getByte(p);
            if (b >= '0' && b <= '9')
            {
                if (++digits > RelpDescriptor.MAX_DIGITS)
                {
                    throw error(start, p, "TXNR longer than 9 digits");
                }
                number = number * 10 + (b - '0');
                p++;
            }
            else if (b == ' ' && digits > 0)
            {
                p++;
                break;
            }
            else
            {
                throw error(start, p, (digits == 0 ? "expected a TXNR digit" : "expected a digit or SP after TXNR") +
                    ", got " + show(b));
            }
        }
        final int txn = (int)number;
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
        p++;
        number = 0;
        digits = 0;
        while (true)
        {
            if (p == end)
            {
                return false;
            }
            final byte b = buf.getByte(p);
            if (b >= '0' && b <= '9')
            {
                if (++digits > RelpDescriptor.MAX_DIGITS)
                {
                    throw error(start, p, "DATALEN longer than 9 digits");
                }
                number = number * 10 + (b - '0');
                p++;
                continue;
            }
            if (digits == 0)
            {
                throw error(start, p, "expected a DATALEN digit, got " + show(b));
            }
            break;
        }
        if (number > maxData)
        {
            throw error(start, p, "DATALEN " + number + " above maxDataSize=" + maxData);
        }
        final int length = (int)number;
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

package dev.hostplane.syslog.internal.relp;

import io.netty.buffer.ByteBuf;

/**
 * Writes RELP frames ({@code TXNR SP COMMAND SP DATALEN [SP DATA] LF}) into a buffer, digits
 * included, without allocating.
 */
public final class RelpFrameEncoder
{
    private RelpFrameEncoder()
    {
    }

    /**
     * Appends one frame.
     *
     * @param out     destination.
     * @param txnr    transaction number (0 for hints).
     * @param command command letters.
     * @param data    data bytes (may be null when {@code length} is 0).
     * @param offset  first data byte.
     * @param length  data bytes.
     */
    public static void frame(final ByteBuf out, final int txnr, final byte[] command, final byte[] data,
        final int offset, final int length)
    {
        header(out, txnr, command, length);
        if (length > 0)
        {
            out.writeBytes(data, offset, length);
        }
        out.writeByte('\n');
    }

    /**
     * Appends a frame's header; the caller writes exactly {@code length} data bytes and then LF.
     *
     * @param out     destination.
     * @param txnr    transaction number.
     * @param command command letters.
     * @param length  data bytes that follow.
     */
    public static void header(final ByteBuf out, final int txnr, final byte[] command, final int length)
    {
        number(out, txnr);
        out.writeByte(' ');
        out.writeBytes(command);
        out.writeByte(' ');
        number(out, length);
        if (length > 0)
        {
            out.writeByte(' ');
        }
    }

    private static void number(final ByteBuf out, final int value)
    {
        int divisor = 1;
        while (divisor <= value / 10)
        {
            divisor *= 10;
        }
        int v = value;
        while (divisor > 0)
        {
            out.writeByte('0' + v / divisor);
            v %= divisor;
            divisor /= 10;
        }
    }
}

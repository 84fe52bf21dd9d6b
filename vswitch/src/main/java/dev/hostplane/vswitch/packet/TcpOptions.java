package dev.hostplane.vswitch.packet;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;

/**
 * TCP option kinds and allocation-free writers. Each writer puts one option at an absolute offset
 * and returns the number of bytes written, so options can be laid out one after another and the
 * total padded with {@link #putNop}/{@link #putEol} to a multiple of four.
 */
public final class TcpOptions
{
    /** End of option list. */
    public static final int KIND_EOL = 0;
    /** No operation (padding). */
    public static final int KIND_NOP = 1;
    /** Maximum segment size. */
    public static final int KIND_MSS = 2;
    /** Window scale. */
    public static final int KIND_WINDOW_SCALE = 3;
    /** SACK permitted. */
    public static final int KIND_SACK_PERMITTED = 4;
    /** SACK blocks. */
    public static final int KIND_SACK = 5;
    /** Timestamps. */
    public static final int KIND_TIMESTAMP = 8;

    private TcpOptions()
    {
    }

    /**
     * Writes an EOL.
     *
     * @param buffer destination.
     * @param offset absolute offset.
     * @return 1.
     */
    public static int putEol(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putByte(offset, (byte)KIND_EOL);
        return 1;
    }

    /**
     * Writes a NOP.
     *
     * @param buffer destination.
     * @param offset absolute offset.
     * @return 1.
     */
    public static int putNop(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putByte(offset, (byte)KIND_NOP);
        return 1;
    }

    /**
     * Writes an MSS option.
     *
     * @param buffer destination.
     * @param offset absolute offset.
     * @param mss value.
     * @return 4.
     */
    public static int putMss(final MutableDirectBuffer buffer, final int offset, final int mss)
    {
        buffer.putByte(offset, (byte)KIND_MSS);
        buffer.putByte(offset + 1, (byte)4);
        buffer.putShort(offset + 2, (short)mss, ByteOrder.BIG_ENDIAN);
        return 4;
    }

    /**
     * Writes a window-scale option.
     *
     * @param buffer destination.
     * @param offset absolute offset.
     * @param shift scale shift.
     * @return 3.
     */
    public static int putWindowScale(final MutableDirectBuffer buffer, final int offset, final int shift)
    {
        buffer.putByte(offset, (byte)KIND_WINDOW_SCALE);
        buffer.putByte(offset + 1, (byte)3);
        buffer.putByte(offset + 2, (byte)shift);
        return 3;
    }

    /**
     * Writes SACK-permitted.
     *
     * @param buffer destination.
     * @param offset absolute offset.
     * @return 2.
     */
    public static int putSackPermitted(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putByte(offset, (byte)KIND_SACK_PERMITTED);
        buffer.putByte(offset + 1, (byte)2);
        return 2;
    }

    /**
     * Writes a timestamps option.
     *
     * @param buffer destination.
     * @param offset absolute offset.
     * @param tsVal TSval.
     * @param tsEcr TSecr.
     * @return 10.
     */
    public static int putTimestamp(final MutableDirectBuffer buffer, final int offset, final int tsVal, final int tsEcr)
    {
        buffer.putByte(offset, (byte)KIND_TIMESTAMP);
        buffer.putByte(offset + 1, (byte)10);
        buffer.putInt(offset + 2, tsVal, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + 6, tsEcr, ByteOrder.BIG_ENDIAN);
        return 10;
    }

    /**
     * Writes a SACK option with {@code count} blocks from {@code edges} (left, right pairs).
     *
     * @param buffer destination.
     * @param offset absolute offset.
     * @param edges left/right edges, at least {@code 2 * count} values.
     * @param count number of blocks (1..4).
     * @return bytes written.
     */
    public static int putSack(final MutableDirectBuffer buffer, final int offset, final int[] edges, final int count)
    {
        if (count < 1 || count > 4 || edges.length < 2 * count)
        {
            throw new IllegalArgumentException("bad SACK block count (expected 1..4 with 2 edges each): count=" +
                count + " edges=" + edges.length);
        }
        buffer.putByte(offset, (byte)KIND_SACK);
        buffer.putByte(offset + 1, (byte)(2 + 8 * count));
        for (int i = 0; i < 2 * count; i++)
        {
            buffer.putInt(offset + 2 + 4 * i, edges[i], ByteOrder.BIG_ENDIAN);
        }
        return 2 + 8 * count;
    }
}

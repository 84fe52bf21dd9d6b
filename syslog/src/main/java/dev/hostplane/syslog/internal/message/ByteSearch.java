package dev.hostplane.syslog.internal.message;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Word-at-a-time byte scans over heap arrays (eight bytes per step), for the per-message loops that
 * profiling found hot: the LF that ends a TCP frame, the first byte of a {@code contains} needle and
 * the first control character a message must escape.
 * <p>
 * Both use the classic "which bytes are below n" bit trick on little-endian words: it marks every
 * qualifying byte, and may also mark a byte only above (later than) a qualifying one, so the lowest
 * mark is always exact.
 */
public final class ByteSearch
{
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private ByteSearch()
    {
    }

    /**
     * The first occurrence of a byte.
     *
     * @param a    array.
     * @param from first index searched.
     * @param to   end (exclusive).
     * @param b    byte to find.
     * @return index, or -1.
     */
    public static int indexOf(final byte[] a, final int from, final int to, final byte b)
    {
        final long pattern = LOW_BITS * (b & 0xFF);
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES)
        {
            final long word = (long)LONGS.get(a, i) ^ pattern;
            final long marks = (word - LOW_BITS) & ~word & HIGH_BITS;
            if (marks != 0)
            {
                return i + (Long.numberOfTrailingZeros(marks) >>> 3);
            }
        }
        for (; i < to; i++)
        {
            if (a[i] == b)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * The first byte below 0x20 (a control character; bytes of 0x80 and above do not count).
     *
     * @param a    array.
     * @param from first index searched.
     * @param to   end (exclusive).
     * @return index, or {@code to} when there is none.
     */
    public static int firstControl(final byte[] a, final int from, final int to)
    {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES)
        {
            final long word = (long)LONGS.get(a, i);
            final long marks = (word - LOW_BITS * 0x20) & ~word & HIGH_BITS;
            if (marks != 0)
            {
                return i + (Long.numberOfTrailingZeros(marks) >>> 3);
            }
        }
        for (; i < to; i++)
        {
            if ((a[i] & 0xFF) < 0x20)
            {
                return i;
            }
        }
        return to;
    }
}

package dev.hostplane.syslog.internal.message;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that templates render into; reused per message so rendering allocates
 * nothing once it has grown to the largest line seen.
 */
public final class ByteSink
{
    private byte[] buffer;
    private int length;

    /** Creates a sink with a 1 KiB initial capacity. */
    public ByteSink()
    {
        this(1024);
    }

    /**
     * Creates a sink.
     *
     * @param capacity initial capacity in bytes.
     */
    public ByteSink(final int capacity)
    {
        buffer = new byte[Math.max(16, capacity)];
    }

    /** Empties the sink. */
    public void clear()
    {
        length = 0;
    }

    /**
     * Bytes written so far.
     *
     * @return length.
     */
    public int length()
    {
        return length;
    }

    /**
     * Truncates to a shorter length.
     *
     * @param newLength new length, not above the current one.
     */
    public void setLength(final int newLength)
    {
        length = newLength;
    }

    /**
     * The backing array (valid up to {@link #length()}).
     *
     * @return bytes.
     */
    public byte[] array()
    {
        return buffer;
    }

    private void ensure(final int extra)
    {
        if (length + extra > buffer.length)
        {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + extra));
        }
    }

    /**
     * Appends one byte.
     *
     * @param b byte value.
     * @return this sink.
     */
    public ByteSink put(final int b)
    {
        ensure(1);
        buffer[length++] = (byte)b;
        return this;
    }

    /**
     * Appends a byte range.
     *
     * @param src    source.
     * @param offset first byte.
     * @param count  number of bytes.
     * @return this sink.
     */
    public ByteSink put(final byte[] src, final int offset, final int count)
    {
        ensure(count);
        System.arraycopy(src, offset, buffer, length, count);
        length += count;
        return this;
    }

    /**
     * Appends a whole array.
     *
     * @param src source.
     * @return this sink.
     */
    public ByteSink put(final byte[] src)
    {
        return put(src, 0, src.length);
    }

    /**
     * Appends the bytes of a view.
     *
     * @param view source.
     * @return this sink.
     */
    public ByteSink put(final ByteView view)
    {
        return put(view.array(), view.offset(), view.length());
    }

    /**
     * Appends a string's chars as ISO-8859-1 bytes (the inverse of {@link ByteView#toString()}).
     *
     * @param s text.
     * @return this sink.
     */
    public ByteSink putLatin1(final CharSequence s)
    {
        final int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++)
        {
            buffer[length++] = (byte)s.charAt(i);
        }
        return this;
    }

    /**
     * Appends a non-negative or negative decimal number.
     *
     * @param value number.
     * @return this sink.
     */
    public ByteSink putLong(final long value)
    {
        if (value >= 0 && value < 256)
        {
            return put(SyslogNames.smallNumber((int)value));
        }
        return putLatin1(Long.toString(value));
    }

    /**
     * Appends a number zero-padded to a width.
     *
     * @param value non-negative number.
     * @param width digits.
     * @return this sink.
     */
    public ByteSink putPadded(final long value, final int width)
    {
        if (width == 2 && value >= 0 && value < 100)
        {
            // Timestamps are mostly two-digit fields: no division loop for them.
            ensure(2);
            final int v = (int)value;
            buffer[length] = (byte)('0' + v / 10);
            buffer[length + 1] = (byte)('0' + v % 10);
            length += 2;
            return this;
        }
        ensure(width + 20);
        long v = value;
        final int start = length;
        int digits = 1;
        for (long t = v; t >= 10; t /= 10)
        {
            digits++;
        }
        final int total = Math.max(width, digits);
        for (int i = total - 1; i >= 0; i--)
        {
            buffer[start + i] = (byte)('0' + (v % 10));
            v /= 10;
        }
        length += total;
        return this;
    }

    /**
     * A copy of the content.
     *
     * @return bytes.
     */
    public byte[] toByteArray()
    {
        return Arrays.copyOf(buffer, length);
    }

    @Override
    public String toString()
    {
        return new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
    }
}

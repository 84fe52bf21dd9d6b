package dev.hostplane.syslog.internal.message;

import java.nio.charset.StandardCharsets;

/**
 * A re-pointable view of a byte range, read as ISO-8859-1 characters so that any byte sequence
 * (UTF-8 included) round-trips unchanged. Used to hand property values around without copying.
 */
public final class ByteView implements CharSequence
{
    private byte[] array = new byte[0];
    private int offset;
    private int length;

    /**
     * Points the view at a range.
     *
     * @param array  backing bytes.
     * @param offset first byte.
     * @param length number of bytes.
     * @return this view.
     */
    public ByteView wrap(final byte[] array, final int offset, final int length)
    {
        this.array = array;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /**
     * Points the view at a whole array.
     *
     * @param array backing bytes.
     * @return this view.
     */
    public ByteView wrap(final byte[] array)
    {
        return wrap(array, 0, array.length);
    }

    /**
     * The backing array.
     *
     * @return bytes.
     */
    public byte[] array()
    {
        return array;
    }

    /**
     * The first byte's index in {@link #array()}.
     *
     * @return offset.
     */
    public int offset()
    {
        return offset;
    }

    @Override
    public int length()
    {
        return length;
    }

    /**
     * The byte at an index of the view.
     *
     * @param index 0-based.
     * @return unsigned byte.
     */
    public int byteAt(final int index)
    {
        return array[offset + index] & 0xFF;
    }

    @Override
    public char charAt(final int index)
    {
        return (char)(array[offset + index] & 0xFF);
    }

    @Override
    public CharSequence subSequence(final int start, final int end)
    {
        return new ByteView().wrap(array, offset + start, end - start);
    }

    /**
     * Compares the view with bytes.
     *
     * @param other bytes to compare.
     * @return true when equal.
     */
    public boolean contentEquals(final byte[] other)
    {
        if (other.length != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (array[offset + i] != other[i])
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString()
    {
        return new String(array, offset, length, StandardCharsets.ISO_8859_1);
    }
}

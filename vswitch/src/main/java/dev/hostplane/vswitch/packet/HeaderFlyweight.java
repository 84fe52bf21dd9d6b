package dev.hostplane.vswitch.packet;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Base of every protocol header flyweight: a re-pointable view of a header that starts at
 * {@code offset} in a buffer and may extend for at most {@code length} bytes.
 *
 * <p>A flyweight never copies and never allocates after construction: {@code wrap} only
 * re-points it. Wrapping a {@link ByteBuffer} goes through an internal {@link UnsafeBuffer}
 * owned by this flyweight, so the flyweight must not be shared between threads.
 * All multi-byte fields are in network byte order (big-endian).
 *
 * <p>{@code T} is the concrete flyweight type, so that {@code wrap} returns it for chaining.
 *
 * <p>Getters do not check bounds beyond what the underlying buffer checks; call
 * {@link #isValid()} (or the header's own {@code isValid}) first on untrusted input.
 */
public abstract class HeaderFlyweight<T extends HeaderFlyweight<T>>
{
    /** Byte order of every header field on the wire. */
    protected static final ByteOrder NETWORK_ORDER = ByteOrder.BIG_ENDIAN;

    private final UnsafeBuffer byteBufferView = new UnsafeBuffer(0, 0);
    /** Buffer holding the header. */
    protected DirectBuffer buffer;
    /** Offset of the first header byte in {@link #buffer}. */
    protected int offset;
    /** Bytes available from {@link #offset} (header and everything after it). */
    protected int length;

    /**
     * Points this flyweight at a header in an Agrona buffer.
     *
     * @param buffer holding the header; setters need a {@link MutableDirectBuffer}.
     * @param offset of the header's first byte.
     * @param length bytes available from {@code offset} (the header plus its payload).
     * @return this, for chaining.
     */
    public T wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        if (offset < 0 || length < 0 || offset + length > buffer.capacity())
        {
            throw new IndexOutOfBoundsException(
                "offset=" + offset + " length=" + length + " capacity=" + buffer.capacity());
        }
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return self();
    }

    /**
     * Points this flyweight at a header in a {@link ByteBuffer} (heap or direct), ignoring the
     * buffer's position and limit; {@code offset} is absolute.
     *
     * @param buffer holding the header.
     * @param offset of the header's first byte.
     * @param length bytes available from {@code offset}.
     * @return this, for chaining.
     */
    public T wrap(final ByteBuffer buffer, final int offset, final int length)
    {
        if (offset < 0 || length < 0 || offset + length > buffer.capacity())
        {
            throw new IndexOutOfBoundsException(
                "offset=" + offset + " length=" + length + " capacity=" + buffer.capacity());
        }
        byteBufferView.wrap(buffer);
        this.buffer = byteBufferView;
        this.offset = offset;
        this.length = length;
        return self();
    }

    /**
     * This flyweight as its concrete type.
     *
     * @return this.
     */
    @SuppressWarnings("unchecked")
    protected final T self()
    {
        return (T)this;
    }

    /**
     * The buffer this flyweight currently views.
     *
     * @return the wrapped buffer.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Offset of the header in {@link #buffer()}.
     *
     * @return the header's offset.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * Bytes available from {@link #offset()}.
     *
     * @return the wrapped length.
     */
    public int length()
    {
        return length;
    }

    /**
     * Whether the wrapped bytes hold a complete, well-formed header of this type.
     *
     * @return true when the header can be read safely.
     */
    public abstract boolean isValid();

    /**
     * Length of the header itself (fixed part plus options or extension headers).
     *
     * @return header length in bytes.
     */
    public abstract int headerLength();

    /**
     * Offset of the first byte after this header.
     *
     * @return {@code offset() + headerLength()}.
     */
    public int payloadOffset()
    {
        return offset + headerLength();
    }

    /**
     * The buffer as mutable, for setters.
     *
     * @return the wrapped buffer.
     * @throws IllegalStateException when the wrapped buffer is read-only.
     */
    protected final MutableDirectBuffer mutable()
    {
        if (buffer instanceof MutableDirectBuffer)
        {
            return (MutableDirectBuffer)buffer;
        }
        throw new IllegalStateException("buffer is read-only: type=" + buffer.getClass().getName());
    }

    /**
     * Reads an unsigned byte at a header-relative index.
     *
     * @param index relative to the header start.
     * @return 0..255.
     */
    protected final int u8(final int index)
    {
        return buffer.getByte(offset + index) & 0xFF;
    }

    /**
     * Reads an unsigned 16-bit network-order field at a header-relative index.
     *
     * @param index relative to the header start.
     * @return 0..65535.
     */
    protected final int u16(final int index)
    {
        return buffer.getShort(offset + index, NETWORK_ORDER) & 0xFFFF;
    }

    /**
     * Reads a 32-bit network-order field at a header-relative index.
     *
     * @param index relative to the header start.
     * @return the field's bits.
     */
    protected final int i32(final int index)
    {
        return buffer.getInt(offset + index, NETWORK_ORDER);
    }

    /**
     * Writes a byte at a header-relative index.
     *
     * @param index relative to the header start.
     * @param value low 8 bits are written.
     */
    protected final void putU8(final int index, final int value)
    {
        mutable().putByte(offset + index, (byte)value);
    }

    /**
     * Writes a 16-bit network-order field at a header-relative index.
     *
     * @param index relative to the header start.
     * @param value low 16 bits are written.
     */
    protected final void putU16(final int index, final int value)
    {
        mutable().putShort(offset + index, (short)value, NETWORK_ORDER);
    }

    /**
     * Writes a 32-bit network-order field at a header-relative index.
     *
     * @param index relative to the header start.
     * @param value the bits to write.
     */
    protected final void putI32(final int index, final int value)
    {
        mutable().putInt(offset + index, value, NETWORK_ORDER);
    }
}

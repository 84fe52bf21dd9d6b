package dev.hostplane.packetscript.live.internal.sys;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * A reusable native {@code struct msghdr} (LP64 layout: name 0, namelen 8, iov 16, iovlen 24,
 * control 32, controllen 40, flags 48; 56 bytes) with its {@code struct iovec} array, for
 * {@code sendmsg}/{@code recvmsg}.
 */
public final class Msghdr
{
    /** Size of {@code struct msghdr}. */
    public static final int SIZE = 56;
    /** Size of {@code struct iovec}. */
    public static final int IOVEC_SIZE = 16;

    private final Memory header = new Memory(SIZE);
    private Memory iovecs;
    private int iovecCount;

    /**
     * An empty header (all fields zero).
     */
    public Msghdr()
    {
        header.clear();
    }

    /**
     * Allocates (or reuses) an iovec array of {@code count} entries and points the header at it.
     *
     * @param count number of iovecs.
     * @return this.
     */
    public Msghdr iovecs(final int count)
    {
        if (null == iovecs || iovecCount < count)
        {
            iovecs = new Memory(Math.max(1, count) * (long)IOVEC_SIZE);
        }
        iovecCount = count;
        iovecs.clear();
        header.setPointer(16, 0 == count ? Pointer.NULL : iovecs);
        header.setLong(24, count);
        return this;
    }

    /**
     * Sets one iovec.
     *
     * @param index which iovec.
     * @param base buffer.
     * @param length buffer length.
     * @return this.
     */
    public Msghdr iovec(final int index, final Pointer base, final long length)
    {
        iovecs.setPointer((long)index * IOVEC_SIZE, base);
        iovecs.setLong((long)index * IOVEC_SIZE + 8, length);
        return this;
    }

    /**
     * Sets the address buffer ({@code msg_name}).
     *
     * @param name the buffer, or null.
     * @param length its length.
     * @return this.
     */
    public Msghdr name(final Pointer name, final int length)
    {
        header.setPointer(0, name);
        header.setInt(8, length);
        return this;
    }

    /**
     * Sets the ancillary data buffer ({@code msg_control}).
     *
     * @param control the buffer, or null.
     * @param length its length.
     * @return this.
     */
    public Msghdr control(final Pointer control, final long length)
    {
        header.setPointer(32, control);
        header.setLong(40, length);
        return this;
    }

    /**
     * Sets {@code msg_flags}.
     *
     * @param flags the flags.
     * @return this.
     */
    public Msghdr flags(final int flags)
    {
        header.setInt(48, flags);
        return this;
    }

    /**
     * {@code msg_namelen} as the kernel left it.
     *
     * @return the length.
     */
    public int nameLength()
    {
        return header.getInt(8);
    }

    /**
     * {@code msg_controllen} as the kernel left it.
     *
     * @return the length.
     */
    public long controlLength()
    {
        return header.getLong(40);
    }

    /**
     * {@code msg_flags} as the kernel left it.
     *
     * @return the flags.
     */
    public int resultFlags()
    {
        return header.getInt(48);
    }

    /**
     * The native header to pass to {@link LibC#sendmsg}/{@link LibC#recvmsg}.
     *
     * @return the pointer.
     */
    public Pointer pointer()
    {
        return header;
    }
}

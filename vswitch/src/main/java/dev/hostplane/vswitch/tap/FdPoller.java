package dev.hostplane.vswitch.tap;

import java.io.IOException;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Waits for any of several file descriptors to become readable, with poll(2). Reusable and
 * allocation-free once built; one per thread. Used by switching workers that block when idle
 * instead of spinning on non-blocking reads.
 */
public final class FdPoller implements AutoCloseable
{
    private static final int POLLFD_SIZE = 8;

    private final Memory fds;
    private final int capacity;
    private int count;

    /**
     * Creates a poller.
     *
     * @param capacity most descriptors.
     */
    public FdPoller(final int capacity)
    {
        this.capacity = capacity;
        this.fds = new Memory((long)Math.max(1, capacity) * POLLFD_SIZE);
    }

    /**
     * Sets the descriptors to wait on (replacing earlier ones).
     *
     * @param descriptors fds; negative entries are skipped.
     */
    public void set(final int[] descriptors)
    {
        count = 0;
        for (final int fd : descriptors)
        {
            if (fd < 0)
            {
                continue;
            }
            if (count == capacity)
            {
                throw new IllegalArgumentException("too many descriptors: capacity=" + capacity);
            }
            final long at = (long)count * POLLFD_SIZE;
            fds.setInt(at, fd);
            fds.setShort(at + 4, LibC.POLLIN);
            fds.setShort(at + 6, (short)0);
            count++;
        }
    }

    /**
     * Number of descriptors set.
     *
     * @return count.
     */
    public int size()
    {
        return count;
    }

    /**
     * Waits until one descriptor is readable or the timeout passes.
     *
     * @param timeoutMillis longest wait; 0 polls.
     * @return number of ready descriptors (0 on timeout).
     * @throws IOException when poll fails.
     */
    public int await(final int timeoutMillis) throws IOException
    {
        if (count == 0)
        {
            return 0;
        }
        final int n = LibC.poll(Pointer.nativeValue(fds), count, timeoutMillis);
        if (n < 0)
        {
            final int errno = Native.getLastError();
            if (errno == LibC.EINTR)
            {
                return 0;
            }
            throw new IOException("poll failed: " + LibC.describe(errno));
        }
        return n;
    }

    @Override
    public void close()
    {
        fds.close();
    }
}

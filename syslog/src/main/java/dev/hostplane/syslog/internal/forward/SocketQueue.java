package dev.hostplane.syslog.internal.forward;

import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How much of what we wrote to a TCP socket the peer has not acknowledged yet (Linux
 * {@code SIOCOUTQ}), read only while the connection is still established ({@code TCP_INFO} state),
 * because a reset purges the queue and would make lost bytes look delivered.
 */
final class SocketQueue
{
    private static final int SIOCOUTQ = 0x5411;
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_INFO = 11;
    private static final int TCP_ESTABLISHED = 1;
    private static final int TCP_CLOSE_WAIT = 8;
    private static final LibC LIBC = load();
    private static final Method FD_VAL = fdMethod();
    private static final Logger LOG = LoggerFactory.getLogger(SocketQueue.class);
    private static final AtomicBoolean FALLBACK_REPORTED = new AtomicBoolean();

    private SocketQueue()
    {
    }

    /** The libc calls we need. */
    public interface LibC extends Library
    {
        /**
         * ioctl(2) with an int out-argument.
         *
         * @param fd      descriptor.
         * @param request request.
         * @param arg     out value.
         * @return 0 or -1.
         */
        int ioctl(int fd, long request, IntByReference arg);

        /**
         * getsockopt(2).
         *
         * @param fd      descriptor.
         * @param level   level.
         * @param name    option.
         * @param value   buffer.
         * @param length  in/out length.
         * @return 0 or -1.
         */
        int getsockopt(int fd, int level, int name, byte[] value, IntByReference length);
    }

    private static LibC load()
    {
        try
        {
            return Native.load("c", LibC.class);
        }
        catch (final UnsatisfiedLinkError | RuntimeException ex)
        {
            return null;
        }
    }

    private static Method fdMethod()
    {
        try
        {
            final Method m = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
            m.setAccessible(true);
            return m;
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            return null;
        }
    }

    /**
     * The descriptor of a socket channel, or -1 when the JVM does not let us see it (then delivery
     * is confirmed when bytes reach the kernel).
     *
     * @param channel channel.
     * @return fd or -1.
     */
    static int fd(final SocketChannel channel)
    {
        if (null == LIBC || null == FD_VAL)
        {
            if (FALLBACK_REPORTED.compareAndSet(false, true))
            {
                LOG.warn("TCP forwarding confirms delivery when bytes reach the kernel, not when the peer " +
                    "acknowledges them: {}", null == LIBC ? "libc is not reachable through JNA" :
                    "add --add-exports=java.base/sun.nio.ch=ALL-UNNAMED to read the socket's unacknowledged bytes");
            }
            return -1;
        }
        try
        {
            return (Integer)FD_VAL.invoke(channel);
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            return -1;
        }
    }

    /** {@link #unacknowledged} result flag: the peer has closed (FIN), the count is still valid. */
    static final long PEER_CLOSED = 1L << 40;

    /**
     * Unacknowledged bytes (plus {@link #PEER_CLOSED} if the peer has sent FIN), or -1 if the
     * connection is broken (reset or closed).
     *
     * @param fd descriptor.
     * @return bytes, possibly with the flag, or -1.
     */
    static long unacknowledged(final int fd)
    {
        final IntByReference out = new IntByReference();
        if (0 != LIBC.ioctl(fd, SIOCOUTQ, out))
        {
            return -1;
        }
        final byte[] info = new byte[8];
        final IntByReference len = new IntByReference(info.length);
        if (0 != LIBC.getsockopt(fd, IPPROTO_TCP, TCP_INFO, info, len))
        {
            return -1;
        }
        final int state = info[0] & 0xFF;
        if (state == TCP_ESTABLISHED)
        {
            return out.getValue();
        }
        // The peer closed (FIN after reading everything it acknowledged): what it acknowledged is
        // delivered, anything still queued never will be.
        return state == TCP_CLOSE_WAIT ? PEER_CLOSED | out.getValue() : -1;
    }
}

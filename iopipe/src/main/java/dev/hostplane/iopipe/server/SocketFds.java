package dev.hostplane.iopipe.server;

import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.hostplane.iopipe.internal.Fds;
import dev.hostplane.iopipe.internal.LibC;
import io.netty.channel.Channel;
import io.netty.channel.unix.UnixChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel descriptor of a Netty socket channel, for the system calls that move bodies: the epoll
 * transport exposes it; under NIO it is reached through the JDK channel, which needs
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}. Without it bodies are copied through a buffer,
 * and the first time that happens a warning names the cause and the flag.
 */
final class SocketFds
{
    private static final Logger LOG = LoggerFactory.getLogger(SocketFds.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private SocketFds()
    {
    }

    /**
     * The descriptor, or -1 when out of reach (bodies are then copied; a warning says why once).
     *
     * @param channel a connected socket channel.
     * @return the descriptor or -1.
     */
    static int of(final Channel channel)
    {
        if (!LibC.AVAILABLE)
        {
            warnOnce("native calls unavailable: " + LibC.UNAVAILABLE_REASON, "run on Linux with JNA's native library");
            return -1;
        }
        if (channel instanceof UnixChannel)
        {
            return ((UnixChannel)channel).fd().intValue();
        }
        final SocketChannel jdk = javaChannel(channel);
        final int fd = null == jdk ? -1 : Fds.of(jdk);
        if (fd < 0)
        {
            warnOnce("no descriptor for " + channel.getClass().getName()
                + (null != Fds.UNAVAILABLE_REASON ? ": " + Fds.UNAVAILABLE_REASON : ""),
                "add --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/java.io=ALL-UNNAMED, or use "
                    + "the epoll transport");
        }
        return fd;
    }

    private static void warnOnce(final String cause, final String fix)
    {
        if (WARNED.compareAndSet(false, true))
        {
            LOG.warn("zero-copy unavailable, file bodies are copied through a buffer (strategy COPY): {} (fix: {})",
                cause, fix);
        }
    }

    private static SocketChannel javaChannel(final Channel channel)
    {
        for (Class<?> c = channel.getClass(); null != c; c = c.getSuperclass())
        {
            try
            {
                final Method m = c.getDeclaredMethod("javaChannel");
                m.setAccessible(true);
                final Object ch = m.invoke(channel);
                return ch instanceof SocketChannel ? (SocketChannel)ch : null;
            }
            catch (final NoSuchMethodException ignore)
            {
                // declared further up
            }
            catch (final ReflectiveOperationException | RuntimeException ex)
            {
                return null;
            }
        }
        return null;
    }
}

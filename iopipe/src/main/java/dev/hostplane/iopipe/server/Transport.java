package dev.hostplane.iopipe.server;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty transport the servers run on: epoll when its native library loads, otherwise NIO, said once
 * in a warning that names the cause and the fix (the NIO transport works, but it has no splice, so the
 * proxy cannot run on it, and its file regions go through the JDK's transferTo).
 */
final class Transport
{
    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private Transport()
    {
    }

    /**
     * Whether the epoll transport is usable; the first caller that finds it is not logs why.
     *
     * @return true for epoll.
     */
    static boolean epoll()
    {
        if (Epoll.isAvailable())
        {
            return true;
        }
        if (WARNED.compareAndSet(false, true))
        {
            LOG.warn("Netty epoll transport unavailable, falling back to NIO: cause={} (fix: put "
                + "io.netty:netty-transport-native-epoll with classifier linux-x86_64 or linux-aarch_64 on the class "
                + "path, on Linux)", String.valueOf(Epoll.unavailabilityCause()));
        }
        return false;
    }

    /**
     * A group of {@code threads} event loops on the best transport.
     *
     * @param threads event loops.
     * @param name    thread name prefix.
     * @return the group; shut it down to stop the threads.
     */
    static EventLoopGroup group(final int threads, final String name)
    {
        final IoHandlerFactory factory = epoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, threadFactory(name), factory);
    }

    /**
     * The server channel class that fits {@link #group(int, String)}.
     *
     * @return the class.
     */
    static Class<? extends ServerChannel> serverChannel()
    {
        return epoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    private static ThreadFactory threadFactory(final String name)
    {
        final AtomicInteger n = new AtomicInteger();
        return r ->
        {
            final Thread t = new io.netty.util.concurrent.FastThreadLocalThread(r, name + "-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
    }
}

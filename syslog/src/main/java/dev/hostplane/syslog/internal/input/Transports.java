package dev.hostplane.syslog.internal.input;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import dev.hostplane.syslog.internal.thread.LibraryThreads;

/**
 * Netty transport choice: native epoll on Linux when its library loads, NIO otherwise.
 */
public final class Transports
{
    private static final boolean EPOLL = Epoll.isAvailable();

    private Transports()
    {
    }

    /**
     * Whether the native epoll transport is in use.
     *
     * @return true with epoll.
     */
    public static boolean epoll()
    {
        return EPOLL;
    }

    /**
     * An event loop group.
     *
     * @param threads threads.
     * @return group.
     */
    public static EventLoopGroup group(final int threads)
    {
        final IoHandlerFactory f = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, LibraryThreads.factory("io"), f);
    }

    static Class<? extends ServerChannel> serverChannel()
    {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    static Class<? extends DatagramChannel> datagramChannel()
    {
        return EPOLL ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }
}

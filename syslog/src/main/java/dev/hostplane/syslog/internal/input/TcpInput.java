package dev.hostplane.syslog.internal.input;

import java.net.InetSocketAddress;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

import dev.hostplane.syslog.SyslogException;
import dev.hostplane.syslog.internal.queue.MainQueue;

/**
 * imtcp: a TCP listener whose sessions are framed by {@link TcpFrameDecoder}. All sessions share the
 * given event loop group, so thousands of idle sessions cost a few kilobytes each, not a thread.
 */
public final class TcpInput implements NetInput
{
    /** How long close() waits for senders to close their side after our FIN. */
    static final long DRAIN_MS = 2_000;

    private final InputStats stats;
    private final Channel server;
    private final ChannelGroup sessions = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    /**
     * Binds and starts accepting.
     *
     * @param group       event loops.
     * @param address     listen address.
     * @param port        port (0 = any).
     * @param queue       main queue.
     * @param senders     fromhost cache.
     * @param maxMessage  maxMessageSize.
     * @param maxFrame    maxFrameSize (octet counts above it are framing errors).
     * @param maxSessions concurrent session limit.
     */
    public TcpInput(final EventLoopGroup group, final String address, final int port, final MainQueue queue,
        final Senders senders, final int maxMessage, final int maxFrame, final int maxSessions)
    {
        this.stats = new InputStats("imtcp:" + address + ":" + port);
        final ServerBootstrap b = new ServerBootstrap()
            .group(group)
            .channel(Transports.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 4096)
            .option(ChannelOption.SO_REUSEADDR, Boolean.TRUE)
            .childHandler(new ChannelInitializer<Channel>()
            {
                @Override
                protected void initChannel(final Channel ch)
                {
                    sessions.add(ch);
                    ch.pipeline().addLast(new TcpFrameDecoder(queue, stats, senders, maxMessage, maxFrame,
                        maxSessions));
                }
            });
        try
        {
            server = b.bind(new InetSocketAddress(address, port)).sync().channel();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new SyslogException("imtcp: interrupted while binding address=" + address + " port=" + port, ex);
        }
        catch (final RuntimeException ex)
        {
            throw new SyslogException("imtcp: cannot listen: address=" + address + " port=" + port + " error=" + ex,
                ex);
        }
    }

    @Override
    public InputStats stats()
    {
        return stats;
    }

    @Override
    public int port()
    {
        return ((InetSocketAddress)server.localAddress()).getPort();
    }

    /**
     * Stops accepting, then closes sessions the graceful way: our FIN first, reading on until the
     * sender closes too (at most {@link #DRAIN_MS}). Closing a socket with unread data would reset it
     * and silently lose what the sender's TCP already saw acknowledged; a sender that watches for
     * the FIN (our omfwd does) stops writing and re-sends only what we never acknowledged.
     */
    @Override
    public void close()
    {
        server.close().syncUninterruptibly();
        for (final Channel ch : sessions)
        {
            if (ch instanceof DuplexChannel)
            {
                ((DuplexChannel)ch).shutdownOutput();
            }
        }
        final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(DRAIN_MS);
        while (!sessions.isEmpty() && System.nanoTime() < deadline)
        {
            try
            {
                Thread.sleep(2);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                break;
            }
        }
        sessions.close().syncUninterruptibly();
    }
}

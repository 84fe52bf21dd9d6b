package dev.hostplane.syslog.internal.input;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

import dev.hostplane.syslog.SyslogException;
import dev.hostplane.syslog.internal.queue.MainQueue;
import dev.hostplane.syslog.internal.relp.AckGate;
import dev.hostplane.syslog.internal.relp.RelpDescriptor;
import dev.hostplane.syslog.internal.relp.RelpFrameEncoder;

/**
 * imrelp: a RELP listener ({@code input(type="imrelp" port=...)}). Each session is a {@link
 * RelpSession}; a {@code syslog} command is answered {@code 200 OK} only when the {@link AckGate}
 * says the message is safe (see there for what an answer promises and why it is stricter than
 * rsyslog's imrelp). Malformed frames are counted as framing errors, reported with the peer and
 * what was wrong, and end the session (RELP cannot resynchronise).
 */
public final class RelpInput implements NetInput
{
    /** How long close() waits for the answers of messages already received. */
    static final long DRAIN_MS = 3_000;

    private final InputStats stats;
    private final Channel server;
    private final ChannelGroup sessions = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final LongAdder unanswered = new LongAdder();

    /**
     * Binds and starts accepting.
     *
     * @param group       event loops.
     * @param address     listen address.
     * @param port        port (0 = any).
     * @param queue       main queue.
     * @param gate        when a message may be acknowledged.
     * @param senders     fromhost cache.
     * @param maxMessage  maxMessageSize (longer messages are truncated, counted as oversize).
     * @param maxData     {@code maxDataSize}: larger frames are protocol errors.
     * @param maxSessions concurrent session limit.
     */
    public RelpInput(final EventLoopGroup group, final String address, final int port, final MainQueue queue,
        final AckGate gate, final Senders senders, final int maxMessage, final int maxData, final int maxSessions)
    {
        this.stats = new InputStats("imrelp:" + address + ":" + port);
        final ServerBootstrap b = new ServerBootstrap()
            .group(group)
            .channel(Transports.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, Boolean.TRUE)
            .childOption(ChannelOption.TCP_NODELAY, Boolean.TRUE)
            .childHandler(new ChannelInitializer<Channel>()
            {
                @Override
                protected void initChannel(final Channel ch)
                {
                    sessions.add(ch);
                    ch.pipeline().addLast(new RelpSession(queue, gate, stats, senders, unanswered, maxMessage,
                        maxData, maxSessions));
                }
            });
        try
        {
            server = b.bind(new InetSocketAddress(address, port)).sync().channel();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new SyslogException("imrelp: interrupted while binding address=" + address + " port=" + port, ex);
        }
        catch (final RuntimeException ex)
        {
            throw new SyslogException("imrelp: cannot listen: address=" + address + " port=" + port + " error=" + ex,
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
     * Commands received and not answered yet, over all sessions.
     *
     * @return count.
     */
    public long unanswered()
    {
        return unanswered.sum();
    }

    /**
     * Stops accepting and reading, waits (at most {@link #DRAIN_MS}) until every message already
     * received is answered — the main queue keeps running meanwhile — then sends the
     * {@code serverclose} hint and closes: a graceful stop re-sends nothing. What is still unanswered
     * after the wait is sent again by the client later (a duplicate, never a loss).
     */
    @Override
    public void close()
    {
        server.close().syncUninterruptibly();
        for (final Channel ch : sessions)
        {
            ch.config().setAutoRead(false);
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MS);
        while (unanswered.sum() > 0 && System.nanoTime() < deadline)
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
        for (final Channel ch : sessions)
        {
            final ByteBuf hint = ch.alloc().buffer(24);
            RelpFrameEncoder.frame(hint, 0, RelpDescriptor.SERVERCLOSE, null, 0, 0);
            ch.writeAndFlush(hint).addListener(ChannelFutureListener.CLOSE);
        }
        final long closeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (!sessions.isEmpty() && System.nanoTime() < closeDeadline)
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

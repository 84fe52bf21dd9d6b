package dev.hostplane.syslog.internal.input;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;

import dev.hostplane.syslog.SyslogException;

/**
 * The listening half that imtcp and imrelp share: a Netty server socket whose accepted sessions
 * each get a fresh handler from the input and are tracked in a group, so the input's
 * {@code close()} can end them in its own protocol's way and then close what is left. Also holds the bind step
 * and the wait loop that the datagram input and the close paths use.
 */
final class TcpListener
{
    private final Channel server;
    private final ChannelGroup sessions = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    /**
     * Binds and starts accepting.
     *
     * @param group   event loops.
     * @param input   input name for error messages ({@code imtcp}, {@code imrelp}).
     * @param address listen address.
     * @param port    port (0 = any).
     * @param backlog {@code SO_BACKLOG}.
     * @param noDelay set {@code TCP_NODELAY} on accepted sessions (otherwise Netty's default stays).
     * @param handler a new session handler per accepted connection.
     */
    TcpListener(final EventLoopGroup group, final String input, final String address, final int port,
        final int backlog, final boolean noDelay, final Supplier<ChannelHandler> handler)
    {
        this(group, input, address, port, backlog, noDelay, null, null, handler);
    }

    /**
     * Binds and starts accepting, with TLS in front of each session when {@code tls} is given.
     *
     * @param group   event loops.
     * @param input   input name for error messages ({@code imtcp}, {@code imrelp}).
     * @param address listen address.
     * @param port    port (0 = any).
     * @param backlog {@code SO_BACKLOG}.
     * @param noDelay set {@code TCP_NODELAY} on accepted sessions (otherwise Netty's default stays).
     * @param tls     server TLS context, or null for plain TCP.
     * @param stats   the input's counters (refused handshakes), used with {@code tls}.
     * @param handler a new session handler per accepted connection.
     */
    TcpListener(final EventLoopGroup group, final String input, final String address, final int port,
        final int backlog, final boolean noDelay, final SslContext tls, final InputStats stats,
        final Supplier<ChannelHandler> handler)
    {
        final ServerBootstrap b = new ServerBootstrap()
            .group(group)
            .channel(Transports.serverChannel())
            .option(ChannelOption.SO_BACKLOG, backlog)
            .option(ChannelOption.SO_REUSEADDR, Boolean.TRUE);
        if (noDelay)
        {
            b.childOption(ChannelOption.TCP_NODELAY, Boolean.TRUE);
        }
        b.childHandler(new ChannelInitializer<Channel>()
        {
            @Override
            protected void initChannel(final Channel ch)
            {
                sessions.add(ch);
                if (null != tls)
                {
                    ch.pipeline().addLast(tls.newHandler(ch.alloc()), new TlsHandshakeWatch(stats));
                }
                ch.pipeline().addLast(handler.get());
            }
        });
        server = bind(b, input, "cannot listen", address, port);
    }

    /**
     * Binds a bootstrap, turning a failure into a {@link SyslogException} that names the input,
     * the address and the port.
     *
     * @param bootstrap configured bootstrap.
     * @param input     input name for error messages.
     * @param failure   what failed, for the message ({@code cannot listen}, {@code cannot bind}).
     * @param address   listen address.
     * @param port      port (0 = any).
     * @return the bound channel.
     */
    static Channel bind(final AbstractBootstrap<?, ?> bootstrap, final String input, final String failure,
        final String address, final int port)
    {
        try
        {
            return bootstrap.bind(new InetSocketAddress(address, port)).sync().channel();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new SyslogException(input + ": interrupted while binding address=" + address + " port=" + port, ex);
        }
        catch (final RuntimeException ex)
        {
            throw new SyslogException(input + ": " + failure + ": address=" + address + " port=" + port + " error=" +
                ex, ex);
        }
    }

    /**
     * The local port a bound channel got (the real one when 0 was asked for).
     *
     * @param channel bound channel.
     * @return port.
     */
    static int port(final Channel channel)
    {
        return ((InetSocketAddress)channel.localAddress()).getPort();
    }

    /**
     * Sleeps in short steps until {@code done} holds or {@code millis} have passed; an interrupt
     * ends the wait early and is kept.
     *
     * @param done   what to wait for.
     * @param millis longest wait.
     */
    static void awaitUntil(final BooleanSupplier done, final long millis)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!done.getAsBoolean() && System.nanoTime() < deadline)
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
    }

    /**
     * Accepted sessions still open.
     *
     * @return the group.
     */
    ChannelGroup sessions()
    {
        return sessions;
    }

    /**
     * Stops accepting, then starts the input's way of ending each session still open; sessions
     * accepted before stay open until they end or {@link #closeSessions} closes them.
     *
     * @param each what to do to each open session (stop reading, send FIN, ...).
     */
    void stopAccepting(final Consumer<Channel> each)
    {
        server.close().syncUninterruptibly();
        for (final Channel ch : sessions)
        {
            each.accept(ch);
        }
    }

    /**
     * Gives the sessions at most {@code millis} to end by themselves, then closes those still open.
     *
     * @param millis longest wait.
     */
    void closeSessions(final long millis)
    {
        awaitUntil(sessions::isEmpty, millis);
        sessions.close().syncUninterruptibly();
    }

    /**
     * The port listened on.
     *
     * @return port.
     */
    int port()
    {
        return port(server);
    }
}

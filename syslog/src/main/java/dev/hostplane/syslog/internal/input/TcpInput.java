package dev.hostplane.syslog.internal.input;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslContext;

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
    private final TcpListener listener;

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
     * @param acl         allowed senders.
     * @param tls         server TLS context (RFC 5425), or null for plain TCP.
     */
    public TcpInput(final EventLoopGroup group, final String address, final int port, final MainQueue queue,
        final Senders senders, final int maxMessage, final int maxFrame, final int maxSessions,
        final SenderAcl acl, final SslContext tls)
    {
        this.stats = new InputStats("imtcp:" + address + ":" + port);
        this.listener = new TcpListener(group, "imtcp", address, port, 4096, false, tls, stats,
            () -> new TcpFrameDecoder(queue, stats, senders, maxMessage, maxFrame, maxSessions,
                acl));
    }

    @Override
    public InputStats stats()
    {
        return stats;
    }

    @Override
    public int port()
    {
        return listener.port();
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
        listener.stopAccepting(ch ->
        {
            if (ch instanceof DuplexChannel)
            {
                ((DuplexChannel)ch).shutdownOutput();
            }
        });
        listener.closeSessions(DRAIN_MS);
    }
}

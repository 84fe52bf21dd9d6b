package dev.hostplane.syslog.internal.input;

import java.util.concurrent.atomic.LongAdder;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;

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
    private final TcpListener listener;
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
     * @param tls         server TLS context (librelp's {@code tls="on"}), or null for plain TCP.
     */
    public RelpInput(final EventLoopGroup group, final String address, final int port, final MainQueue queue,
        final AckGate gate, final Senders senders, final int maxMessage, final int maxData, final int maxSessions,
        final SslContext tls)
    {
        this.stats = new InputStats("imrelp:" + address + ":" + port);
        this.listener = new TcpListener(group, "imrelp", address, port, 1024, true, tls, stats,
            () -> new RelpSession(queue, gate, stats, senders, unanswered, maxMessage, maxData, maxSessions));
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
        listener.stopAccepting(ch -> ch.config().setAutoRead(false));
        TcpListener.awaitUntil(() -> unanswered.sum() <= 0, DRAIN_MS);
        for (final Channel ch : listener.sessions())
        {
            final ByteBuf hint = ch.alloc().buffer(24);
            RelpFrameEncoder.frame(hint, 0, RelpDescriptor.SERVERCLOSE, null, 0, 0);
            ch.writeAndFlush(hint).addListener(ChannelFutureListener.CLOSE);
        }
        listener.closeSessions(1_000);
    }
}

package dev.hostplane.iopipe.server;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Sits on the listening channel and decides when it accepts. Two reasons stop accepting: the
 * connection limit (accepting resumes when a connection closes, the kernel's backlog holds the rest,
 * like HAProxy's {@code maxconn}), and accept failing (EMFILE, ENFILE, ENOBUFS: accepting pauses for a
 * back-off interval and the failure is logged at most once per interval, as nginx does), so a server at
 * its descriptor limit neither spins nor floods the log, and picks up again once descriptors free up.
 * A failure is not passed on: Netty's own acceptor would add a second, fixed pause and a log line per
 * failure.
 */
final class AcceptGuard extends ChannelInboundHandlerAdapter
{
    private final int maxConnections;
    private final long backoffNanos;
    private final RateLimitedLog acceptFailures;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong pauses = new AtomicLong();
    private final ChannelFutureListener onChildClose = f -> childClosed();
    private volatile Channel server;
    /** Event-loop-confined: accepting is paused for a failure until the back-off ends. */
    private boolean backingOff;

    AcceptGuard(final int maxConnections, final long backoffNanos, final RateLimitedLog acceptFailures)
    {
        this.maxConnections = maxConnections;
        this.backoffNanos = backoffNanos;
        this.acceptFailures = acceptFailures;
    }

    @Override
    public void channelRegistered(final ChannelHandlerContext ctx)
    {
        server = ctx.channel();
        ctx.fireChannelRegistered();
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final Channel child = (Channel)msg;
        accepted.incrementAndGet();
        if (open.incrementAndGet() > maxConnections)
        {
            // One accept batch can overshoot the limit before the pause takes effect: those few are closed
            // at once, as nginx does when worker_connections run out.
            open.decrementAndGet();
            refused.incrementAndGet();
            child.unsafe().closeForcibly();
            updateAutoRead(ctx.channel());
            return;
        }
        child.closeFuture().addListener(onChildClose);
        updateAutoRead(ctx.channel());
        ctx.fireChannelRead(child);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (!(cause instanceof IOException))
        {
            ctx.fireExceptionCaught(cause);
            return;
        }
        pauses.incrementAndGet();
        acceptFailures.warn("accept failed on " + ctx.channel().localAddress() + ": " + cause.getMessage()
            + "; not accepting for " + TimeUnit.NANOSECONDS.toMillis(backoffNanos) + " ms, open connections="
            + open.get());
        if (!backingOff)
        {
            backingOff = true;
            ctx.channel().config().setAutoRead(false);
            ctx.channel().eventLoop().schedule(() ->
            {
                backingOff = false;
                updateAutoRead(ctx.channel());
            }, backoffNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void childClosed()
    {
        open.decrementAndGet();
        final Channel s = server;
        if (null != s && !s.config().isAutoRead() && s.isOpen())
        {
            s.eventLoop().execute(() -> updateAutoRead(s));
        }
    }

    /** Runs on the listener's event loop: accept while under the limit and not backing off. */
    private void updateAutoRead(final Channel s)
    {
        final boolean accept = !backingOff && open.get() < maxConnections;
        if (s.config().isAutoRead() != accept)
        {
            s.config().setAutoRead(accept);
        }
    }

    int openConnections()
    {
        return open.get();
    }

    long accepted()
    {
        return accepted.get();
    }

    long refused()
    {
        return refused.get();
    }

    long pauses()
    {
        return pauses.get();
    }
}

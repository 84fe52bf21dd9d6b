package dev.hostplane.syslog.internal.input;

import java.net.InetSocketAddress;

import javax.net.ssl.SSLHandshakeException;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;

/**
 * Sits behind a listener's {@code SslHandler}: a session whose handshake fails (a peer that is not
 * permitted, a certificate that is expired, self-signed or from another CA, a sender speaking plain
 * TCP, a handshake that never ends) is counted in the input's statistics and reported with the
 * reason, then closed; nothing of it reaches the framing. A peer's {@code close_notify} closes the
 * session.
 */
final class TlsHandshakeWatch extends ChannelInboundHandlerAdapter
{
    private final InputStats stats;

    TlsHandshakeWatch(final InputStats stats)
    {
        this.stats = stats;
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt) throws Exception
    {
        if (evt instanceof SslHandshakeCompletionEvent)
        {
            final SslHandshakeCompletionEvent done = (SslHandshakeCompletionEvent)evt;
            if (!done.isSuccess())
            {
                final InetSocketAddress from = (InetSocketAddress)ctx.channel().remoteAddress();
                final String peer = null == from ? "-" : from.getAddress().getHostAddress() + ":" + from.getPort();
                stats.tlsRefused(peer, reason(done.cause()));
                ctx.close();
            }
        }
        else if (evt instanceof SslCloseCompletionEvent)
        {
            // The peer's close_notify: it sends nothing more. Answer it and close, as a TCP FIN would be
            // answered: rsyslogd's OpenSSL sender waits for our close_notify before it can exit.
            ctx.close();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        // The handshake failure is counted from its completion event; the session just ends here.
        ctx.close();
    }

    static String reason(final Throwable cause)
    {
        if (cause instanceof NotSslRecordException)
        {
            return "not a TLS record (a plain-TCP sender on a TLS listener?)";
        }
        if (cause instanceof SslHandshakeTimeoutException)
        {
            return "handshake timed out";
        }
        Throwable c = cause;
        while (null != c.getCause() && c.getCause() != c)
        {
            c = c.getCause();
        }
        final String root = null == c.getMessage() ? c.toString() : c.getMessage();
        return cause instanceof SSLHandshakeException || c == cause ? root : cause.getMessage() + ": " + root;
    }
}

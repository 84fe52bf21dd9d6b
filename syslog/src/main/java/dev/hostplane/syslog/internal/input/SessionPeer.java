package dev.hostplane.syslog.internal.input;

import java.net.InetSocketAddress;

import io.netty.channel.ChannelHandlerContext;

/**
 * Who is on the other end of one stream session (imtcp, imrelp) and whether the session was
 * admitted under the input's {@code maxSessions}: decided once when the connection becomes active,
 * so the per-message path only copies the cached {@code fromhost} bytes.
 */
final class SessionPeer
{
    /** {@code fromhost} bytes of the sender (null until admitted). */
    byte[] fromHost;
    /** {@code fromhost-ip} bytes of the sender (null until admitted). */
    byte[] fromHostIp;
    /** {@code address:port} of the sender for error reports, {@code -} until admitted. */
    String peer = "-";
    /** Counted as an open session in the input's stats. */
    boolean accepted;

    /**
     * Admits the session if the input has room for it, otherwise closes the connection.
     *
     * @param ctx         the session's context.
     * @param stats       the input's counters (hold the open session count).
     * @param senders     fromhost cache.
     * @param maxSessions concurrent session limit.
     * @return true when admitted.
     */
    boolean admit(final ChannelHandlerContext ctx, final InputStats stats, final Senders senders,
        final int maxSessions, final SenderAcl acl)
    {
        final InetSocketAddress from = (InetSocketAddress)ctx.channel().remoteAddress();
        if (!acl.allows(from.getAddress()))
        {
            stats.refuseSender();
            ctx.close();
            return false;
        }
        if (!stats.sessionOpened(maxSessions))
        {
            ctx.close();
            return false;
        }
        accepted = true;
        final InetSocketAddress remote = (InetSocketAddress)ctx.channel().remoteAddress();
        final byte[][] names = senders.lookup(remote.getAddress());
        fromHost = names[0];
        fromHostIp = names[1];
        peer = remote.getAddress().getHostAddress() + ":" + remote.getPort();
        return true;
    }
}

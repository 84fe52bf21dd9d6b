package dev.hostplane.syslog.internal.input;

import java.net.InetSocketAddress;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import dev.hostplane.syslog.internal.queue.MainQueue;

/**
 * imtcp framing for one session, as rsyslog 8.2302 decides it frame by frame: a frame that starts
 * with a digit is octet-counted ({@code LEN SP MSG}, the byte after the digits is taken as the
 * delimiter whatever it is), anything else is LF-delimited. Limits and resynchronisation:
 * <ul>
 * <li>an octet count above {@code maxFrameSize} (or of ten or more digits) is a framing error: the
 * frame is read as LF-delimited instead, so the stream resynchronises at the next LF;</li>
 * <li>an octet-counted frame longer than {@code maxMessageSize} is truncated to it and the rest is
 * skipped exactly (the count says where the next frame starts);</li>
 * <li>an LF frame longer than {@code maxMessageSize} is submitted in pieces of that size, and the
 * byte that overflowed is lost (what rsyslogd does);</li>
 * <li>at the end of the connection a partial frame is submitted and counted as truncated.</li>
 * </ul>
 * Empty LF frames are skipped. The decoder copies each frame straight from Netty's buffer into a
 * main-queue slot.
 */
final class TcpFrameDecoder extends ChannelInboundHandlerAdapter
{
    private static final byte[] INPUT_NAME = {'i', 'm', 't', 'c', 'p'};

    private final MainQueue queue;
    private final InputStats stats;
    private final Senders senders;
    private final int maxMessage;
    private final int maxFrame;
    private final int maxSessions;
    private ByteBuf cumulation;
    private byte[] fromHost;
    private byte[] fromHostIp;
    private String peer = "-";
    private long skip;
    private boolean dropNextUnlessLf;
    private boolean accepted;
    private long pendingLow = -1;
    private long pendingHigh = -1;

    TcpFrameDecoder(final MainQueue queue, final InputStats stats, final Senders senders, final int maxMessage,
        final int maxFrame, final int maxSessions)
    {
        this.queue = queue;
        this.stats = stats;
        this.senders = senders;
        this.maxMessage = maxMessage;
        this.maxFrame = maxFrame;
        this.maxSessions = maxSessions;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        if (!stats.sessionOpened(maxSessions))
        {
            ctx.close();
            return;
        }
        accepted = true;
        final InetSocketAddress remote = (InetSocketAddress)ctx.channel().remoteAddress();
        final byte[][] names = senders.lookup(remote.getAddress());
        fromHost = names[0];
        fromHostIp = names[1];
        peer = remote.getAddress().getHostAddress() + ":" + remote.getPort();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf in = (ByteBuf)msg;
        if (!accepted)
        {
            in.release();
            return;
        }
        if (null == cumulation)
        {
            cumulation = in;
        }
        else
        {
            if (cumulation.writableBytes() < in.readableBytes())
            {
                final ByteBuf bigger = ctx.alloc().buffer(cumulation.readableBytes() + in.readableBytes());
                bigger.writeBytes(cumulation);
                cumulation.release();
                cumulation = bigger;
            }
            cumulation.writeBytes(in);
            in.release();
        }
        decode(cumulation, false);
        publishPending();
        if (!cumulation.isReadable())
        {
            cumulation.release();
            cumulation = null;
        }
        else
        {
            cumulation.discardSomeReadBytes();
        }
    }

    private void decode(final ByteBuf buf, final boolean eof)
    {
        while (buf.isReadable())
        {
            if (skip > 0)
            {
                final int n = (int)Math.min(skip, buf.readableBytes());
                buf.skipBytes(n);
                skip -= n;
                continue;
            }
            final int r = buf.readerIndex();
            final int w = buf.writerIndex();
            if (dropNextUnlessLf)
            {
                dropNextUnlessLf = false;
                if (buf.getByte(r) != '\n')
                {
                    buf.skipBytes(1);
                    continue;
                }
            }
            final byte first = buf.getByte(r);
            if (first >= '0' && first <= '9')
            {
                final int result = octetCounted(buf, r, w, eof);
                if (result > 0)
                {
                    continue;
                }
                if (result == 0)
                {
                    return;
                }
            }
            if (!lfFramed(buf, r, w, eof))
            {
                return;
            }
        }
    }

    /** @return 1 consumed a frame, 0 needs more data, -1 not octet-counted (read it as an LF frame). */
    private int octetCounted(final ByteBuf buf, final int r, final int w, final boolean eof)
    {
        int p = r;
        long len = 0;
        while (p < w && p - r < 10)
        {
            final byte c = buf.getByte(p);
            if (c < '0' || c > '9')
            {
                break;
            }
            len = len * 10 + (c - '0');
            p++;
        }
        if (p - r >= 10)
        {
            stats.framingError(peer, "octet count of 10+ digits: reading the frame as LF-delimited");
            return -1;
        }
        if (p == w)
        {
            if (eof)
            {
                return -1;
            }
            return 0;
        }
        if (len > maxFrame)
        {
            stats.framingError(peer, "octetCount=" + len + " exceeds maxFrameSize=" + maxFrame +
                ": reading the frame as LF-delimited");
            return -1;
        }
        final int header = p + 1 - r;
        final int available = w - r - header;
        final int length = (int)len;
        if (available < length && available < maxMessage)
        {
            if (eof)
            {
                stats.truncated(peer, "octetCount=" + len + " received=" + Math.max(0, available));
                submit(buf, r + header, Math.max(0, available));
                buf.readerIndex(w);
                return 1;
            }
            return 0;
        }
        if (length > maxMessage)
        {
            stats.oversize(peer, "octetCount=" + len + " exceeds maxMessageSize=" + maxMessage + ": truncated");
            submit(buf, r + header, maxMessage);
            final int inBuffer = Math.min(length, available);
            buf.readerIndex(r + header + inBuffer);
            skip = length - inBuffer;
            return 1;
        }
        submit(buf, r + header, length);
        buf.readerIndex(r + header + length);
        return 1;
    }

    private boolean lfFramed(final ByteBuf buf, final int r, final int w, final boolean eof)
    {
        final int limit = Math.min(w, r + maxMessage);
        final int lf = buf.indexOf(r, limit, (byte)'\n');
        if (lf >= 0)
        {
            if (lf > r)
            {
                submit(buf, r, lf - r);
            }
            buf.readerIndex(lf + 1);
            return true;
        }
        if (w - r >= maxMessage)
        {
            stats.oversize(peer, "LF frame exceeds maxMessageSize=" + maxMessage + ": split");
            submit(buf, r, maxMessage);
            buf.readerIndex(r + maxMessage);
            dropNextUnlessLf = true;
            return true;
        }
        if (eof)
        {
            submit(buf, r, w - r);
            buf.readerIndex(w);
            return true;
        }
        return false;
    }

    private void submit(final ByteBuf buf, final int index, final int length)
    {
        long seq = queue.tryClaim();
        if (seq < 0)
        {
            // Full: hand over what this read produced so far, then wait for room (backpressure:
            // this event loop stops reading, the senders' TCP windows close).
            publishPending();
            seq = queue.claim();
        }
        else if (pendingLow >= 0 && seq != pendingHigh + 1)
        {
            // Another input claimed in between: a published range must be contiguous.
            publishPending();
        }
        final MainQueue.MessageSlot s = queue.slot(seq);
        buf.getBytes(index, s.ensure(length), 0, length);
        s.length = length;
        s.inputName = INPUT_NAME;
        s.fromHost = fromHost;
        s.fromHostIp = fromHostIp;
        if (pendingLow < 0)
        {
            pendingLow = seq;
        }
        pendingHigh = seq;
        stats.message(length);
    }

    private void publishPending()
    {
        if (pendingLow >= 0)
        {
            queue.publish(pendingLow, pendingHigh);
            pendingLow = -1;
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        if (null != cumulation)
        {
            if (accepted)
            {
                decode(cumulation, true);
                publishPending();
            }
            cumulation.release();
            cumulation = null;
        }
        if (accepted)
        {
            stats.sessionClosed();
            accepted = false;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        // A reset by the peer ends the session like a close; nothing else to report per session.
        ctx.close();
    }
}

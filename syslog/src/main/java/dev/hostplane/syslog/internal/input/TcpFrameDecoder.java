package dev.hostplane.syslog.internal.input;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import dev.hostplane.syslog.internal.message.ByteSearch;
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
 * Empty LF frames are skipped.
 * <p>
 * Each network read is copied once into a per-session heap array and the frames are found and copied
 * from there into main-queue slots: scanning a Netty buffer byte by byte through its (possibly
 * leak-detection wrapped) {@code indexOf} was the daemon's hottest spot, while a heap array allows a
 * word-at-a-time LF search ({@link ByteSearch}). The array starts small and grows only to what one read plus a partial
 * frame needs, so a thousand idle sessions cost a thousand small arrays.
 */
final class TcpFrameDecoder extends ChannelInboundHandlerAdapter
{
    private static final byte[] INPUT_NAME = {'i', 'm', 't', 'c', 'p'};
    private static final int INITIAL_CAPACITY = 1024;

    private final MainQueue queue;
    private final InputStats stats;
    private final Senders senders;
    private final int maxMessage;
    private final int maxFrame;
    private final int maxSessions;
    private final SenderAcl acl;
    private final SessionPeer session = new SessionPeer();
    private byte[] buf = new byte[INITIAL_CAPACITY];
    private int start;
    private int end;
    private long skip;
    private boolean dropNextUnlessLf;
    private long pendingLow = -1;
    private long pendingHigh = -1;
    private int readMessages;
    private long readBytes;

    TcpFrameDecoder(final MainQueue queue, final InputStats stats, final Senders senders, final int maxMessage,
        final int maxFrame, final int maxSessions, final SenderAcl acl)
    {
        this.queue = queue;
        this.stats = stats;
        this.senders = senders;
        this.maxMessage = maxMessage;
        this.maxFrame = maxFrame;
        this.maxSessions = maxSessions;
        this.acl = acl;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        if (!session.admit(ctx, stats, senders, maxSessions, acl))
        {
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf in = (ByteBuf)msg;
        try
        {
            if (!session.accepted)
            {
                return;
            }
            final int n = in.readableBytes();
            makeRoom(n);
            in.readBytes(buf, end, n);
            end += n;
        }
        finally
        {
            in.release();
        }
        decode(false);
        publishPending();
    }

    /** Compacts the unread bytes to the front, growing the array only if they plus n do not fit. */
    private void makeRoom(final int n)
    {
        if (start == end)
        {
            start = 0;
            end = 0;
        }
        if (end + n <= buf.length)
        {
            return;
        }
        final int unread = end - start;
        final byte[] target = unread + n <= buf.length ? buf : new byte[Math.max(unread + n, buf.length * 2)];
        System.arraycopy(buf, start, target, 0, unread);
        buf = target;
        start = 0;
        end = unread;
    }

    private void decode(final boolean eof)
    {
        while (start < end)
        {
            if (skip > 0)
            {
                final int n = (int)Math.min(skip, end - start);
                start += n;
                skip -= n;
                continue;
            }
            if (dropNextUnlessLf)
            {
                dropNextUnlessLf = false;
                if (buf[start] != '\n')
                {
                    start++;
                    continue;
                }
            }
            final byte first = buf[start];
            if (first >= '0' && first <= '9')
            {
                final int result = octetCounted(eof);
                if (result > 0)
                {
                    continue;
                }
                if (result == 0)
                {
                    return;
                }
            }
            if (!lfFramed(eof))
            {
                return;
            }
        }
    }

    /** @return 1 consumed a frame, 0 needs more data, -1 not octet-counted (read it as an LF frame). */
    private int octetCounted(final boolean eof)
    {
        final int r = start;
        final int w = end;
        int p = r;
        long len = 0;
        while (p < w && p - r < 10)
        {
            final byte c = buf[p];
            if (c < '0' || c > '9')
            {
                break;
            }
            len = len * 10 + (c - '0');
            p++;
        }
        if (p - r >= 10)
        {
            stats.framingError(session.peer, "octet count of 10+ digits: reading the frame as LF-delimited");
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
            stats.framingError(session.peer, "octetCount=" + len + " exceeds maxFrameSize=" + maxFrame +
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
                stats.truncated(session.peer, "octetCount=" + len + " received=" + Math.max(0, available));
                submit(r + header, Math.max(0, available));
                start = w;
                return 1;
            }
            return 0;
        }
        if (length > maxMessage)
        {
            stats.oversize(session.peer, "octetCount=" + len + " exceeds maxMessageSize=" + maxMessage + ": truncated");
            submit(r + header, maxMessage);
            final int inBuffer = Math.min(length, available);
            start = r + header + inBuffer;
            skip = length - inBuffer;
            return 1;
        }
        submit(r + header, length);
        start = r + header + length;
        return 1;
    }

    private boolean lfFramed(final boolean eof)
    {
        final int r = start;
        final int w = end;
        final int lf = ByteSearch.indexOf(buf, r, Math.min(w, r + maxMessage), (byte)'\n');
        if (lf >= 0)
        {
            if (lf > r)
            {
                submit(r, lf - r);
            }
            start = lf + 1;
            return true;
        }
        if (w - r >= maxMessage)
        {
            stats.oversize(session.peer, "LF frame exceeds maxMessageSize=" + maxMessage + ": split");
            submit(r, maxMessage);
            start = r + maxMessage;
            dropNextUnlessLf = true;
            return true;
        }
        if (eof)
        {
            submit(r, w - r);
            start = w;
            return true;
        }
        return false;
    }

    private void submit(final int index, final int length)
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
        System.arraycopy(buf, index, s.ensure(length), 0, length);
        s.length = length;
        s.inputName = INPUT_NAME;
        s.fromHost = session.fromHost;
        s.fromHostIp = session.fromHostIp;
        if (pendingLow < 0)
        {
            pendingLow = seq;
        }
        pendingHigh = seq;
        readMessages++;
        readBytes += length;
    }

    private void publishPending()
    {
        if (pendingLow >= 0)
        {
            queue.publish(pendingLow, pendingHigh);
            pendingLow = -1;
        }
        if (readMessages > 0)
        {
            // Counted once per read, not per message: the counters are shared by all sessions.
            stats.messages(readMessages, readBytes);
            readMessages = 0;
            readBytes = 0;
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        if (session.accepted)
        {
            decode(true);
            publishPending();
            stats.sessionClosed();
            session.accepted = false;
        }
        buf = new byte[0];
        start = 0;
        end = 0;
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        // A reset by the peer ends the session like a close; nothing else to report per session.
        ctx.close();
    }
}

package dev.hostplane.syslog.internal.input;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import dev.hostplane.syslog.internal.queue.MainQueue;
import dev.hostplane.syslog.internal.relp.AckGate;
import dev.hostplane.syslog.internal.relp.RelpDescriptor;
import dev.hostplane.syslog.internal.relp.RelpException;
import dev.hostplane.syslog.internal.relp.RelpFrameEncoder;
import dev.hostplane.syslog.internal.relp.RelpFrameParser;
import dev.hostplane.syslog.internal.relp.RelpOffers;

/**
 * One imrelp session: {@code open} (offers exchanged at once), then {@code syslog} commands whose
 * messages go straight into main-queue slots, and {@code close}. Every command is answered in the
 * order it came (RELP demands it): a FIFO of (txnr, main-queue sequence) is answered from its head
 * as far as the {@link AckGate} allows, after each read and then on a short timer while anything
 * is waiting. Protocol violations (malformed frame, a command before {@code open}, a wrong txnr)
 * are counted as framing errors, reported with the peer and the reason, and close the session.
 */
final class RelpSession extends ChannelInboundHandlerAdapter
{
    private static final byte[] INPUT_NAME = {'i', 'm', 'r', 'e', 'l', 'p'};
    /** FIFO marker: answer a {@code close} (empty data) and end the session. */
    private static final long CLOSE = -1;
    /** FIFO marker: answer {@code 500} to a command we do not know and go on (as librelp does). */
    private static final long UNKNOWN = -2;
    /** More unanswered commands than any sane window: the client ignores responses. */
    private static final int MAX_UNANSWERED = 1 << 16;
    /** Most messages claimed before they are published (well below any main-queue size). */
    private static final int MAX_UNPUBLISHED = 256;
    private static final long ACK_POLL_NS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final byte[] UNKNOWN_COMMAND = "500 unknown command".getBytes(StandardCharsets.US_ASCII);

    private final MainQueue queue;
    private final AckGate gate;
    private final AckGate.Snapshot snapshot;
    private final InputStats stats;
    private final Senders senders;
    private final LongAdder unanswered;
    private final int maxMessage;
    /** imrelp has no allowed-sender list in rsyslog. */
    private static final SenderAcl ALLOW_ALL = new SenderAcl("RELP");

    private final int maxSessions;
    private final RelpFrameParser parser;
    private final Runnable poll = this::pollAnswers;
    private final SessionPeer session = new SessionPeer();
    private ChannelHandlerContext context;
    private ByteBuf cumulation;
    private boolean open;
    private boolean closing;
    private boolean ended;
    private boolean pollScheduled;
    private boolean pausedForResponses;
    private int expectedTxnr = 1;
    private int[] txnrs = new int[256];
    private long[] sequences = new long[256];
    private int fifoHead;
    private int fifoSize;
    private long pendingLow = -1;
    private long pendingHigh = -1;

    RelpSession(final MainQueue queue, final AckGate gate, final InputStats stats, final Senders senders,
        final LongAdder unanswered, final int maxMessage, final int maxData, final int maxSessions)
    {
        this.queue = queue;
        this.gate = gate;
        this.snapshot = gate.newSnapshot();
        this.stats = stats;
        this.senders = senders;
        this.unanswered = unanswered;
        this.maxMessage = maxMessage;
        this.maxSessions = maxSessions;
        this.parser = new RelpFrameParser(maxData);
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        context = ctx;
        if (!session.admit(ctx, stats, senders, maxSessions, ALLOW_ALL))
        {
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        if (session.accepted)
        {
            session.accepted = false;
            stats.sessionClosed();
        }
        publishPending();
        // Unanswered messages are in the main queue all the same; the client sends them again.
        unanswered.add(-fifoSize);
        fifoSize = 0;
        ended = true;
        if (null != cumulation)
        {
            cumulation.release();
            cumulation = null;
        }
        ctx.fireChannelInactive();
    }

    /**
     * A client that sends commands but never reads the responses would pile them up in the outbound
     * buffer without bound; when that buffer passes its high-water mark this session is not read
     * any more (its sender blocks on its full socket) until the client takes its responses. Other
     * sessions on the same event loop go on.
     */
    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx)
    {
        if (!ctx.channel().isWritable())
        {
            pausedForResponses = true;
            ctx.channel().config().setAutoRead(false);
        }
        else if (pausedForResponses)
        {
            // Only a pause of our own ends here: the input's shutdown stops reading for good.
            pausedForResponses = false;
            ctx.channel().config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        // A reset by the peer and the like: the session is over, nothing else to report.
        ctx.close();
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf in = (ByteBuf)msg;
        if (!session.accepted || ended)
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
        try
        {
            while (!ended && cumulation.isReadable() && parser.parse(cumulation))
            {
                command(ctx, cumulation);
                cumulation.skipBytes(parser.frameLength());
            }
        }
        catch (final RelpException ex)
        {
            violation(ctx, ex.getMessage());
        }
        publishPending();
        if (null != cumulation)
        {
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
        answer();
    }

    private void command(final ChannelHandlerContext ctx, final ByteBuf buf)
    {
        final int txnr = parser.txnr();
        if (0 == txnr)
        {
            // A hint: never answered; none is defined from client to server.
            return;
        }
        if (closing)
        {
            throw new RelpException("command after close: txnr=" + txnr + " command=" + parser.command(buf));
        }
        if (txnr != expectedTxnr)
        {
            throw new RelpException("txnr=" + txnr + " out of sequence, expected txnr=" + expectedTxnr);
        }
        expectedTxnr = RelpDescriptor.next(expectedTxnr);
        if (parser.is(buf, RelpDescriptor.SYSLOG))
        {
            if (!open)
            {
                throw new RelpException("syslog command before open: txnr=" + txnr);
            }
            enqueue(txnr, publish(buf, parser.dataOffset(), parser.dataLength()));
        }
        else if (parser.is(buf, RelpDescriptor.OPEN))
        {
            open(ctx, buf, txnr);
        }
        else if (parser.is(buf, RelpDescriptor.CLOSE))
        {
            closing = true;
            enqueue(txnr, CLOSE);
        }
        else
        {
            if (!open)
            {
                throw new RelpException("command '" + parser.command(buf) + "' before open: txnr=" + txnr);
            }
            enqueue(txnr, UNKNOWN);
        }
    }

    private void open(final ChannelHandlerContext ctx, final ByteBuf buf, final int txnr)
    {
        if (open)
        {
            throw new RelpException("open on a session that is already open: txnr=" + txnr);
        }
        final Map<String, String> offers = RelpOffers.parse(buf.toString(parser.dataOffset(), parser.dataLength(),
            StandardCharsets.ISO_8859_1));
        final String refusal;
        if (!offers.containsKey("relp_version"))
        {
            refusal = "500 required offer relp_version missing";
        }
        else if (!RelpOffers.offersCommand(offers, "syslog"))
        {
            refusal = "500 required command not supported by client";
        }
        else
        {
            refusal = null;
        }
        final ByteBuf out = ctx.alloc().buffer(160);
        if (null != refusal)
        {
            final byte[] r = refusal.getBytes(StandardCharsets.US_ASCII);
            RelpFrameEncoder.frame(out, txnr, RelpDescriptor.RSP, r, 0, r.length);
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
            throw new RelpException("open refused: " + refusal.substring(4) + " offers=" + offers.keySet());
        }
        final byte[] ours = RelpOffers.ours("200 OK\n");
        RelpFrameEncoder.frame(out, txnr, RelpDescriptor.RSP, ours, 0, ours.length);
        ctx.writeAndFlush(out);
        open = true;
    }

    /** Copies the message into a main-queue slot; published in ranges (one wake-up per read). */
    private long publish(final ByteBuf buf, final int offset, final int length)
    {
        int len = length;
        if (len > maxMessage)
        {
            stats.oversize(session.peer, "length=" + length + " maxMessageSize=" + maxMessage + " truncated");
            len = maxMessage;
        }
        final long seq = queue.claim();
        if (pendingHigh >= 0 && (seq != pendingHigh + 1 || pendingHigh - pendingLow + 1 >= MAX_UNPUBLISHED))
        {
            // Another input claimed in between (a published range must be contiguous), or enough.
            publishPending();
        }
        final MainQueue.MessageSlot s = queue.slot(seq);
        buf.getBytes(offset, s.ensure(len), 0, len);
        s.length = len;
        s.inputName = INPUT_NAME;
        s.fromHost = session.fromHost;
        s.fromHostIp = session.fromHostIp;
        if (pendingHigh < 0)
        {
            pendingLow = seq;
        }
        pendingHigh = seq;
        stats.message(len);
        return seq;
    }

    private void publishPending()
    {
        if (pendingHigh >= 0)
        {
            queue.publish(pendingLow, pendingHigh);
            pendingLow = -1;
            pendingHigh = -1;
        }
    }

    private void enqueue(final int txnr, final long sequence)
    {
        if (fifoSize == txnrs.length)
        {
            if (fifoSize >= MAX_UNANSWERED)
            {
                throw new RelpException("more than " + MAX_UNANSWERED + " commands unanswered: the client does not " +
                    "read responses");
            }
            final int[] t = new int[fifoSize * 2];
            final long[] s = new long[fifoSize * 2];
            for (int i = 0; i < fifoSize; i++)
            {
                t[i] = txnrs[(fifoHead + i) % txnrs.length];
                s[i] = sequences[(fifoHead + i) % sequences.length];
            }
            txnrs = t;
            sequences = s;
            fifoHead = 0;
        }
        final int tail = (fifoHead + fifoSize) % txnrs.length;
        txnrs[tail] = txnr;
        sequences[tail] = sequence;
        fifoSize++;
        unanswered.increment();
    }

    private void pollAnswers()
    {
        pollScheduled = false;
        answer();
    }

    /** Answers the head of the FIFO as far as the gate allows; polls again soon if anything waits. */
    private void answer()
    {
        if (ended || 0 == fifoSize)
        {
            return;
        }
        ByteBuf out = null;
        boolean close = false;
        int answered = 0;
        while (fifoSize > 0)
        {
            final long seq = sequences[fifoHead];
            if (seq >= 0)
            {
                if (seq > snapshot.sequence())
                {
                    gate.take(snapshot);
                    if (seq > snapshot.sequence())
                    {
                        break;
                    }
                }
                if (!gate.settled(snapshot))
                {
                    break;
                }
            }
            if (null == out)
            {
                out = context.alloc().buffer(Math.min(fifoSize, 4096) * 24);
            }
            final int txnr = txnrs[fifoHead];
            if (seq >= 0)
            {
                RelpFrameEncoder.frame(out, txnr, RelpDescriptor.RSP, RelpDescriptor.OK, 0, RelpDescriptor.OK.length);
            }
            else if (UNKNOWN == seq)
            {
                RelpFrameEncoder.frame(out, txnr, RelpDescriptor.RSP, UNKNOWN_COMMAND, 0, UNKNOWN_COMMAND.length);
            }
            else
            {
                RelpFrameEncoder.frame(out, txnr, RelpDescriptor.RSP, null, 0, 0);
                close = true;
            }
            fifoHead = (fifoHead + 1) % txnrs.length;
            fifoSize--;
            answered++;
        }
        if (answered > 0)
        {
            unanswered.add(-answered);
        }
        if (null != out)
        {
            if (close)
            {
                ended = true;
                context.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            context.writeAndFlush(out);
        }
        if (fifoSize > 0 && !pollScheduled)
        {
            pollScheduled = true;
            context.executor().schedule(poll, ACK_POLL_NS, TimeUnit.NANOSECONDS);
        }
    }

    private void violation(final ChannelHandlerContext ctx, final String what)
    {
        stats.framingError(session.peer, what);
        publishPending();
        ended = true;
        ctx.close();
    }
}

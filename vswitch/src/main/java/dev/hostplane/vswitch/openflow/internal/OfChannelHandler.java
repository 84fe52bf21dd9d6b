package dev.hostplane.vswitch.openflow.internal;

import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFBadActionCode;
import org.projectfloodlight.openflow.protocol.OFBadInstructionCode;
import org.projectfloodlight.openflow.protocol.OFBadMatchCode;
import org.projectfloodlight.openflow.protocol.OFBadRequestCode;
import org.projectfloodlight.openflow.protocol.OFHelloFailedCode;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMessageReader;
import org.projectfloodlight.openflow.types.U32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OpenFlow connection (either side opened it): version negotiation by HELLO, then each
 * message is parsed with openflowj and handed to {@link OfRequestHandler}. Whatever the peer sends
 * is answered with the protocol's error (the request's first 64 bytes attached) or, where the
 * stream cannot be followed any more, a closed connection; nothing here can stall the data plane,
 * which never waits on a connection.
 *
 * <p>Liveness: an idle peer is sent ECHO_REQUEST every probe interval and dropped after two
 * intervals of silence; a peer that leaves a message incomplete, or does not say HELLO, for longer
 * than the probe interval times two is dropped too. A peer that does not read its replies first
 * stops being read (back-pressure), loses packet-ins, and is dropped when 16 MiB are queued for it.
 */
public final class OfChannelHandler extends ChannelInboundHandlerAdapter implements OfPeer
{
    private static final Logger LOG = LoggerFactory.getLogger(OfChannelHandler.class);
    private static final int OF13 = 4;
    private static final int MAX_TYPE_OF13 = 29;
    private static final int TYPE_HELLO = 0;
    private static final long MAX_QUEUED_BYTES = 16L << 20;

    private final OfSwitchState state;
    private final OfFrameDecoder decoder;
    private final long probeNanos;
    private final OFMessageReader<OFMessage> reader;
    private OfRequestHandler handler;
    private volatile Channel channel;
    private volatile boolean established;
    private long lastReadNanos;
    private long connectedNanos;
    private boolean probeSent;
    private ScheduledFuture<?> ticker;

    /**
     * Creates the handler for one channel.
     *
     * @param state the agent's shared state.
     * @param decoder the channel's frame decoder (for its incomplete-message age).
     * @param probeMillis inactivity probe interval.
     */
    public OfChannelHandler(final OfSwitchState state, final OfFrameDecoder decoder, final long probeMillis)
    {
        this.state = state;
        this.decoder = decoder;
        this.probeNanos = TimeUnit.MILLISECONDS.toNanos(probeMillis);
        this.reader = state.factory.getReader();
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        channel = ctx.channel();
        handler = new OfRequestHandler(state, m -> ctx.channel().write(m));
        state.add(this);
        ctx.writeAndFlush(state.factory.buildHello()
            .setElements(List.of(state.factory.helloElemVersionbitmap(List.of(U32.of(1 << OF13))))).build());
        // The peer's time to answer starts when our HELLO is on its way, not before we built it: on a busy
        // machine building the first message of a JVM can itself take longer than the HELLO timeout.
        connectedNanos = System.nanoTime();
        lastReadNanos = connectedNanos;
        final long tick = Math.max(50, TimeUnit.NANOSECONDS.toMillis(probeNanos) / 4);
        ticker = ctx.executor().scheduleAtFixedRate(() -> tick(ctx), tick, tick, TimeUnit.MILLISECONDS);
        LOG.info("OpenFlow connection from {} opened", ctx.channel().remoteAddress());
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        state.remove(this);
        established = false;
        if (ticker != null)
        {
            ticker.cancel(false);
        }
        LOG.info("OpenFlow connection with {} closed", ctx.channel().remoteAddress());
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        lastReadNanos = System.nanoTime();
        probeSent = false;
        if (msg instanceof OfFrameDecoder.BadLength)
        {
            final OfFrameDecoder.BadLength bad = (OfFrameDecoder.BadLength)msg;
            final byte[] head = ByteBufUtil.getBytes(bad.header());
            bad.header().release();
            refuse(ctx, "length field " + bad.length() + " is shorter than the 8-byte header",
                OfError.badRequest(OFBadRequestCode.BAD_LEN, "bad length " + bad.length()), head);
            return;
        }
        final ByteBuf frame = (ByteBuf)msg;
        try
        {
            onFrame(ctx, frame);
        }
        finally
        {
            frame.release();
        }
        ctx.flush();
    }

    private void onFrame(final ChannelHandlerContext ctx, final ByteBuf frame)
    {
        final int version = frame.getUnsignedByte(frame.readerIndex());
        final int type = frame.getUnsignedByte(frame.readerIndex() + 1);
        final long xid = frame.getUnsignedInt(frame.readerIndex() + 4);
        if (!established)
        {
            hello(ctx, frame, version, type);
            return;
        }
        if (version != OF13)
        {
            error(ctx, xid, frame, OfError.badRequest(OFBadRequestCode.BAD_VERSION, "version " + version +
                " on an OpenFlow 1.3 connection"));
            return;
        }
        if (type > MAX_TYPE_OF13)
        {
            error(ctx, xid, frame, OfError.badRequest(OFBadRequestCode.BAD_TYPE, "unknown message type " + type));
            return;
        }
        final OFMessage m;
        try
        {
            m = reader.readFrom(frame.duplicate());
        }
        catch (final OFParseError | RuntimeException ex)
        {
            error(ctx, xid, frame, parseError(type, ex));
            return;
        }
        if (m == null)
        {
            error(ctx, xid, frame, OfError.badRequest(OFBadRequestCode.BAD_LEN, "message shorter than its type needs"));
            return;
        }
        try
        {
            handler.handle(m);
        }
        catch (final OfError ex)
        {
            error(ctx, xid, frame, ex);
        }
        catch (final RuntimeException ex)
        {
            // A request the switch's API rejects (for example a value out of range) is the peer's error.
            error(ctx, xid, frame, OfError.badRequest(OFBadRequestCode.EPERM, ex.toString()));
        }
    }

    private void hello(final ChannelHandlerContext ctx, final ByteBuf frame, final int version, final int type)
    {
        final byte[] head = head(frame);
        if (type != TYPE_HELLO)
        {
            refuse(ctx, "first message is type " + type + ", not HELLO",
                OfError.helloFailed(OFHelloFailedCode.EPERM, "expected HELLO"), head);
            return;
        }
        // Elements (OpenFlow 1.3.1+): a version bitmap, if present, decides; otherwise the header version.
        boolean bitmapSeen = false;
        boolean bitmapHas13 = false;
        int at = frame.readerIndex() + OfFrameDecoder.HEADER;
        final int end = frame.writerIndex();
        while (at + 4 <= end)
        {
            final int elemType = frame.getUnsignedShort(at);
            final int elemLength = frame.getUnsignedShort(at + 2);
            if (elemLength < 4 || at + elemLength > end)
            {
                break;
            }
            if (elemType == 1 && elemLength >= 8)
            {
                bitmapSeen = true;
                bitmapHas13 = (frame.getUnsignedInt(at + 4) & (1L << OF13)) != 0;
            }
            at += (elemLength + 7) & ~7;
        }
        final boolean ok = bitmapSeen ? bitmapHas13 : version >= OF13;
        if (!ok)
        {
            refuse(ctx, "no common OpenFlow version (peer offers version " + version +
                (bitmapSeen ? " with a bitmap without 1.3" : "") + "; this switch speaks 1.3 only)",
                OfError.helloFailed(OFHelloFailedCode.INCOMPATIBLE, "OpenFlow 1.3 only"), head);
            return;
        }
        established = true;
        LOG.info("OpenFlow 1.3 negotiated with {}", ctx.channel().remoteAddress());
    }

    private void error(final ChannelHandlerContext ctx, final long xid, final ByteBuf frame, final OfError error)
    {
        state.errorsSent.incrementAndGet();
        LOG.debug("OpenFlow request from {} refused with {}: {}", ctx.channel().remoteAddress(), error.code(),
            error.getMessage());
        ctx.write(error.toMessage(state.factory, xid, head(frame)));
    }

    private void refuse(final ChannelHandlerContext ctx, final String why, final OfError error, final byte[] head)
    {
        state.errorsSent.incrementAndGet();
        state.connectionsRefused.incrementAndGet();
        LOG.warn("OpenFlow connection from {} closed: {}", ctx.channel().remoteAddress(), why);
        final long xid = head.length >= 8 ? ((head[4] & 0xFFL) << 24 | (head[5] & 0xFF) << 16 | (head[6] & 0xFF) << 8 |
            (head[7] & 0xFF)) : 0;
        ctx.writeAndFlush(error.toMessage(state.factory, xid, head)).addListener(f -> ctx.close());
    }

    private static byte[] head(final ByteBuf frame)
    {
        return ByteBufUtil.getBytes(frame, frame.readerIndex(), Math.min(64, frame.readableBytes()));
    }

    private void tick(final ChannelHandlerContext ctx)
    {
        final long now = System.nanoTime();
        final long partial = decoder.partialSinceNanos();
        if (partial != 0 && now - partial > 2 * probeNanos)
        {
            closeSlow(ctx, "a message stayed incomplete for " + TimeUnit.NANOSECONDS.toMillis(now - partial) + " ms");
            return;
        }
        if (!established && now - connectedNanos > 2 * probeNanos)
        {
            closeSlow(ctx, "no HELLO within " + TimeUnit.NANOSECONDS.toMillis(2 * probeNanos) + " ms");
            return;
        }
        if (ctx.channel().bytesBeforeWritable() > MAX_QUEUED_BYTES)
        {
            closeSlow(ctx, "the peer does not read (more than 16 MiB queued)");
            return;
        }
        if (established && now - lastReadNanos > probeNanos)
        {
            if (!probeSent)
            {
                probeSent = true;
                ctx.writeAndFlush(state.factory.buildEchoRequest().setData(new byte[0]).build());
            }
            else if (now - lastReadNanos > 2 * probeNanos)
            {
                closeSlow(ctx, "no answer to an echo request (inactivity probe)");
            }
        }
    }

    private void closeSlow(final ChannelHandlerContext ctx, final String why)
    {
        state.connectionsRefused.incrementAndGet();
        LOG.warn("OpenFlow connection with {} closed: {}", ctx.channel().remoteAddress(), why);
        ctx.close();
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx)
    {
        // Back-pressure: a peer that does not read its replies is not read either.
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        LOG.warn("OpenFlow connection with {} failed, closing: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    @Override
    public boolean established()
    {
        return established;
    }

    @Override
    public boolean isSlave()
    {
        final OfRequestHandler h = handler;
        return h != null && h.isSlave();
    }

    @Override
    public boolean deliver(final OFMessage message, final boolean droppable)
    {
        final Channel ch = channel;
        if (ch == null || !ch.isActive() || droppable && !ch.isWritable())
        {
            return false;
        }
        ch.writeAndFlush(message);
        return true;
    }

    /**
     * Maps an openflowj parse failure to the error the specification names for it.
     *
     * @param type message type.
     * @param ex the failure.
     * @return the error.
     */
    static OfError parseError(final int type, final Exception ex)
    {
        final String text = String.valueOf(ex.getMessage());
        final String why = "cannot parse message type " + type + ": " + text;
        if (ex instanceof IndexOutOfBoundsException || text.contains("Wrong length") || text.contains("length"))
        {
            if (text.contains("OFOxm") || text.contains("OFMatch"))
            {
                return OfError.badMatch(OFBadMatchCode.BAD_LEN, why);
            }
            if (text.contains("OFAction"))
            {
                return OfError.badAction(OFBadActionCode.BAD_LEN, why);
            }
            return OfError.badRequest(OFBadRequestCode.BAD_LEN, why);
        }
        if (text.contains("OFOxm") || text.contains("OFMatch"))
        {
            return OfError.badMatch(text.contains("OFMatch") ? OFBadMatchCode.BAD_TYPE : OFBadMatchCode.BAD_FIELD, why);
        }
        if (text.contains("OFAction"))
        {
            return OfError.badAction(OFBadActionCode.BAD_TYPE, why);
        }
        if (text.contains("OFInstruction"))
        {
            return OfError.badInstruction(OFBadInstructionCode.UNKNOWN_INST, why);
        }
        if (text.contains("Stats") || text.contains("Multipart"))
        {
            return OfError.badRequest(OFBadRequestCode.BAD_STAT, why);
        }
        if (text.contains("OFMessage"))
        {
            return OfError.badRequest(OFBadRequestCode.BAD_TYPE, why);
        }
        return OfError.badRequest(OFBadRequestCode.BAD_LEN, why);
    }
}

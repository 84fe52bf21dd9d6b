package dev.hostplane.vswitch.openflow.internal;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Cuts the TCP stream into OpenFlow messages by the header's length field, before any parsing.
 * A length below the 8-byte header cannot be resynchronised from, so it ends the connection (the
 * handler answers BAD_LEN first). Lengths are 16 bits, so one connection never holds more than
 * 64 KiB of a message; how long a message has been incomplete is tracked so that a peer that
 * trickles bytes is disconnected instead of holding the slot forever.
 */
public final class OfFrameDecoder extends ByteToMessageDecoder
{
    /** OpenFlow header length. */
    public static final int HEADER = 8;

    private long partialSinceNanos;
    private boolean broken;

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out)
    {
        if (broken)
        {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= HEADER)
        {
            final int length = in.getUnsignedShort(in.readerIndex() + 2);
            if (length < HEADER)
            {
                broken = true;
                out.add(new BadLength(in.readRetainedSlice(HEADER), length));
                in.skipBytes(in.readableBytes());
                return;
            }
            if (in.readableBytes() < length)
            {
                break;
            }
            out.add(in.readRetainedSlice(length));
        }
        if (in.isReadable())
        {
            if (partialSinceNanos == 0)
            {
                partialSinceNanos = System.nanoTime();
            }
        }
        else
        {
            partialSinceNanos = 0;
        }
    }

    /**
     * Since when an incomplete message has been waiting for its remaining bytes.
     *
     * @return nanoTime, or 0 when nothing is pending.
     */
    public long partialSinceNanos()
    {
        return partialSinceNanos;
    }

    /**
     * A header whose length field is below 8 bytes; the stream cannot be followed past it.
     *
     * @param header the 8 header bytes (release after use).
     * @param length the length field.
     */
    public record BadLength(ByteBuf header, int length)
    {
    }
}

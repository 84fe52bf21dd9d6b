package dev.hostplane.vswitch.openflow.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import org.projectfloodlight.openflow.protocol.OFMessage;

/** Writes openflowj messages to the wire. Stateless, so one instance serves every channel. */
@ChannelHandler.Sharable
public final class OfMessageEncoder extends MessageToByteEncoder<OFMessage>
{
    /** The shared instance. */
    public static final OfMessageEncoder INSTANCE = new OfMessageEncoder();

    private OfMessageEncoder()
    {
        super(OFMessage.class);
    }

    @Override
    protected void encode(final ChannelHandlerContext ctx, final OFMessage msg, final ByteBuf out)
    {
        msg.writeTo(out);
    }
}

package dev.hostplane.iopipe.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;

/**
 * The engine's only use of Netty's types, kept in its own class so that it is loaded only for a Netty sink
 * and the engine runs without Netty on the class path.
 */
final class NettyFlush
{
    private NettyFlush()
    {
    }

    /** Runs {@code then} once everything the pipeline wrote before is on the wire. */
    static void thenRun(final Object channel, final Runnable then)
    {
        ((Channel)channel).writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((f) -> then.run());
    }
}

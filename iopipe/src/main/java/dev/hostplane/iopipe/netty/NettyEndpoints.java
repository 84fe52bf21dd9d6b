package dev.hostplane.iopipe.netty;

import java.util.Objects;

import dev.hostplane.iopipe.Sink;
import dev.hostplane.iopipe.Source;
import dev.hostplane.iopipe.internal.EndpointAccess;
import io.netty.channel.Channel;

/**
 * Sources and sinks on Netty socket channels (epoll or NIO transport), for applications already on
 * Netty. The transfer itself runs on the channel's socket descriptor, as for a JDK socket; only this
 * package needs Netty on the class path.
 */
public final class NettyEndpoints
{
    private NettyEndpoints()
    {
    }

    /**
     * A connected Netty socket channel read for {@code length} bytes. The channel must not read while the
     * pipe runs: turn {@code autoRead} off first.
     *
     * @param channel the channel.
     * @param length  bytes to read, or {@link Source#UNTIL_EOF}.
     * @return the source.
     */
    public static Source source(final Channel channel, final long length)
    {
        return EndpointAccess.bridge().nettySource(Objects.requireNonNull(channel, "channel"), length);
    }

    /**
     * A connected Netty socket channel written to. The pipe first waits until everything the pipeline
     * wrote before (for example an HTTP header) has been flushed, then writes the body directly to the
     * socket; the pipeline must not write until the transfer completes.
     *
     * @param channel the channel.
     * @return the sink.
     */
    public static Sink sink(final Channel channel)
    {
        return EndpointAccess.bridge().nettySink(Objects.requireNonNull(channel, "channel"), true);
    }

    /**
     * A Netty socket channel whose pipeline is known to be flushed and quiet, for handlers that run on the
     * channel's event loop and hold back other writes themselves (see {@link PipeHandler}).
     *
     * @param channel the channel.
     * @return the sink.
     */
    public static Sink flushedSink(final Channel channel)
    {
        return EndpointAccess.bridge().nettySink(Objects.requireNonNull(channel, "channel"), false);
    }
}

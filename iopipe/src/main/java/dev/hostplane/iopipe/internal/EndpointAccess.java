package dev.hostplane.iopipe.internal;

import dev.hostplane.iopipe.Sink;
import dev.hostplane.iopipe.Source;

/**
 * The way from the Netty integration and the engine to the parts of {@link Source} and {@link Sink} that
 * are not public API (a Netty channel held as an {@code Object}, the flush-first flag): the public package
 * installs a {@link Bridge} when its endpoint classes initialize. This keeps Netty's types out of the
 * public {@code dev.hostplane.iopipe} package without making these methods public there.
 */
public final class EndpointAccess
{
    /** What the public package lends to the engine and the Netty integration. */
    public interface Bridge
    {
        /**
         * @param channel a Netty channel.
         * @param length  bytes to read, or {@link Source#UNTIL_EOF}.
         * @return a source reading the channel.
         */
        Source nettySource(Object channel, long length);

        /**
         * @param channel    a Netty channel.
         * @param flushFirst whether the pipe flushes the channel's pipeline before writing.
         * @return a sink writing the channel.
         */
        Sink nettySink(Object channel, boolean flushFirst);

        /**
         * @param source a source.
         * @return its Netty channel, or {@code null}.
         */
        Object nettyChannel(Source source);

        /**
         * @param sink a sink.
         * @return its Netty channel, or {@code null}.
         */
        Object nettyChannel(Sink sink);

        /**
         * @param sink a sink.
         * @return whether the pipe flushes the sink's Netty pipeline before writing.
         */
        boolean flushFirst(Sink sink);
    }

    private static volatile Bridge bridge;

    private EndpointAccess()
    {
    }

    /**
     * Called once by the public package's endpoint class initializer.
     *
     * @param installed the bridge.
     */
    public static void install(final Bridge installed)
    {
        bridge = installed;
    }

    /**
     * The bridge, initializing the public endpoint classes first if nothing has yet.
     *
     * @return the bridge.
     */
    public static Bridge bridge()
    {
        Bridge current = bridge;
        if (null == current)
        {
            try
            {
                Class.forName(Source.class.getName(), true, Source.class.getClassLoader());
            }
            catch (final ClassNotFoundException ex)
            {
                throw new IllegalStateException(ex);
            }
            current = bridge;
        }
        return current;
    }
}

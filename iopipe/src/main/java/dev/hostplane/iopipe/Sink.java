package dev.hostplane.iopipe;

import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a transfer writes: a file at an offset or a connected TCP socket. A socket sink is borrowed for
 * the transfer and handed back unchanged (same blocking mode, still open), so the caller can write a
 * header before and read the next request after: the HTTP keep-alive pattern.
 */
public final class Sink extends Endpoint
{
    private final boolean truncate;
    private final boolean flushFirst;

    private Sink(
        final EndpointKind kind,
        final Path path,
        final boolean truncate,
        final FileChannel fileChannel,
        final SocketChannel socketChannel,
        final Object nettyChannel,
        final long offset,
        final boolean flushFirst)
    {
        super(kind, path, fileChannel, socketChannel, nettyChannel, offset);
        this.truncate = truncate;
        this.flushFirst = flushFirst;
    }

    /**
     * The file at {@code path}, created or truncated, written from offset 0.
     *
     * @param path the file.
     * @return the sink.
     */
    public static Sink file(final Path path)
    {
        return new Sink(EndpointKind.FILE, Objects.requireNonNull(path, "path"), true, null, null, null, 0, true);
    }

    /**
     * The file at {@code path} (created if missing, not truncated), written from {@code offset}.
     *
     * @param path   the file.
     * @param offset where the first byte goes.
     * @return the sink.
     */
    public static Sink file(final Path path, final long offset)
    {
        return new Sink(
            EndpointKind.FILE, Objects.requireNonNull(path, "path"), false, null, null, null, offset, true);
    }

    /**
     * An open, writable file channel written from {@code offset}; its own position is not used.
     *
     * @param channel the file.
     * @param offset  where the first byte goes.
     * @return the sink.
     */
    public static Sink file(final FileChannel channel, final long offset)
    {
        return new Sink(
            EndpointKind.FILE, null, false, Objects.requireNonNull(channel, "channel"), null, null, offset, true);
    }

    /**
     * A connected socket.
     *
     * @param channel the socket.
     * @return the sink.
     */
    public static Sink socket(final SocketChannel channel)
    {
        return new Sink(
            EndpointKind.SOCKET, null, false, null, Objects.requireNonNull(channel, "channel"), null, 0, true);
    }

    /**
     * A connected Netty socket channel (epoll or NIO transport). The pipe first waits until everything
     * the pipeline wrote before (for example an HTTP header) has been flushed, then writes the body
     * directly to the socket; the pipeline must not write until the transfer completes.
     *
     * @param channel a {@code io.netty.channel.Channel}.
     * @return the sink.
     */
    public static Sink netty(final io.netty.channel.Channel channel)
    {
        return new Sink(
            EndpointKind.SOCKET, null, false, null, null, Objects.requireNonNull(channel, "channel"), 0, true);
    }

    /**
     * A Netty socket channel whose pipeline is known to be flushed and quiet, for handlers that run on the
     * channel's event loop and hold back other writes themselves (see
     * {@code dev.hostplane.iopipe.netty.PipeHandler}).
     *
     * @param channel a {@code io.netty.channel.Channel}.
     * @return the sink.
     */
    public static Sink nettyFlushed(final io.netty.channel.Channel channel)
    {
        return new Sink(EndpointKind.SOCKET, null, false, null, null, Objects.requireNonNull(channel, "channel"), 0,
            false);
    }

    /**
     * Whether the pipe must flush a Netty channel's pipeline before writing the body.
     *
     * @return true for {@link #netty(io.netty.channel.Channel)}.
     */
    public boolean flushFirst()
    {
        return flushFirst;
    }

    /**
     * Whether a path sink is truncated when opened.
     *
     * @return true to truncate.
     */
    public boolean truncate()
    {
        return truncate;
    }

    @Override
    public String toString()
    {
        return describe("Sink") + '}';
    }
}

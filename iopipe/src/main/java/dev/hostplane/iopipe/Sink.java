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
     * A sink on a Netty channel, made by {@code dev.hostplane.iopipe.netty.NettyEndpoints}, which keeps
     * Netty's types out of this package.
     */
    static Sink nettyChannel(final Object channel, final boolean flushFirst)
    {
        return new Sink(EndpointKind.SOCKET, null, false, null, null, Objects.requireNonNull(channel, "channel"), 0,
            flushFirst);
    }

    /** Whether the pipe must flush a Netty channel's pipeline before writing the body. */
    boolean flushFirst()
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

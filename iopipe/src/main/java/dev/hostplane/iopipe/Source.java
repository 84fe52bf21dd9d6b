package dev.hostplane.iopipe;

import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a transfer reads from: a file region or a TCP socket, with a known length or "until EOF".
 * A source is a description only; the service opens (for a path) or borrows (for a channel) the
 * descriptor when the transfer starts. Channels given by the caller are never closed by the pipe.
 */
public final class Source extends Endpoint
{
    /**
     * Length meaning "until the end": for a socket, until the peer shuts down its side; for a file, up to
     * the file's size when the transfer starts (a file that then shrinks fails with
     * {@link PipeException.Reason#SOURCE_TRUNCATED}; bytes appended later are not sent).
     */
    public static final long UNTIL_EOF = -1;

    private final long length;

    private Source(
        final EndpointKind kind,
        final Path path,
        final FileChannel fileChannel,
        final SocketChannel socketChannel,
        final Object nettyChannel,
        final long offset,
        final long length)
    {
        super(kind, path, fileChannel, socketChannel, nettyChannel, offset);
        if (length < UNTIL_EOF)
        {
            throw new IllegalArgumentException("length=" + length + " (expected: >= 0 or UNTIL_EOF)");
        }
        this.length = length;
    }

    /**
     * The whole file at {@code path}.
     *
     * @param path the file.
     * @return the source.
     */
    public static Source file(final Path path)
    {
        return file(path, 0, UNTIL_EOF);
    }

    /**
     * A region of the file at {@code path}; the pipe opens and closes the file.
     *
     * @param path   the file.
     * @param offset first byte to read.
     * @param length bytes to read, or {@link #UNTIL_EOF}.
     * @return the source.
     */
    public static Source file(final Path path, final long offset, final long length)
    {
        return new Source(EndpointKind.FILE, Objects.requireNonNull(path, "path"), null, null, null, offset, length);
    }

    /**
     * A region of an open file; the channel's own position is neither used nor changed.
     *
     * @param channel the open file (must be readable).
     * @param offset  first byte to read.
     * @param length  bytes to read, or {@link #UNTIL_EOF}.
     * @return the source.
     */
    public static Source file(final FileChannel channel, final long offset, final long length)
    {
        return new Source(
            EndpointKind.FILE, null, Objects.requireNonNull(channel, "channel"), null, null, offset, length);
    }

    /**
     * A connected socket read until the peer shuts down its side.
     *
     * @param channel the socket.
     * @return the source.
     */
    public static Source socket(final SocketChannel channel)
    {
        return socket(channel, UNTIL_EOF);
    }

    /**
     * The next {@code length} bytes of a connected socket; the socket stays usable afterwards.
     *
     * @param channel the socket.
     * @param length  bytes to read, or {@link #UNTIL_EOF}.
     * @return the source.
     */
    public static Source socket(final SocketChannel channel, final long length)
    {
        return new Source(
            EndpointKind.SOCKET, null, null, Objects.requireNonNull(channel, "channel"), null, 0, length);
    }

    /**
     * A source on a Netty channel, made by {@code dev.hostplane.iopipe.netty.NettyEndpoints}, which keeps
     * Netty's types out of this package.
     */
    static Source nettyChannel(final Object channel, final long length)
    {
        return new Source(
            EndpointKind.SOCKET, null, null, null, Objects.requireNonNull(channel, "channel"), 0, length);
    }

    /**
     * Bytes to read, or {@link #UNTIL_EOF}.
     *
     * @return the length.
     */
    public long length()
    {
        return length;
    }

    @Override
    public String toString()
    {
        return describe("Source") + " length=" + length + '}';
    }
}

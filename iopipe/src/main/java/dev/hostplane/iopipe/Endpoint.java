package dev.hostplane.iopipe;

import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

import dev.hostplane.iopipe.internal.EndpointAccess;

/**
 * What {@link Source} and {@link Sink} have in common: one of a path, a caller's file channel, a
 * caller's socket channel or a Netty channel, and a file offset. Each side adds only what is its
 * own (a length to read; truncation and flushing for writing). The Netty channel is held as an
 * {@code Object} and reached only through {@link EndpointAccess}, so this package has no Netty type
 * in its signatures and runs without Netty on the class path.
 */
abstract class Endpoint
{
    static
    {
        EndpointAccess.install(new EndpointAccess.Bridge()
        {
            @Override
            public Source nettySource(final Object channel, final long length)
            {
                return Source.nettyChannel(channel, length);
            }

            @Override
            public Sink nettySink(final Object channel, final boolean flushFirst)
            {
                return Sink.nettyChannel(channel, flushFirst);
            }

            @Override
            public Object nettyChannel(final Source source)
            {
                return source.nettyChannel();
            }

            @Override
            public Object nettyChannel(final Sink sink)
            {
                return sink.nettyChannel();
            }

            @Override
            public boolean flushFirst(final Sink sink)
            {
                return sink.flushFirst();
            }
        });
    }

    private final EndpointKind kind;
    private final Path path;
    private final FileChannel fileChannel;
    private final SocketChannel socketChannel;
    private final Object nettyChannel;
    private final long offset;

    Endpoint(
        final EndpointKind kind,
        final Path path,
        final FileChannel fileChannel,
        final SocketChannel socketChannel,
        final Object nettyChannel,
        final long offset)
    {
        if (offset < 0)
        {
            throw new IllegalArgumentException("offset=" + offset + " (expected: >= 0)");
        }
        this.kind = kind;
        this.path = path;
        this.fileChannel = fileChannel;
        this.socketChannel = socketChannel;
        this.nettyChannel = nettyChannel;
        this.offset = offset;
    }

    /**
     * What this endpoint is.
     *
     * @return file or socket.
     */
    public EndpointKind kind()
    {
        return kind;
    }

    /**
     * The path, for an endpoint named by path.
     *
     * @return the path or {@code null}.
     */
    public Path path()
    {
        return path;
    }

    /**
     * The caller's file channel, if one was given.
     *
     * @return the channel or {@code null}.
     */
    public FileChannel fileChannel()
    {
        return fileChannel;
    }

    /**
     * The caller's socket channel, if one was given.
     *
     * @return the channel or {@code null}.
     */
    public SocketChannel socketChannel()
    {
        return socketChannel;
    }

    /** The caller's Netty channel ({@code io.netty.channel.Channel}), or {@code null}. */
    final Object nettyChannel()
    {
        return nettyChannel;
    }

    /**
     * Where in the file the transfer starts: the first byte read from a source or written to a sink
     * (files only).
     *
     * @return the offset.
     */
    public long offset()
    {
        return offset;
    }

    /**
     * The start of {@code toString()}: the class name, kind, what the bytes come from or go to and
     * the offset.
     *
     * @param name {@code Source} or {@code Sink}.
     * @return the text, without the closing brace.
     */
    final String describe(final String name)
    {
        final Object what = null != path ? path : null != fileChannel ? fileChannel
            : null != socketChannel ? socketChannel : nettyChannel;
        return name + "{kind=" + kind + " of=" + what + " offset=" + offset;
    }
}

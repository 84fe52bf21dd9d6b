package dev.hostplane.iopipe;

/** What a {@link Source} or {@link Sink} is, which decides the strategies that can serve it. */
public enum EndpointKind
{
    /** A regular file, named by path or given as an open {@link java.nio.channels.FileChannel}. */
    FILE,
    /** A connected TCP socket ({@link java.nio.channels.SocketChannel} or a Netty channel). */
    SOCKET
}

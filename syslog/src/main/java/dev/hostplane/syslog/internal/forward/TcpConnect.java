package dev.hostplane.syslog.internal.forward;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * The connection step that the stream outputs share (omfwd over TCP, omrelp): a blocking socket
 * with {@code TCP_NODELAY}, connected within a timeout, then set up by the output's own protocol
 * step. A socket whose connect or setup fails is closed before the failure goes on, so a target
 * that is down costs no file descriptor per retry.
 */
public final class TcpConnect
{
    /** What an output does on a fresh connection before it is used (a protocol handshake). */
    @FunctionalInterface
    public interface Setup
    {
        /**
         * Prepares the connection.
         *
         * @param channel the connected socket.
         * @throws IOException when the peer does not go along.
         */
        void run(SocketChannel channel) throws IOException;
    }

    /** Nothing to set up (a plain byte stream). */
    public static final Setup NONE = (channel) ->
    {
    };

    private TcpConnect()
    {
    }

    /**
     * Opens, connects and sets up a socket.
     *
     * @param host      target host.
     * @param port      target port.
     * @param timeoutMs connect timeout.
     * @param setup     protocol step run on the connected socket.
     * @return the connected socket.
     * @throws IOException when connect or setup fail (the socket is closed then); unchecked failures
     *                     are passed on unchanged after the close.
     */
    public static SocketChannel open(final String host, final int port, final int timeoutMs, final Setup setup)
        throws IOException
    {
        final SocketChannel ch = SocketChannel.open();
        try
        {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, Boolean.TRUE);
            ch.socket().connect(new InetSocketAddress(host, port), timeoutMs);
            setup.run(ch);
        }
        catch (final IOException | RuntimeException ex)
        {
            ch.close();
            throw ex;
        }
        return ch;
    }
}

package dev.hostplane.examples.readme;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

// README iopipe
import dev.hostplane.iopipe.PipeService;
import dev.hostplane.iopipe.Sink;
import dev.hostplane.iopipe.Source;
import dev.hostplane.iopipe.TransferOptions;
import dev.hostplane.iopipe.TransferResult;
// README end

/**
 * README snippet: an HTTP-style response whose header the application writes and whose body
 * {@code sendfile(2)} moves from a file to a connected socket.
 */
public final class IopipeReadme
{
    private IopipeReadme()
    {
    }

    /**
     * Runs the snippet over a loopback connection, with a thread draining the peer side.
     *
     * @param args unused.
     * @throws Exception when the transfer fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final Path file = Files.createTempFile("hostplane-readme", ".bin");
        Files.write(file, new byte[4 << 20]);
        try (ServerSocketChannel server = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel socket = SocketChannel.open(server.getLocalAddress());
             SocketChannel peer = server.accept())
        {
            final Thread drain = new Thread(() -> drain(peer), "readme-peer");
            drain.start();
            final ByteBuffer header = ByteBuffer.wrap(
                ("HTTP/1.1 200 OK\r\nContent-Length: " + Files.size(file) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            // README iopipe
            try (PipeService pipes = PipeService.builder().build())
            {
                socket.write(header);                                        // your header, through the JDK
                TransferResult result = pipes.transfer(Source.file(file), Sink.socket(socket), TransferOptions.DEFAULT);
                System.out.println("moved " + result.bytes() + " bytes by " + result.strategy());  // SENDFILE
            }                                                                // the socket is yours again
            // README end
            socket.shutdownOutput();
            drain.join();
        }
        finally
        {
            Files.delete(file);
        }
    }

    private static void drain(final SocketChannel peer)
    {
        final ByteBuffer sink = ByteBuffer.allocateDirect(1 << 16);
        try
        {
            while (peer.read(sink.clear()) >= 0)
            {
                Thread.onSpinWait();
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("peer read failed", ex);
        }
    }
}

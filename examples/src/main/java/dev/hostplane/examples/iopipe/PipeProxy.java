package dev.hostplane.examples.iopipe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import dev.hostplane.iopipe.PipeService;
import dev.hostplane.iopipe.Sink;
import dev.hostplane.iopipe.Source;
import dev.hostplane.iopipe.TransferFuture;

/**
 * A TCP proxy: every accepted connection is joined to a new connection to the backend by two
 * socket-to-socket pipes (splice through kernel pipes), one per direction. When one side finishes
 * sending, its direction ends and the other peer sees a half-close; when both directions have stopped
 * the sockets are closed. Sockets are closed only after both pipes let go of them, so a descriptor
 * number is never reused under a running pipe.
 */
public final class PipeProxy implements AutoCloseable
{
    private final PipeService pipes;
    private final InetSocketAddress backend;
    private final ServerSocketChannel listener;
    private final Thread acceptor;
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong bytesUp = new AtomicLong();
    private final AtomicLong bytesDown = new AtomicLong();
    private volatile boolean running = true;

    /**
     * Binds and starts accepting.
     *
     * @param pipes   the pipe service.
     * @param listen  where to listen.
     * @param backend where to connect for each client.
     * @throws IOException if the port cannot be bound.
     */
    public PipeProxy(final PipeService pipes, final InetSocketAddress listen, final InetSocketAddress backend)
        throws IOException
    {
        this.pipes = pipes;
        this.backend = backend;
        this.listener = ServerSocketChannel.open();
        listener.bind(listen, 1024);
        acceptor = new Thread(this::acceptLoop, "pipe-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * The bound port.
     *
     * @return the port.
     * @throws IOException if closed.
     */
    public int port() throws IOException
    {
        return ((InetSocketAddress)listener.getLocalAddress()).getPort();
    }

    /**
     * Connections accepted, bytes client to backend, bytes backend to client.
     *
     * @return the three counters.
     */
    public long[] counters()
    {
        return new long[] {connections.get(), bytesUp.get(), bytesDown.get()};
    }

    private void acceptLoop()
    {
        while (running)
        {
            try
            {
                final SocketChannel client = listener.accept();
                connections.incrementAndGet();
                SocketChannel server = null;
                try
                {
                    server = SocketChannel.open(backend);
                }
                catch (final IOException ex)
                {
                    System.err.println("pipe proxy: backend=" + backend + " connect failed: " + ex);
                    client.close();
                    continue;
                }
                join(client, server);
            }
            catch (final IOException ex)
            {
                if (running)
                {
                    System.err.println("pipe proxy: accept failed: " + ex);
                }
            }
        }
    }

    private void join(final SocketChannel client, final SocketChannel server) throws IOException
    {
        // Both directions use both sockets at once, so they are made non-blocking up front.
        client.configureBlocking(false);
        server.configureBlocking(false);
        client.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        server.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        final TransferFuture up = pipes.submit(Source.socket(client), Sink.socket(server));
        final TransferFuture down = pipes.submit(Source.socket(server), Sink.socket(client));
        up.whenComplete((r, ex) -> endDirection(ex, server, client));
        down.whenComplete((r, ex) -> endDirection(ex, client, server));
        CompletableFuture.allOf(up.stopped(), down.stopped()).whenComplete((v, ex) ->
        {
            bytesUp.addAndGet(up.bytesTransferred());
            bytesDown.addAndGet(down.bytesTransferred());
            closeQuietly(client);
            closeQuietly(server);
        });
    }

    private static void endDirection(final Throwable failure, final SocketChannel sink, final SocketChannel source)
    {
        try
        {
            if (null == failure)
            {
                // Pass the half-close on: the source said EOF, so the sink's peer sees EOF too.
                sink.shutdownOutput();
            }
            else
            {
                // A reset or error on one side ends both directions; shutdown (not close) wakes the other
                // pipe without freeing a descriptor it may still be using.
                sink.shutdownOutput();
                source.shutdownInput();
                sink.shutdownInput();
                source.shutdownOutput();
            }
        }
        catch (final IOException ignore)
        {
            // already closed or reset
        }
    }

    private static void closeQuietly(final SocketChannel ch)
    {
        try
        {
            ch.close();
        }
        catch (final IOException ignore)
        {
            // nothing left to do
        }
    }

    @Override
    public void close() throws IOException
    {
        running = false;
        listener.close();
    }
}

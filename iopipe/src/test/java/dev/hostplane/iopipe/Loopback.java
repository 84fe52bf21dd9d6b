package dev.hostplane.iopipe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32;

/** Test helpers: connected loopback socket pairs, seeded file content, draining and feeding threads. */
final class Loopback implements AutoCloseable
{
    final SocketChannel client;
    final SocketChannel server;

    private Loopback(final SocketChannel client, final SocketChannel server)
    {
        this.client = client;
        this.server = server;
    }

    static Loopback open() throws IOException
    {
        try (ServerSocketChannel listener = ServerSocketChannel.open())
        {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            final SocketChannel client = SocketChannel.open(listener.getLocalAddress());
            final SocketChannel server = listener.accept();
            return new Loopback(client, server);
        }
    }

    @Override
    public void close() throws IOException
    {
        client.close();
        server.close();
    }

    static byte[] bytes(final int size, final long seed)
    {
        final byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    static Path file(final Path dir, final String name, final byte[] data) throws IOException
    {
        return Files.write(dir.resolve(name), data);
    }

    /** Reads the channel until EOF on another thread. */
    static CompletableFuture<byte[]> drain(final SocketChannel channel)
    {
        return CompletableFuture.supplyAsync(() ->
        {
            try
            {
                final ByteArrayOutputStream out = new ByteArrayOutputStream();
                final ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
                while (channel.read(buf.clear()) >= 0)
                {
                    out.write(buf.array(), 0, buf.position());
                }
                return out.toByteArray();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }, runner());
    }

    /** Reads exactly {@code n} bytes on another thread. */
    static CompletableFuture<byte[]> readExactly(final SocketChannel channel, final int n)
    {
        return CompletableFuture.supplyAsync(() ->
        {
            try
            {
                final ByteBuffer buf = ByteBuffer.allocate(n);
                while (buf.hasRemaining())
                {
                    if (channel.read(buf) < 0)
                    {
                        throw new IOException("EOF after " + buf.position() + " of " + n);
                    }
                }
                return buf.array();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }, runner());
    }

    /** Reads until EOF and returns byte count and CRC32. */
    static CompletableFuture<long[]> crcDrain(final SocketChannel channel)
    {
        return CompletableFuture.supplyAsync(() ->
        {
            try
            {
                final CRC32 crc = new CRC32();
                final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
                long total = 0;
                int n;
                while ((n = channel.read(buf.clear())) >= 0)
                {
                    buf.flip();
                    crc.update(buf);
                    total += n;
                }
                return new long[] {total, crc.getValue()};
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }, runner());
    }

    /** Writes the data, then optionally shuts the output down, on another thread. */
    static CompletableFuture<Void> feed(final SocketChannel channel, final byte[] data, final boolean shutdown)
    {
        return CompletableFuture.runAsync(() ->
        {
            try
            {
                final ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining())
                {
                    channel.write(buf);
                }
                if (shutdown)
                {
                    channel.shutdownOutput();
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }, runner());
    }

    private static java.util.concurrent.Executor runner()
    {
        // Own threads: the common pool may have a single thread on a 2-core machine.
        return r ->
        {
            final Thread t = new Thread(r, "loopback-helper");
            t.setDaemon(true);
            t.start();
        };
    }
}

package dev.hostplane.syslog.internal.forward;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

/**
 * TLS on the blocking socket of a sending output: Netty's {@link SslHandler} runs in an
 * {@link EmbeddedChannel} on the sender's own thread, turning plaintext into TLS records that the
 * output writes itself. The output keeps its socket, so it still learns from the kernel's send
 * queue how much the peer has acknowledged; this class says how many ciphertext bytes each write
 * became, so that count can be turned back into plaintext.
 * <p>
 * One thread may write while another reads ({@link #decrypt}, omrelp's response reader): the
 * handler is used under a lock, and the socket is written outside it, so a peer that does not read
 * cannot keep the reader from taking its answers off the socket. Records the handler makes while
 * reading (TLS 1.3 key updates) wait for the writer's next {@link #write}, which sends them in order.
 */
public final class TlsClientSession
{
    private final Object lock = new Object();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final SslHandler ssl;
    private final SocketChannel socket;

    private TlsClientSession(final SslContext context, final SocketChannel socket, final String host, final int port)
    {
        this.socket = socket;
        this.ssl = context.newHandler(channel.alloc(), host, port);
        channel.pipeline().addLast(ssl);
    }

    /**
     * Runs the handshake on a connected socket.
     *
     * @param context   client context.
     * @param socket    connected blocking socket.
     * @param host      target host (SNI and the permitted name when none is configured).
     * @param port      target port.
     * @param timeoutMs longest handshake.
     * @return the session.
     * @throws IOException when the peer refuses us, we refuse the peer (with the reason), or time runs out.
     */
    public static TlsClientSession handshake(final SslContext context, final SocketChannel socket, final String host,
        final int port, final int timeoutMs) throws IOException
    {
        final TlsClientSession s = new TlsClientSession(context, socket, host, port);
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        socket.socket().setSoTimeout(timeoutMs);
        final InputStream in = socket.socket().getInputStream();
        final byte[] chunk = new byte[16 * 1024];
        try
        {
            s.drain();
            while (!s.ssl.handshakeFuture().isDone())
            {
                if (System.nanoTime() > deadline)
                {
                    throw new IOException("TLS handshake with " + host + ":" + port + " timed out");
                }
                final int n = in.read(chunk);
                if (n < 0)
                {
                    throw new IOException("TLS handshake with " + host + ":" + port + ": the peer closed the " +
                        "connection (it refused our certificate or does not speak TLS)");
                }
                // Copied: the handler keeps a partial record's bytes until the rest comes, and chunk is reused.
                s.channel.writeInbound(Unpooled.copiedBuffer(chunk, 0, n));
                s.drain();
            }
        }
        catch (final SocketTimeoutException ex)
        {
            throw new IOException("TLS handshake with " + host + ":" + port + " timed out", ex);
        }
        catch (final IOException ex)
        {
            s.channel.finishAndReleaseAll();
            throw ex;
        }
        catch (final Exception ex)
        {
            s.channel.finishAndReleaseAll();
            throw new IOException("TLS handshake with " + host + ":" + port + " failed: " + reason(ex), ex);
        }
        if (!s.ssl.handshakeFuture().isSuccess())
        {
            s.channel.finishAndReleaseAll();
            throw new IOException("TLS handshake with " + host + ":" + port + " failed: " +
                reason(s.ssl.handshakeFuture().cause()));
        }
        socket.socket().setSoTimeout(0);
        return s;
    }

    /**
     * Encrypts and writes plaintext.
     *
     * @param plain bytes to send (consumed).
     * @return ciphertext bytes written to the socket.
     * @throws IOException on a socket error.
     */
    public long write(final ByteBuffer plain) throws IOException
    {
        synchronized (lock)
        {
            channel.writeOneOutbound(Unpooled.wrappedBuffer(plain));
            channel.flushOutbound();
            plain.position(plain.limit());
        }
        return drain();
    }

    /**
     * Decrypts bytes read from the socket.
     *
     * @param cipher what the socket gave (the session takes ownership).
     * @param plain  where the plaintext goes (appended; none while a record is incomplete).
     * @throws IOException when the peer's records do not decrypt or the session is over.
     */
    public void decrypt(final ByteBuf cipher, final ByteBuf plain) throws IOException
    {
        synchronized (lock)
        {
            try
            {
                channel.writeInbound(cipher);
            }
            catch (final RuntimeException ex)
            {
                throw new IOException("TLS: " + reason(ex), ex);
            }
            for (ByteBuf in = channel.readInbound(); null != in; in = channel.readInbound())
            {
                plain.writeBytes(in);
                in.release();
            }
        }
    }

    /** Ends the session (the socket is closed by its owner). */
    public void close()
    {
        synchronized (lock)
        {
            channel.finishAndReleaseAll();
        }
    }

    /** Writes every pending TLS record to the socket, in the order the handler made them. */
    private long drain() throws IOException
    {
        long n = 0;
        while (true)
        {
            final ByteBuf out;
            synchronized (lock)
            {
                out = channel.readOutbound();
            }
            if (null == out)
            {
                return n;
            }
            try
            {
                final ByteBuffer b = out.nioBuffer();
                while (b.hasRemaining())
                {
                    n += socket.write(b);
                }
            }
            finally
            {
                out.release();
            }
        }
    }

    private static String reason(final Throwable t)
    {
        Throwable c = t;
        while (null != c.getCause() && c.getCause() != c)
        {
            c = c.getCause();
        }
        return null == c.getMessage() ? c.toString() : c.getMessage();
    }
}

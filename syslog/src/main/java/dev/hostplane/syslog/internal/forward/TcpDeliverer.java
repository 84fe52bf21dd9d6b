package dev.hostplane.syslog.internal.forward;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import io.netty.handler.ssl.SslContext;

import dev.hostplane.syslog.internal.queue.Deliverer;

/**
 * omfwd over TCP: LF ("traditional") or octet-counted framing on a blocking socket. Delivery is
 * confirmed by the peer's TCP acknowledgements ({@link SocketQueue}): a message counts as
 * delivered only when none of its bytes is still in our send queue, so after a broken connection
 * only the unacknowledged tail is sent again. With TLS (RFC 5425) the kernel counts ciphertext:
 * each flush records where its plaintext ended and where its ciphertext ended, so the acknowledged
 * ciphertext maps back to the whole flushes it covers.
 */
final class TcpDeliverer implements Deliverer
{
    private static final long PEER_CLOSE_DRAIN_NS = 1_000_000_000L;

    private final String host;
    private final int port;
    private final boolean octetCounted;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
    private final byte[] digits = new byte[12];
    private SocketChannel channel;
    private int fd = -1;
    private long written;
    private long flushed;
    private boolean peerClosed;
    private long lastConfirmed;
    private final SslContext tls;
    private TlsClientSession session;
    private long cipherFlushed;
    /** Per flush, not yet known to be acknowledged: plaintext end and ciphertext end (parallel rings). */
    private long[] markPlain = new long[64];
    private long[] markCipher = new long[64];
    private int markHead;
    private int markCount;

    TcpDeliverer(final String host, final int port, final boolean octetCounted)
    {
        this(host, port, octetCounted, null);
    }

    TcpDeliverer(final String host, final int port, final boolean octetCounted, final SslContext tls)
    {
        this.host = host;
        this.port = port;
        this.octetCounted = octetCounted;
        this.tls = tls;
    }

    @Override
    public void open() throws IOException
    {
        if (null != channel)
        {
            return;
        }
        final SocketChannel ch = TcpConnect.open(host, port, 5_000, null == tls ? TcpConnect.NONE :
            c -> session = TlsClientSession.handshake(tls, c, host, port, 10_000));
        channel = ch;
        fd = SocketQueue.fd(ch);
        written = 0;
        flushed = 0;
        cipherFlushed = 0;
        markCount = 0;
        buffer.clear();
    }

    @Override
    public void write(final byte[] data, final int offset, final int length) throws IOException
    {
        if (peerClosed)
        {
            throw new IOException("peer " + target() + " closed the connection");
        }
        int len = length;
        if (!octetCounted)
        {
            // A frame ends at LF: a message that carries its own LF must not produce an empty frame.
            while (len > 0 && data[offset + len - 1] == '\n')
            {
                len--;
            }
        }
        final int need = len + 12;
        if (buffer.remaining() < need)
        {
            flush();
        }
        if (octetCounted)
        {
            int n = len;
            int d = digits.length;
            do
            {
                digits[--d] = (byte)('0' + n % 10);
                n /= 10;
            }
            while (n > 0);
            buffer.put(digits, d, digits.length - d).put((byte)' ');
            written += digits.length - d + 1;
        }
        if (buffer.remaining() < len + 1)
        {
            flush();
            written += len;
            send(ByteBuffer.wrap(data, offset, len));
        }
        else
        {
            buffer.put(data, offset, len);
            written += len;
        }
        if (!octetCounted)
        {
            buffer.put((byte)'\n');
            written++;
        }
    }

    @Override
    public void flush() throws IOException
    {
        buffer.flip();
        send(buffer);
        buffer.clear();
    }

    /** Writes plaintext (through TLS when on) and records that everything written so far is flushed. */
    private void send(final ByteBuffer plain) throws IOException
    {
        if (null == session)
        {
            while (plain.hasRemaining())
            {
                channel.write(plain);
            }
            flushed = written;
            return;
        }
        if (!plain.hasRemaining())
        {
            return;
        }
        cipherFlushed += session.write(plain);
        flushed = written;
        mark(flushed, cipherFlushed);
    }

    private void mark(final long plain, final long cipher)
    {
        if (markCount == markPlain.length)
        {
            final long[] p = new long[markCount * 2];
            final long[] c = new long[markCount * 2];
            for (int i = 0; i < markCount; i++)
            {
                p[i] = markPlain[(markHead + i) % markCount];
                c[i] = markCipher[(markHead + i) % markCount];
            }
            markPlain = p;
            markCipher = c;
            markHead = 0;
        }
        final int at = (markHead + markCount) % markPlain.length;
        markPlain[at] = plain;
        markCipher[at] = cipher;
        markCount++;
    }

    /** The plaintext end of the last flush whose ciphertext is all acknowledged (earlier marks are dropped). */
    private long plainConfirmed(final long cipherConfirmed)
    {
        while (markCount > 0 && markCipher[markHead] <= cipherConfirmed)
        {
            lastConfirmed = markPlain[markHead];
            markHead = (markHead + 1) % markPlain.length;
            markCount--;
        }
        return lastConfirmed;
    }

    @Override
    public long confirmedBytes() throws IOException
    {
        if (fd < 0)
        {
            // No descriptor access: trust the kernel once the bytes are handed over.
            lastConfirmed = flushed;
            return flushed;
        }
        long unacked = SocketQueue.unacknowledged(fd);
        if (unacked < 0)
        {
            throw new IOException("connection to " + target() + " is no longer established");
        }
        if ((unacked & SocketQueue.PEER_CLOSED) != 0)
        {
            // The peer said goodbye but may still be reading (our imtcp drains until we close): let
            // it acknowledge what is in flight, so that only what it never took is sent again.
            peerClosed = true;
            unacked &= ~SocketQueue.PEER_CLOSED;
            final long deadline = System.nanoTime() + PEER_CLOSE_DRAIN_NS;
            while (unacked > 0 && System.nanoTime() < deadline)
            {
                Thread.onSpinWait();
                final long u = SocketQueue.unacknowledged(fd);
                if (u < 0)
                {
                    break;
                }
                unacked = u & ~SocketQueue.PEER_CLOSED;
            }
        }
        if (null != session)
        {
            return plainConfirmed(cipherFlushed - unacked);
        }
        lastConfirmed = flushed - unacked;
        return lastConfirmed;
    }

    @Override
    public long writtenBytes()
    {
        return written;
    }

    @Override
    public void reset()
    {
        if (null != channel)
        {
            try
            {
                if (flushed > lastConfirmed)
                {
                    // Data we are about to send again must not also trickle out of the old socket.
                    channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                }
                channel.close();
            }
            catch (final IOException ignore)
            {
                // Closing a broken connection: nothing left to save.
            }
        }
        if (null != session)
        {
            session.close();
            session = null;
        }
        markCount = 0;
        markHead = 0;
        channel = null;
        fd = -1;
        peerClosed = false;
        lastConfirmed = 0;
        buffer.clear();
    }

    @Override
    public String target()
    {
        return (null == tls ? "tcp://" : "tls://") + host + ":" + port;
    }
}

package dev.hostplane.syslog.internal.forward;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import dev.hostplane.syslog.internal.queue.Deliverer;

/**
 * omfwd over TCP: LF ("traditional") or octet-counted framing on a blocking socket. Delivery is
 * confirmed by the peer's TCP acknowledgements ({@link SocketQueue}): a message counts as
 * delivered only when none of its bytes is still in our send queue, so after a broken connection
 * only the unacknowledged tail is sent again.
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

    TcpDeliverer(final String host, final int port, final boolean octetCounted)
    {
        this.host = host;
        this.port = port;
        this.octetCounted = octetCounted;
    }

    @Override
    public void open() throws IOException
    {
        if (null != channel)
        {
            return;
        }
        final SocketChannel ch = TcpConnect.open(host, port, 5_000, TcpConnect.NONE);
        channel = ch;
        fd = SocketQueue.fd(ch);
        written = 0;
        flushed = 0;
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
            channel.write(ByteBuffer.wrap(data, offset, len));
            written += len;
            flushed = written;
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
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
        buffer.clear();
        flushed = written;
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
        channel = null;
        fd = -1;
        peerClosed = false;
        lastConfirmed = 0;
        buffer.clear();
    }

    @Override
    public String target()
    {
        return "tcp://" + host + ":" + port;
    }
}

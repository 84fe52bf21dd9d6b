package dev.hostplane.syslog.internal.forward;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import dev.hostplane.syslog.internal.queue.Deliverer;

/**
 * omfwd over UDP: one datagram per message, no framing. UDP has no delivery confirmation; a send
 * error (e.g. ICMP port unreachable reported on the connected socket) is counted and the message
 * is not retried, as rsyslog does.
 */
final class UdpDeliverer implements Deliverer
{
    private final String host;
    private final int port;
    private final int maxSize;
    private final ByteBuffer buffer;
    private DatagramChannel channel;
    private long written;
    private long errors;

    UdpDeliverer(final String host, final int port, final int maxSize)
    {
        this.host = host;
        this.port = port;
        this.maxSize = maxSize;
        this.buffer = ByteBuffer.allocateDirect(Math.max(maxSize, 1));
    }

    @Override
    public void open() throws IOException
    {
        if (null == channel)
        {
            channel = DatagramChannel.open();
            channel.connect(new InetSocketAddress(host, port));
        }
    }

    @Override
    public void write(final byte[] data, final int offset, final int length)
    {
        buffer.clear();
        buffer.put(data, offset, Math.min(length, maxSize));
        buffer.flip();
        try
        {
            channel.write(buffer);
        }
        catch (final IOException ex)
        {
            errors++;
        }
        written += length;
    }

    @Override
    public void flush()
    {
        // Datagrams leave on write.
    }

    @Override
    public long confirmedBytes()
    {
        return Long.MAX_VALUE;
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
                channel.close();
            }
            catch (final IOException ignore)
            {
                // Nothing to save on a datagram socket.
            }
        }
        channel = null;
    }

    long errors()
    {
        return errors;
    }

    @Override
    public String target()
    {
        return "udp://" + host + ":" + port;
    }
}

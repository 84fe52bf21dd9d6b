package dev.hostplane.packetscript.live;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * A minimal IPv4/TCP builder and reader for kernel-plumbing tests only (the real builder is the
 * language layer's); kept tiny so the tests of the live layer do not depend on it.
 */
final class TestPackets
{
    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int PSH = 0x08;
    static final int ACK = 0x10;

    private TestPackets()
    {
    }

    static byte[] tcp4(
        final InetAddress src, final InetAddress dst, final int srcPort, final int dstPort,
        final long seq, final long ack, final int flags, final int window, final byte[] options, final byte[] payload)
    {
        final int tcpLength = 20 + options.length + payload.length;
        final int total = 20 + tcpLength;
        final ByteBuffer b = ByteBuffer.allocate(total);
        b.put((byte)0x45).put((byte)0).putShort((short)total).putShort((short)0).putShort((short)0x4000);
        b.put((byte)64).put((byte)6).putShort((short)0).put(src.getAddress()).put(dst.getAddress());
        b.putShort(10, checksum(b.array(), 0, 20, 0));
        b.position(20);
        b.putShort((short)srcPort).putShort((short)dstPort).putInt((int)seq).putInt((int)ack);
        b.put((byte)(((20 + options.length) / 4) << 4)).put((byte)flags).putShort((short)window);
        b.putShort((short)0).putShort((short)0).put(options).put(payload);
        long pseudo = 0;
        final byte[] s = src.getAddress();
        final byte[] d = dst.getAddress();
        for (int i = 0; i < 4; i += 2)
        {
            pseudo += ((s[i] & 0xFF) << 8) | (s[i + 1] & 0xFF);
            pseudo += ((d[i] & 0xFF) << 8) | (d[i + 1] & 0xFF);
        }
        pseudo += 6 + tcpLength;
        b.putShort(36, checksum(b.array(), 20, tcpLength, pseudo));
        return b.array();
    }

    static short checksum(final byte[] data, final int offset, final int length, final long initial)
    {
        long sum = initial;
        for (int i = 0; i < length - 1; i += 2)
        {
            sum += ((data[offset + i] & 0xFF) << 8) | (data[offset + i + 1] & 0xFF);
        }
        if ((length & 1) != 0)
        {
            sum += (data[offset + length - 1] & 0xFF) << 8;
        }
        while ((sum >> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (short)~sum;
    }

    static int ipHeaderLength(final byte[] p)
    {
        return (p[0] & 0x0F) * 4;
    }

    static int protocol(final byte[] p)
    {
        return p[9] & 0xFF;
    }

    static int tcpFlags(final byte[] p)
    {
        return p[ipHeaderLength(p) + 13] & 0xFF;
    }

    static int srcPort(final byte[] p)
    {
        return ByteBuffer.wrap(p).getShort(ipHeaderLength(p)) & 0xFFFF;
    }

    static int dstPort(final byte[] p)
    {
        return ByteBuffer.wrap(p).getShort(ipHeaderLength(p) + 2) & 0xFFFF;
    }

    static long seq(final byte[] p)
    {
        return ByteBuffer.wrap(p).getInt(ipHeaderLength(p) + 4) & 0xFFFFFFFFL;
    }

    static long ack(final byte[] p)
    {
        return ByteBuffer.wrap(p).getInt(ipHeaderLength(p) + 8) & 0xFFFFFFFFL;
    }

    static int payloadLength(final byte[] p)
    {
        final int ihl = ipHeaderLength(p);
        final int total = ByteBuffer.wrap(p).getShort(2) & 0xFFFF;
        final int doff = ((p[ihl + 12] >> 4) & 0xF) * 4;
        return total - ihl - doff;
    }
}

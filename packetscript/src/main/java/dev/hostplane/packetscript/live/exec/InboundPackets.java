package dev.hostplane.packetscript.live.exec;

import dev.hostplane.packetscript.linux.LinuxSymbols;
import dev.hostplane.packetscript.model.IpInfo;
import dev.hostplane.packetscript.model.TcpOption;
import dev.hostplane.packetscript.model.TcpSpec;
import dev.hostplane.packetscript.packet.ConnectionMapping;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * Builds the live inbound IPv4/IPv6 TCP packet for a script packet and a connection: ports and
 * addresses from the connection, the ack and SACK blocks shifted by the kernel's ISN, TS ecr
 * mapped to the live TS val, checksums computed.
 */
final class InboundPackets
{
    private InboundPackets()
    {
    }

    static byte[] tcp(
        final TcpSpec tcp, final IpInfo ip, final ConnectionMapping connection,
        final InetAddress remote, final InetAddress local)
    {
        final byte[] options = options(tcp, connection);
        final int tcpLength = 20 + options.length + tcp.payloadLength();
        final boolean v6 = remote.getAddress().length == 16;
        final int ipHeaderLength = v6 ? 40 : 20;
        final ByteBuffer b = ByteBuffer.allocate(ipHeaderLength + tcpLength);
        final int ecn = null != ip.ecn() && ip.ecn().bits() >= 0 ? ip.ecn().bits() : 0;
        final int tos = (null != ip.tos() ? ip.tos() : 0) | ecn;
        final int ttl = null != ip.ttl() ? ip.ttl() : 255;
        if (v6)
        {
            final int flow = null != ip.flowLabel() ? ip.flowLabel() : 0;
            b.putInt((6 << 28) | (tos << 20) | flow).putShort((short)tcpLength).put((byte)6).put((byte)ttl);
            b.put(remote.getAddress()).put(local.getAddress());
        }
        else
        {
            b.put((byte)0x45).put((byte)tos).putShort((short)(20 + tcpLength)).putShort((short)0).putShort((short)0);
            b.put((byte)ttl).put((byte)6).putShort((short)0).put(remote.getAddress()).put(local.getAddress());
            b.putShort(10, checksum(b.array(), 0, 20, 0));
        }
        final int flags = LivePacket.flagBits(tcp.flags());
        final boolean syn = tcp.hasFlag('S');
        if (syn)
        {
            // Every inbound SYN names the peer's ISN here (ConnectionMapping.learnRemoteIsn keeps only the
            // first one, as packetdrill does; the live runs were validated with this rule, so it stays for now).
            connection.remoteIsn(tcp.startSequence(), tcp.startSequence());
        }
        final long seq = connection.remoteToLive(tcp.startSequence(), syn);
        final long ack = null != tcp.ack() ? connection.localToLive(tcp.ack(), syn) : 0;
        final int window = null != tcp.window() ? tcp.window() : 0;
        b.putShort((short)connection.remotePort()).putShort((short)connection.localPort());
        b.putInt((int)seq).putInt((int)ack);
        b.put((byte)((((20 + options.length) / 4) << 4) | ((flags >> 8) & 0x1))).put((byte)flags);
        b.putShort((short)window).putShort((short)0);
        b.putShort((short)(null != tcp.urgentPointer() ? tcp.urgentPointer() : 0));
        b.put(options);
        // Payload bytes are zeros, as packetdrill injects them.
        final int tcpStart = ipHeaderLength;
        b.putShort(tcpStart + 16, checksum(b.array(), tcpStart, tcpLength, pseudoHeaderSum(remote, local, tcpLength)));
        return b.array();
    }

    static long pseudoHeaderSum(final InetAddress src, final InetAddress dst, final int length)
    {
        long sum = 0;
        final byte[] s = src.getAddress();
        final byte[] d = dst.getAddress();
        for (int i = 0; i < s.length; i += 2)
        {
            sum += ((s[i] & 0xFF) << 8) | (s[i + 1] & 0xFF);
            sum += ((d[i] & 0xFF) << 8) | (d[i + 1] & 0xFF);
        }
        return sum + 6 + length;
    }

    static short checksum(final byte[] data, final int offset, final int length, final long initial)
    {
        long sum = initial;
        for (int i = 0; i < length - 1; i += 2)
        {
            sum += ((data[offset + i] & 0xFF) << 8) | (data[offset + i + 1] & 0xFF);
        }
        if (0 != (length & 1))
        {
            sum += (data[offset + length - 1] & 0xFF) << 8;
        }
        while (0 != (sum >> 16))
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (short)~sum;
    }

    private static byte[] options(final TcpSpec tcp, final ConnectionMapping connection)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (null == tcp.options())
        {
            return new byte[0];
        }
        for (final TcpOption option : tcp.options())
        {
            if (option instanceof TcpOption.Nop)
            {
                out.write(1);
            }
            else if (option instanceof TcpOption.Eol)
            {
                out.write(0);
            }
            else if (option instanceof TcpOption.Mss mss)
            {
                final long value = mss.value().isSymbolic() ? valueOf(mss.value().symbol()) : mss.value().value();
                out.write(2);
                out.write(4);
                out.write((int)(value >> 8));
                out.write((int)value);
            }
            else if (option instanceof TcpOption.WindowScale ws)
            {
                out.write(3);
                out.write(3);
                out.write(ws.shift());
            }
            else if (option instanceof TcpOption.SackPermitted)
            {
                out.write(4);
                out.write(2);
            }
            else if (option instanceof TcpOption.Sack sack)
            {
                out.write(5);
                out.write(2 + 8 * sack.blocks().size());
                for (final TcpOption.SackBlock block : sack.blocks())
                {
                    writeInt(out, connection.localToLive(block.left()));
                    writeInt(out, connection.localToLive(block.right()));
                }
            }
            else if (option instanceof TcpOption.Timestamp ts)
            {
                out.write(8);
                out.write(10);
                writeInt(out, ts.val());
                // A zero TS ecr (a SYN's) goes out as zero, not mapped.
                writeInt(out, 0 == ts.ecr() ? 0 : connection.inboundEcrToLive(ts.ecr()));
            }
            else if (option instanceof TcpOption.FastOpen fo)
            {
                final byte[] cookie = hex(fo.cookie());
                if (fo.experimental())
                {
                    out.write(254);
                    out.write(4 + cookie.length);
                    out.write(0xF9);
                    out.write(0x89);
                }
                else
                {
                    out.write(34);
                    out.write(2 + cookie.length);
                }
                out.write(cookie, 0, cookie.length);
            }
            else if (option instanceof TcpOption.Md5)
            {
                // packetdrill writes an all-zero digest for inbound md5 options.
                out.write(19);
                out.write(18);
                out.write(new byte[16], 0, 16);
            }
        }
        while (0 != (out.size() & 3))
        {
            out.write(0);
        }
        return out.toByteArray();
    }

    static long valueOf(final String symbol)
    {
        final Long value = LinuxSymbols.value(symbol);
        if (null == value)
        {
            throw new IllegalArgumentException("unknown symbol in packet: " + symbol);
        }
        return value;
    }

    static byte[] hex(final String text)
    {
        if (null == text || text.isEmpty())
        {
            return new byte[0];
        }
        final String digits = text.startsWith("0x") ? text.substring(2) : text;
        final byte[] bytes = new byte[digits.length() / 2];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    private static void writeInt(final ByteArrayOutputStream out, final long value)
    {
        out.write((int)(value >> 24));
        out.write((int)(value >> 16));
        out.write((int)(value >> 8));
        out.write((int)value);
    }
}

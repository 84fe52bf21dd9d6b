package dev.hostplane.packetscript.live.exec;

import dev.hostplane.packetscript.model.IcmpSpec;
import dev.hostplane.packetscript.packet.ConnectionMapping;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * Builds inbound ICMP/ICMPv6 errors about the connection under test, as packetdrill does for
 * {@code < icmp unreachable frag_needed mtu 800 [1:1001(1000)]}: the quoted packet is the
 * kernel's own segment (local to remote, its live ports and sequence number) so the kernel maps
 * the error to the socket.
 */
final class InboundIcmp
{
    private InboundIcmp()
    {
    }

    static byte[] build(final IcmpSpec icmp, final ConnectionMapping connection, final InetAddress remote,
        final InetAddress local)
    {
        final boolean v6 = remote.getAddress().length == 16;
        final long scriptSeq = null != icmp.echoed() ? icmp.echoed().startSequence() : 0;
        final int payload = null != icmp.echoed() ? icmp.echoed().payloadLength() : 0;
        final long seq = connection.localToLive(scriptSeq);
        final byte[] quoted = quoted(v6, local, remote, connection, seq, payload);
        final int icmpLength = 8 + quoted.length;
        final int ipLength = (v6 ? 40 : 20) + icmpLength;
        final ByteBuffer b = ByteBuffer.allocate(ipLength);
        if (v6)
        {
            b.putInt(6 << 28).putShort((short)icmpLength).put((byte)58).put((byte)255);
            b.put(remote.getAddress()).put(local.getAddress());
        }
        else
        {
            b.put((byte)0x45).put((byte)0).putShort((short)ipLength).putShort((short)0).putShort((short)0);
            b.put((byte)255).put((byte)1).putShort((short)0).put(remote.getAddress()).put(local.getAddress());
            b.putShort(10, InboundPackets.checksum(b.array(), 0, 20, 0));
        }
        final int start = b.position();
        b.put((byte)type(icmp, v6)).put((byte)code(icmp, v6)).putShort((short)0);
        final long mtu = null != icmp.mtu() ? icmp.mtu() : 0;
        if (v6)
        {
            b.putInt((int)mtu);
        }
        else
        {
            b.putShort((short)0).putShort((short)mtu);
        }
        b.put(quoted);
        final long pseudo = v6 ? pseudo6(remote, local, icmpLength) : 0;
        b.putShort(start + 2, InboundPackets.checksum(b.array(), start, icmpLength, pseudo));
        return b.array();
    }

    private static long pseudo6(final InetAddress src, final InetAddress dst, final int length)
    {
        return InboundPackets.pseudoHeaderSum(src, dst, length) - 6 + 58;
    }

    private static byte[] quoted(final boolean v6, final InetAddress local, final InetAddress remote,
        final ConnectionMapping connection, final long seq, final int payload)
    {
        final ByteBuffer b = ByteBuffer.allocate((v6 ? 40 : 20) + 20);
        if (v6)
        {
            b.putInt(6 << 28).putShort((short)(20 + payload)).put((byte)6).put((byte)64);
            b.put(local.getAddress()).put(remote.getAddress());
        }
        else
        {
            b.put((byte)0x45).put((byte)0).putShort((short)(40 + payload)).putShort((short)0).putShort((short)0x4000);
            b.put((byte)64).put((byte)6).putShort((short)0).put(local.getAddress()).put(remote.getAddress());
            b.putShort(10, InboundPackets.checksum(b.array(), 0, 20, 0));
        }
        b.putShort((short)connection.localPort()).putShort((short)connection.remotePort()).putInt((int)seq).putInt(0);
        b.put((byte)0x50).put((byte)0x10).putShort((short)0).putShort((short)0).putShort((short)0);
        return b.array();
    }

    private static int type(final IcmpSpec icmp, final boolean v6)
    {
        final String type = icmp.type();
        if (v6)
        {
            switch (type)
            {
                case "unreachable":
                    return 1;
                case "packet_too_big":
                    return 2;
                case "time_exceeded":
                    return 3;
                case "parameter_problem":
                    return 4;
                default:
                    throw new IllegalArgumentException("unknown ICMPv6 type: " + type);
            }
        }
        switch (type)
        {
            case "unreachable":
                return 3;
            case "source_quench":
                return 4;
            case "redirect":
                return 5;
            case "time_exceeded":
                return 11;
            case "parameter_problem":
                return 12;
            default:
                throw new IllegalArgumentException("unknown ICMP type: " + type);
        }
    }

    private static int code(final IcmpSpec icmp, final boolean v6)
    {
        final String code = icmp.code();
        if (null == code)
        {
            return 0;
        }
        final String[] names = v6 ?
            new String[] {"no_route", "admin_prohibited", "beyond_scope", "address_unreachable", "port_unreachable"} :
            new String[] {"net_unreachable", "host_unreachable", "protocol_unreachable", "port_unreachable",
                "frag_needed", "source_route_failed", "net_unknown", "host_unknown", "source_host_isolated",
                "net_prohibited", "host_prohibited", "net_unreachable_for_tos", "host_unreachable_for_tos",
                "packet_filtered", "precedence_violation", "precedence_cutoff"};
        for (int i = 0; i < names.length; i++)
        {
            if (names[i].equals(code))
            {
                return i;
            }
        }
        if (code.matches("\\d+"))
        {
            return Integer.parseInt(code);
        }
        throw new IllegalArgumentException("bad ICMP code " + code);
    }
}

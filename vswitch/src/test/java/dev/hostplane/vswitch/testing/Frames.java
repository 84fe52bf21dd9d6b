package dev.hostplane.vswitch.testing;

import java.nio.ByteOrder;

import dev.hostplane.vswitch.packet.EthernetFrame;
import dev.hostplane.vswitch.packet.IcmpHeader;
import dev.hostplane.vswitch.packet.IpProtocols;
import dev.hostplane.vswitch.packet.Ipv4Header;
import dev.hostplane.vswitch.packet.Ipv6Header;
import dev.hostplane.vswitch.packet.TcpHeader;
import dev.hostplane.vswitch.packet.UdpHeader;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** Builds test frames with correct checksums. */
public final class Frames
{
    private Frames()
    {
    }

    /** Independent reference: RFC 1071 16-bit word loop. */
    public static int referenceSum(final byte[] data, final int offset, final int length)
    {
        long sum = 0;
        for (int i = 0; i < length; i += 2)
        {
            final int hi = data[offset + i] & 0xFF;
            final int lo = i + 1 < length ? data[offset + i + 1] & 0xFF : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int)sum;
    }

    public static int ethernet(final MutableDirectBuffer b, final long dst, final long src, final int vlanTci,
        final int etherType)
    {
        final EthernetFrame eth = new EthernetFrame();
        eth.wrap(b, 0, b.capacity());
        eth.destination(dst).source(src);
        if (vlanTci >= 0)
        {
            b.putShort(12, (short)EthernetFrame.ETHER_TYPE_VLAN, ByteOrder.BIG_ENDIAN);
            b.putShort(14, (short)vlanTci, ByteOrder.BIG_ENDIAN);
            b.putShort(16, (short)etherType, ByteOrder.BIG_ENDIAN);
            return 18;
        }
        b.putShort(12, (short)etherType, ByteOrder.BIG_ENDIAN);
        return 14;
    }

    /** Ethernet + IPv4 + UDP with payload; returns frame length. */
    public static int udp4(final MutableDirectBuffer b, final long dst, final long src, final int vlanTci,
        final int srcIp, final int dstIp, final int srcPort, final int dstPort, final int payload)
    {
        final int l3 = ethernet(b, dst, src, vlanTci, EthernetFrame.ETHER_TYPE_IPV4);
        final int l4 = l3 + 20;
        for (int i = 0; i < payload; i++)
        {
            b.putByte(l4 + 8 + i, (byte)(i * 7 + 3));
        }
        final Ipv4Header ip = new Ipv4Header();
        ip.wrap(b, l3, 20 + 8 + payload);
        ip.write(0, 20 + 8 + payload, 1, Ipv4Header.FLAG_DF, 64, IpProtocols.UDP, srcIp, dstIp);
        final UdpHeader udp = new UdpHeader();
        udp.wrap(b, l4, 8 + payload);
        udp.write(srcPort, dstPort, 8 + payload).updateChecksum(ip.pseudoHeaderSum());
        return l4 + 8 + payload;
    }

    /** Ethernet + IPv4 + TCP (no options) with payload; returns frame length. */
    public static int tcp4(final MutableDirectBuffer b, final long dst, final long src, final int srcIp,
        final int dstIp, final int srcPort, final int dstPort, final int flags, final int payload)
    {
        final int l3 = ethernet(b, dst, src, -1, EthernetFrame.ETHER_TYPE_IPV4);
        final int l4 = l3 + 20;
        for (int i = 0; i < payload; i++)
        {
            b.putByte(l4 + 20 + i, (byte)(i * 13 + 1));
        }
        final Ipv4Header ip = new Ipv4Header();
        ip.wrap(b, l3, 40 + payload);
        ip.write(0x10, 40 + payload, 7, 0, 64, IpProtocols.TCP, srcIp, dstIp);
        final TcpHeader tcp = new TcpHeader();
        tcp.wrap(b, l4, 20 + payload);
        tcp.write(srcPort, dstPort, 1000, 2000, 20, flags, 65535).updateChecksum(ip.pseudoHeaderSum(), 20 + payload);
        return l4 + 20 + payload;
    }

    /** Ethernet + IPv4 + ICMP echo request; returns frame length. */
    public static int icmp4(final MutableDirectBuffer b, final long dst, final long src, final int srcIp,
        final int dstIp, final int ttl)
    {
        final int l3 = ethernet(b, dst, src, -1, EthernetFrame.ETHER_TYPE_IPV4);
        final Ipv4Header ip = new Ipv4Header();
        ip.wrap(b, l3, 28 + 8);
        ip.write(0, 28 + 8, 9, 0, ttl, IpProtocols.ICMP, srcIp, dstIp);
        final IcmpHeader icmp = new IcmpHeader();
        icmp.wrap(b, l3 + 20, 16);
        b.putLong(l3 + 28, 0x0102030405060708L);
        icmp.write(IcmpHeader.TYPE_ECHO_REQUEST, 0, 0x1234, 1).updateChecksum(16);
        return l3 + 36;
    }

    /** Ethernet + IPv6 + UDP; returns frame length. */
    public static int udp6(final MutableDirectBuffer b, final long dst, final long src, final long srcLow,
        final long dstLow, final int srcPort, final int dstPort, final int payload)
    {
        final int l3 = ethernet(b, dst, src, -1, EthernetFrame.ETHER_TYPE_IPV6);
        final Ipv6Header ip6 = new Ipv6Header();
        ip6.wrap(b, l3, 40 + 8 + payload);
        ip6.write(0, 0x12345, 8 + payload, IpProtocols.UDP, 64, 0xFD00_0000_0000_0000L, srcLow,
            0xFD00_0000_0000_0000L, dstLow);
        ip6.parseExtensionHeaders();
        final UdpHeader udp = new UdpHeader();
        udp.wrap(b, l3 + 40, 8 + payload);
        udp.write(srcPort, dstPort, 8 + payload).updateChecksum(ip6.pseudoHeaderSum());
        return l3 + 48 + payload;
    }

    public static UnsafeBuffer buffer(final int capacity)
    {
        return new UnsafeBuffer(new byte[capacity]);
    }

    public static UnsafeBuffer directBuffer(final int capacity)
    {
        return new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(capacity));
    }
}

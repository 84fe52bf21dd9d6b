package dev.hostplane.vswitch.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import dev.hostplane.vswitch.testing.Frames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class HeaderCodecTest
{
    private static final long MAC_A = 0x02_00_00_00_00_0AL;
    private static final long MAC_B = 0x02_00_00_00_00_0BL;
    private static final int IP_A = 0x0A_63_00_01;
    private static final int IP_B = 0x0A_63_00_02;

    private final EthernetFrame eth = new EthernetFrame();
    private final Ipv4Header ip = new Ipv4Header();
    private final Ipv6Header ip6 = new Ipv6Header();
    private final TcpHeader tcp = new TcpHeader();
    private final UdpHeader udp = new UdpHeader();
    private final IcmpHeader icmp = new IcmpHeader();
    private final Icmpv6Header icmp6 = new Icmpv6Header();
    private final ArpPacket arp = new ArpPacket();

    @Test
    void shouldReadEthernetAndVlan()
    {
        final UnsafeBuffer b = Frames.buffer(128);
        final int len = Frames.udp4(b, MAC_B, MAC_A, (5 << 13) | 100, IP_A, IP_B, 1111, 2222, 10);
        eth.wrap(b, 0, len);
        assertThat(eth.isValid()).isTrue();
        assertThat(eth.destination()).isEqualTo(MAC_B);
        assertThat(eth.source()).isEqualTo(MAC_A);
        assertThat(eth.hasVlan()).isTrue();
        assertThat(eth.vlanId()).isEqualTo(100);
        assertThat(eth.vlanPcp()).isEqualTo(5);
        assertThat(eth.payloadEtherType()).isEqualTo(EthernetFrame.ETHER_TYPE_IPV4);
        assertThat(eth.headerLength()).isEqualTo(18);
    }

    @Test
    void shouldPushAndPopVlanPreservingPayload()
    {
        final UnsafeBuffer b = Frames.buffer(128);
        final int len = Frames.udp4(b, MAC_B, MAC_A, -1, IP_A, IP_B, 1111, 2222, 10);
        final byte[] before = new byte[len];
        b.getBytes(0, before);
        final int pushed = EthernetFrame.pushVlan(b, 0, len, EthernetFrame.ETHER_TYPE_VLAN, 42);
        eth.wrap(b, 0, pushed);
        assertThat(pushed).isEqualTo(len + 4);
        assertThat(eth.vlanId()).isEqualTo(42);
        assertThat(eth.payloadEtherType()).isEqualTo(EthernetFrame.ETHER_TYPE_IPV4);
        ip.wrap(b, eth.payloadOffset(), pushed - eth.payloadOffset());
        assertThat(ip.isValid()).isTrue();
        final int popped = EthernetFrame.popVlan(b, 0, pushed);
        final byte[] after = new byte[popped];
        b.getBytes(0, after);
        assertThat(after).isEqualTo(before);
        assertThat(EthernetFrame.popVlan(b, 0, popped)).isEqualTo(popped);
    }

    @Test
    void shouldRejectTruncatedEthernet()
    {
        final UnsafeBuffer b = Frames.buffer(64);
        Frames.ethernet(b, MAC_B, MAC_A, 7, EthernetFrame.ETHER_TYPE_IPV4);
        assertThat(eth.wrap(b, 0, 13).isValid()).isFalse();
        assertThat(eth.wrap(b, 0, 16).isValid()).isFalse();
        assertThat(eth.wrap(b, 0, 18).isValid()).isTrue();
    }

    @Test
    void shouldParseAndFormatMac()
    {
        assertThat(EthernetFrame.parseMac("02:00:00:00:00:0a")).isEqualTo(MAC_A);
        assertThat(EthernetFrame.macToString(MAC_A)).isEqualTo("02:00:00:00:00:0a");
        assertThat(EthernetFrame.isMulticast(EthernetFrame.BROADCAST)).isTrue();
        assertThat(EthernetFrame.isMulticast(MAC_A)).isFalse();
        assertThatThrownBy(() -> EthernetFrame.parseMac("02:00:zz:00:00:0a"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad byte 'zz'");
    }

    @Test
    void shouldReadIpv4AndUdpAndVerifyChecksums()
    {
        final UnsafeBuffer b = Frames.buffer(128);
        final int len = Frames.udp4(b, MAC_B, MAC_A, -1, IP_A, IP_B, 1111, 2222, 11);
        ip.wrap(b, 14, len - 14);
        assertThat(ip.isValid()).isTrue();
        assertThat(ip.isChecksumValid()).isTrue();
        assertThat(ip.computeChecksum()).isEqualTo(ip.checksum());
        assertThat(ip.source()).isEqualTo(IP_A);
        assertThat(ip.destination()).isEqualTo(IP_B);
        assertThat(ip.protocol()).isEqualTo(IpProtocols.UDP);
        assertThat(ip.ttl()).isEqualTo(64);
        assertThat(ip.isFragment()).isFalse();
        udp.wrap(b, ip.payloadOffset(), ip.payloadLength());
        assertThat(udp.isValid()).isTrue();
        assertThat(udp.sourcePort()).isEqualTo(1111);
        assertThat(udp.destinationPort()).isEqualTo(2222);
        assertThat(udp.isChecksumValid(ip.pseudoHeaderSum())).isTrue();
        b.putByte(len - 1, (byte)(b.getByte(len - 1) + 1));
        assertThat(udp.isChecksumValid(ip.pseudoHeaderSum())).isFalse();
    }

    @Test
    void shouldUpdateIpv4ChecksumIncrementally()
    {
        final UnsafeBuffer b = Frames.buffer(128);
        final int len = Frames.tcp4(b, MAC_B, MAC_A, IP_A, IP_B, 40000, 80, TcpHeader.SYN, 0);
        ip.wrap(b, 14, len - 14);
        ip.ttlAndUpdateChecksum(ip.ttl() - 1);
        assertThat(ip.isChecksumValid()).isTrue();
        ip.destinationAndUpdateChecksum(0xC0A80101);
        ip.sourceAndUpdateChecksum(0xC0A80102);
        ip.tosAndUpdateChecksum(0xB8);
        assertThat(ip.isChecksumValid()).isTrue();
        assertThat(ip.dscp()).isEqualTo(46);
        assertThat(Ipv4Header.addressToString(ip.destination())).isEqualTo("192.168.1.1");
    }

    @Test
    void shouldReadIpv4FromTunPacketAtOffsetZeroInByteBuffer()
    {
        final UnsafeBuffer b = Frames.buffer(128);
        final int len = Frames.icmp4(b, MAC_B, MAC_A, IP_A, IP_B, 3);
        final ByteBuffer tunPacket = ByteBuffer.allocateDirect(len - 14);
        b.getBytes(14, tunPacket, 0, len - 14);
        ip.wrap(tunPacket, 0, len - 14);
        assertThat(ip.isValid()).isTrue();
        assertThat(ip.ttl()).isEqualTo(3);
        icmp.wrap(tunPacket, ip.payloadOffset(), ip.payloadLength());
        assertThat(icmp.isValid()).isTrue();
        assertThat(icmp.type()).isEqualTo(IcmpHeader.TYPE_ECHO_REQUEST);
        assertThat(icmp.identifier()).isEqualTo(0x1234);
        assertThat(icmp.sequence()).isEqualTo(1);
        assertThat(icmp.isChecksumValid(ip.payloadLength())).isTrue();
    }

    @Test
    void shouldRejectMalformedIpv4()
    {
        final UnsafeBuffer b = Frames.buffer(128);
        final int len = Frames.udp4(b, MAC_B, MAC_A, -1, IP_A, IP_B, 1, 2, 4);
        assertThat(ip.wrap(b, 14, 19).isValid()).as("short").isFalse();
        assertThat(ip.wrap(b, 14, len - 15).isValid()).as("total length beyond bytes").isFalse();
        b.putByte(14, (byte)0x44);
        assertThat(ip.wrap(b, 14, len - 14).isValid()).as("ihl 4").isFalse();
        b.putByte(14, (byte)0x65);
        assertThat(ip.wrap(b, 14, len - 14).isValid()).as("version 6").isFalse();
        assertThatThrownBy(() -> Ipv4Header.parseAddress("10.0.300.1"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad octet '300'");
    }

    @Test
    void shouldWalkIpv6ExtensionHeadersToTcp()
    {
        final UnsafeBuffer b = Frames.buffer(256);
        // hop-by-hop (8) -> destination options (16) -> fragment (8, offset 0) -> TCP (20)
        final int payload = 8 + 16 + 8 + 20;
        ip6.wrap(b, 0, 40 + payload);
        ip6.write(0xB8, 0xABCDE, payload, IpProtocols.HOPOPT, 255, 1L, 2L, 3L, 4L);
        b.putByte(40, (byte)IpProtocols.IPV6_OPTS);
        b.putByte(41, (byte)0);
        b.putByte(48, (byte)IpProtocols.IPV6_FRAG);
        b.putByte(49, (byte)1);
        b.putByte(64, (byte)IpProtocols.TCP);
        b.putShort(66, (short)0x0001, ByteOrder.BIG_ENDIAN);
        tcp.wrap(b, 72, 20);
        tcp.write(5000, 443, 1, 0, 20, TcpHeader.SYN, 1000);
        assertThat(ip6.isValid()).isTrue();
        assertThat(ip6.parseExtensionHeaders()).isTrue();
        assertThat(ip6.upperLayerProtocol()).isEqualTo(IpProtocols.TCP);
        assertThat(ip6.upperLayerOffset()).isEqualTo(72);
        assertThat(ip6.upperLayerLength()).isEqualTo(20);
        assertThat(ip6.isFragment()).isTrue();
        assertThat(ip6.isLaterFragment()).isFalse();
        assertThat(ip6.trafficClass()).isEqualTo(0xB8);
        assertThat(ip6.flowLabel()).isEqualTo(0xABCDE);
        assertThat(ip6.sourceLow()).isEqualTo(2L);
        assertThat(ip6.destinationHigh()).isEqualTo(3L);
        tcp.updateChecksum(ip6.pseudoHeaderSum(), 20);
        assertThat(tcp.isChecksumValid(ip6.pseudoHeaderSum(), 20)).isTrue();
    }

    @Test
    void shouldRejectTruncatedIpv6ExtensionChain()
    {
        final UnsafeBuffer b = Frames.buffer(256);
        ip6.wrap(b, 0, 40 + 8);
        ip6.write(0, 0, 8, IpProtocols.HOPOPT, 64, 0, 0, 0, 0);
        b.putByte(40, (byte)IpProtocols.IPV6_ROUTE);
        b.putByte(41, (byte)4);
        // The routing header claims to start beyond the payload.
        assertThat(ip6.isValid()).isTrue();
        assertThat(ip6.parseExtensionHeaders()).isFalse();
        assertThat(ip6.wrap(b, 0, 39).isValid()).isFalse();
        // payload length beyond the wrapped bytes
        ip6.wrap(b, 0, 48);
        b.putShort(4, (short)100, ByteOrder.BIG_ENDIAN);
        assertThat(ip6.isValid()).isFalse();
    }

    @Test
    void shouldReadUdpOverIpv6WithChecksum()
    {
        final UnsafeBuffer b = Frames.buffer(256);
        final int len = Frames.udp6(b, MAC_B, MAC_A, 1, 2, 546, 547, 33);
        ip6.wrap(b, 14, len - 14);
        assertThat(ip6.isValid()).isTrue();
        assertThat(ip6.parseExtensionHeaders()).isTrue();
        udp.wrap(b, ip6.upperLayerOffset(), ip6.upperLayerLength());
        assertThat(udp.isValid()).isTrue();
        assertThat(udp.isChecksumValid(ip6.pseudoHeaderSum())).isTrue();
        assertThat(udp.destinationPort()).isEqualTo(547);
    }

    @Test
    void shouldWriteAndReadTcpOptions()
    {
        final UnsafeBuffer b = Frames.buffer(128);
        tcp.wrap(b, 10, 40);
        tcp.write(1234, 80, 0x1000_0000, 0, 40, TcpHeader.SYN | TcpHeader.ECE | TcpHeader.CWR | TcpHeader.AE, 29200);
        int at = 30;
        at += TcpOptions.putMss(b, at, 1460);
        at += TcpOptions.putSackPermitted(b, at);
        at += TcpOptions.putTimestamp(b, at, 0xDEADBEEF, 7);
        at += TcpOptions.putNop(b, at);
        at += TcpOptions.putWindowScale(b, at, 7);
        assertThat(at).isEqualTo(50);
        assertThat(tcp.isValid()).isTrue();
        assertThat(tcp.areOptionsValid()).isTrue();
        assertThat(tcp.mss()).isEqualTo(1460);
        assertThat(tcp.sackPermitted()).isTrue();
        assertThat(tcp.timestampValue()).isEqualTo(0xDEADBEEFL);
        assertThat(tcp.timestampEchoReply()).isEqualTo(7L);
        assertThat(tcp.windowScale()).isEqualTo(7);
        assertThat(tcp.flags()).isEqualTo(TcpHeader.SYN | TcpHeader.ECE | TcpHeader.CWR | TcpHeader.AE);
        assertThat(tcp.sequence()).isEqualTo(0x1000_0000);
        assertThat(tcp.sackBlockCount()).isZero();

        tcp.write(1234, 80, 1, 1, 32, TcpHeader.ACK, 100);
        int s = 30;
        s += TcpOptions.putNop(b, s);
        s += TcpOptions.putNop(b, s);
        TcpOptions.putSack(b, s, new int[] {100, 200}, 1);
        assertThat(tcp.sackBlockCount()).isEqualTo(1);
        assertThat(tcp.sackLeftEdge(0)).isEqualTo(100);
        assertThat(tcp.sackRightEdge(0)).isEqualTo(200);
    }

    @Test
    void shouldDetectMalformedTcp()
    {
        final UnsafeBuffer b = Frames.buffer(128);
        tcp.wrap(b, 0, 24);
        tcp.write(1, 2, 3, 4, 24, TcpHeader.SYN, 5);
        b.putByte(20, (byte)TcpOptions.KIND_MSS);
        b.putByte(21, (byte)9);
        assertThat(tcp.isValid()).isTrue();
        assertThat(tcp.areOptionsValid()).as("option runs past header").isFalse();
        assertThat(tcp.mss()).isEqualTo(-1);
        b.putByte(21, (byte)1);
        assertThat(tcp.areOptionsValid()).as("option length below 2").isFalse();
        b.putByte(12, (byte)0x40);
        assertThat(tcp.isValid()).as("data offset 4").isFalse();
        b.putByte(12, (byte)0xF0);
        assertThat(tcp.isValid()).as("data offset past bytes").isFalse();
        assertThat(tcp.wrap(b, 0, 19).isValid()).isFalse();
        assertThatThrownBy(() -> tcp.wrap(b, 0, 60).write(1, 2, 3, 4, 22, 0, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("headerLength=22");
    }

    @Test
    void shouldVerifyTcpChecksumOverIpv4()
    {
        final UnsafeBuffer b = Frames.buffer(256);
        final int len = Frames.tcp4(b, MAC_B, MAC_A, IP_A, IP_B, 40000, 5201, TcpHeader.ACK | TcpHeader.PSH, 101);
        ip.wrap(b, 14, len - 14);
        tcp.wrap(b, ip.payloadOffset(), ip.payloadLength());
        assertThat(tcp.isChecksumValid(ip.pseudoHeaderSum(), ip.payloadLength())).isTrue();
        assertThat(tcp.destinationPort()).isEqualTo(5201);
        assertThat(tcp.headerLength()).isEqualTo(20);
    }

    @Test
    void shouldRejectMalformedUdpAndIcmp()
    {
        final UnsafeBuffer b = Frames.buffer(64);
        udp.wrap(b, 0, 8).write(1, 2, 7);
        assertThat(udp.isValid()).as("length below header").isFalse();
        udp.write(1, 2, 9);
        assertThat(udp.isValid()).as("length beyond bytes").isFalse();
        assertThat(udp.wrap(b, 0, 7).isValid()).isFalse();
        assertThat(icmp.wrap(b, 0, 7).isValid()).isFalse();
        assertThat(icmp6.wrap(b, 0, 3).isValid()).isFalse();
    }

    @Test
    void shouldComputeIcmpv6Checksum()
    {
        final UnsafeBuffer b = Frames.buffer(128);
        ip6.wrap(b, 0, 40 + 16);
        ip6.write(0, 0, 16, IpProtocols.ICMPV6, 64, 0xFE80_0000_0000_0000L, 1, 0xFE80_0000_0000_0000L, 2);
        assertThat(ip6.parseExtensionHeaders()).isTrue();
        icmp6.wrap(b, 40, 16);
        icmp6.write(Icmpv6Header.TYPE_ECHO_REQUEST, 0, 7, 9).updateChecksum(ip6.pseudoHeaderSum(), 16);
        assertThat(icmp6.isChecksumValid(ip6.pseudoHeaderSum(), 16)).isTrue();
        assertThat(icmp6.type()).isEqualTo(128);
        assertThat(icmp6.identifier()).isEqualTo(7);
        assertThat(icmp6.sequence()).isEqualTo(9);
        b.putByte(40 + 15, (byte)1);
        assertThat(icmp6.isChecksumValid(ip6.pseudoHeaderSum(), 16)).isFalse();
    }

    @Test
    void shouldReadAndWriteArp()
    {
        final UnsafeBuffer b = Frames.buffer(64);
        arp.wrap(b, 14, 28).write(ArpPacket.OP_REQUEST, MAC_A, IP_A, 0, IP_B);
        assertThat(arp.isValid()).isTrue();
        assertThat(arp.operation()).isEqualTo(ArpPacket.OP_REQUEST);
        assertThat(arp.senderHardwareAddress()).isEqualTo(MAC_A);
        assertThat(arp.senderProtocolAddress()).isEqualTo(IP_A);
        assertThat(arp.targetProtocolAddress()).isEqualTo(IP_B);
        assertThat(arp.wrap(b, 14, 27).isValid()).isFalse();
        b.putByte(14 + 4, (byte)8);
        assertThat(arp.wrap(b, 14, 28).isValid()).as("hardware length 8").isFalse();
    }

    @Test
    void shouldRejectOutOfRangeWrap()
    {
        final UnsafeBuffer b = Frames.buffer(64);
        assertThatThrownBy(() -> ip.wrap(b, 60, 10)).isInstanceOf(IndexOutOfBoundsException.class)
            .hasMessageContaining("offset=60 length=10 capacity=64");
    }
}

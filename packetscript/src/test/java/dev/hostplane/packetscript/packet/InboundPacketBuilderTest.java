package dev.hostplane.packetscript.packet;

import java.net.InetAddress;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import dev.hostplane.packetscript.PacketScript;
import dev.hostplane.packetscript.model.PacketSpec;
import dev.hostplane.vswitch.packet.IcmpHeader;
import dev.hostplane.vswitch.packet.Icmpv6Header;
import dev.hostplane.vswitch.packet.IpProtocols;
import dev.hostplane.vswitch.packet.Ipv4Header;
import dev.hostplane.vswitch.packet.Ipv6Header;
import dev.hostplane.vswitch.packet.TcpHeader;
import dev.hostplane.vswitch.packet.UdpHeader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Builds ICMP, UDP, IPv6 and option-heavy packets and parses them back with the vswitch codec.
 */
class InboundPacketBuilderTest
{
    private static PacketSpec packet(final String line)
    {
        return (PacketSpec)PacketScript.parse("b.pkt", "0 " + line + "\n").events().get(0).action();
    }

    private static ConnectionMapping v4() throws Exception
    {
        return new ConnectionMapping(InetAddress.getByName("192.168.0.1"), 8080,
            InetAddress.getByName("192.0.2.1"), 48123);
    }

    @Test
    void shouldBuildAnIcmpFragNeededQuotingTheKernelsSegment() throws Exception
    {
        final ConnectionMapping mapping = v4();
        mapping.learnLocalIsn(0, 1_000_000);
        final byte[] built = new InboundPacketBuilder(Map.of())
            .build(packet("< icmp unreachable frag_needed mtu 800 [1:1461(1460)]"), mapping);
        final UnsafeBuffer buffer = new UnsafeBuffer(built);
        final Ipv4Header ip = new Ipv4Header().wrap(buffer, 0, built.length);
        assertThat(ip.protocol()).isEqualTo(IpProtocols.ICMP);
        assertThat(Ipv4Header.addressToString(ip.source())).isEqualTo("192.0.2.1");
        assertThat(Ipv4Header.addressToString(ip.destination())).isEqualTo("192.168.0.1");
        assertThat(ip.isChecksumValid()).isTrue();
        final IcmpHeader icmp = new IcmpHeader().wrap(buffer, 20, built.length - 20);
        assertThat(icmp.type()).isEqualTo(3);
        assertThat(icmp.code()).isEqualTo(4);
        assertThat(icmp.sequence()).as("next-hop MTU").isEqualTo(800);
        assertThat(icmp.isChecksumValid(built.length - 20)).isTrue();
        final Ipv4Header quoted = new Ipv4Header().wrap(buffer, 28, built.length - 28);
        assertThat(Ipv4Header.addressToString(quoted.source())).isEqualTo("192.168.0.1");
        assertThat(quoted.totalLength()).isEqualTo(20 + 20 + 1460);
        final TcpHeader quotedTcp = new TcpHeader().wrap(buffer, 48, 8);
        assertThat(quotedTcp.sourcePort()).isEqualTo(8080);
        assertThat(quotedTcp.destinationPort()).isEqualTo(48123);
        assertThat(quotedTcp.sequence()).isEqualTo(1_000_001);
        assertThat(built.length).isEqualTo(20 + 8 + 20 + 8);
    }

    @Test
    void shouldBuildIpv6SegmentsWithTrafficClassAndFlowLabel() throws Exception
    {
        final ConnectionMapping mapping = new ConnectionMapping(InetAddress.getByName("fd3d:a0b:17d6::1"), 8080,
            InetAddress.getByName("fd3d:fa7b:d17d::1"), 50000);
        final byte[] built = new InboundPacketBuilder(Map.of()).build(
            packet("< [ect0,flowlabel 0x12345] SEW 0:0(0) win 1000 <mss 1440,nop,wscale 7>"), mapping);
        final UnsafeBuffer buffer = new UnsafeBuffer(built);
        final Ipv6Header ip = new Ipv6Header().wrap(buffer, 0, built.length);
        assertThat(ip.parseExtensionHeaders()).isTrue();
        assertThat(ip.upperLayerProtocol()).isEqualTo(IpProtocols.TCP);
        assertThat(ip.trafficClass() & 3).isEqualTo(2);
        assertThat(ip.flowLabel()).isEqualTo(0x12345);
        assertThat(ip.payloadLength()).isEqualTo(28);
        final TcpHeader tcp = new TcpHeader().wrap(buffer, 40, 28);
        assertThat(tcp.flags()).isEqualTo(TcpHeader.SYN | TcpHeader.ECE | TcpHeader.CWR);
        assertThat(tcp.mss()).isEqualTo(1440);
        assertThat(tcp.windowScale()).isEqualTo(7);
        assertThat(tcp.headerLength()).as("7 option bytes padded to 8").isEqualTo(28);
        assertThat(tcp.isChecksumValid(ip.pseudoHeaderSum(), 28)).isTrue();
    }

    @Test
    void shouldBuildAnIcmpv6PacketTooBig() throws Exception
    {
        final ConnectionMapping mapping = new ConnectionMapping(InetAddress.getByName("::1"), 8080,
            InetAddress.getByName("::2"), 50000);
        mapping.learnLocalIsn(0, 7);
        final byte[] built = new InboundPacketBuilder(Map.of())
            .build(packet("< icmp packet_too_big mtu 1400 [0:1440(1440)]"), mapping);
        final UnsafeBuffer buffer = new UnsafeBuffer(built);
        final Ipv6Header ip = new Ipv6Header().wrap(buffer, 0, built.length);
        ip.parseExtensionHeaders();
        final Icmpv6Header icmp = new Icmpv6Header().wrap(buffer, 40, built.length - 40);
        assertThat(icmp.type()).isEqualTo(2);
        assertThat((icmp.identifier() << 16) | icmp.sequence()).isEqualTo(1400);
        assertThat(icmp.isChecksumValid(ip.pseudoHeaderSum(), built.length - 40)).isTrue();
    }

    @Test
    void shouldBuildUdpAndResolveDefinedOptions() throws Exception
    {
        final byte[] udp = new InboundPacketBuilder(Map.of()).build(packet("< udp (100)"), v4());
        final UnsafeBuffer buffer = new UnsafeBuffer(udp);
        final Ipv4Header ip = new Ipv4Header().wrap(buffer, 0, udp.length);
        final UdpHeader header = new UdpHeader().wrap(buffer, 20, udp.length - 20);
        assertThat(header.datagramLength()).isEqualTo(108);
        assertThat(header.destinationPort()).isEqualTo(8080);
        assertThat(header.isChecksumValid(ip.pseudoHeaderSum())).isTrue();

        final byte[] fo = new InboundPacketBuilder(Map.of("TFO_COOKIE", "3021b9d889017eeb", "MSS", "1000"))
            .build(packet("< S 0:0(0) win 100 <mss MSS,FO TFO_COOKIE,FOEXP abcd>"), v4());
        final UnsafeBuffer fb = new UnsafeBuffer(fo);
        final TcpHeader tcp = new TcpHeader().wrap(fb, 20, fo.length - 20);
        assertThat(tcp.mss()).isEqualTo(1000);
        final int fast = tcp.findOption(34);
        assertThat(fast).isPositive();
        assertThat(tcp.optionLength(fast)).isEqualTo(10);
        assertThat(fo[fast + 2]).isEqualTo((byte)0x30);
        final int exp = tcp.findOption(254);
        assertThat(tcp.optionLength(exp)).isEqualTo(6);
        assertThat(((fo[exp + 2] & 0xFF) << 8) | (fo[exp + 3] & 0xFF)).isEqualTo(0xF989);
    }

    @Test
    void shouldExplainWhatCannotBeBuilt() throws Exception
    {
        final InboundPacketBuilder builder = new InboundPacketBuilder(Map.of());
        assertThatThrownBy(() -> builder.build(packet("< S 0:0(0) win 10 <FO TFO_COOKIE>"), v4()))
            .isInstanceOf(PacketBuildException.class)
            .hasMessage("TCP fast open cookie TFO_COOKIE is not defined (use -D TFO_COOKIE=<hex>)");
        assertThatThrownBy(() -> builder.build(packet("< S 0:0(0)"), v4()))
            .hasMessage("inbound TCP packet needs a window: add win N");
        assertThatThrownBy(() -> builder.build(packet("< . 1:1(0) ack 1 win 10"), v4()))
            .hasMessage("cannot map inbound ack 1: no SYN or SYN-ACK from the kernel has been seen yet");
        assertThatThrownBy(() -> builder.build(packet("< icmp unreachable CODE"), v4()))
            .hasMessage("bad ICMP code CODE for type 3");
        assertThatThrownBy(() -> builder.build(packet("> S 0:0(0)"), v4()))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldMapSequenceNumbersBothWaysModulo32Bits() throws Exception
    {
        final ConnectionMapping mapping = v4();
        mapping.learnLocalIsn(0, 0xFFFF_FFF0L);
        assertThat(mapping.localToLive(0x20)).isEqualTo(0x10);
        assertThat(mapping.localToScript(0x10)).isEqualTo(0x20);
        mapping.remoteIsn(100, 5000);
        assertThat(mapping.remoteToLive(100, true)).as("SYN: absolute").isEqualTo(5000);
        assertThat(mapping.remoteToLive(1)).as("no SYN: relative to the ISN").isEqualTo(5001);
        assertThat(mapping.remoteToScript(5001)).isEqualTo(1);
        assertThat(mapping.remoteToScript(5000, true)).isEqualTo(100);
        assertThat(mapping.inboundEcrToLive(7)).as("no TS seen yet: unchanged").isEqualTo(7);
        mapping.recordOutboundTimestamp(100, 9000);
        assertThat(mapping.inboundEcrToLive(100)).isEqualTo(9000);
        assertThat(mapping.inboundEcrToLive(150)).as("extrapolated").isEqualTo(9050);
        assertThat(mapping.inboundEcrToLive(0)).as("zero ecr: nothing to echo, sent as zero").isZero();
        assertThat(mapping.outboundTsValToScript(9010)).isEqualTo(110);
        assertThatThrownBy(() -> new ConnectionMapping(InetAddress.getByName("::1"), 1,
            InetAddress.getByName("127.0.0.1"), 2)).isInstanceOf(IllegalArgumentException.class);
    }
}

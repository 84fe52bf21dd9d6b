package dev.hostplane.vswitch.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;

import dev.hostplane.vswitch.packet.ArpPacket;
import dev.hostplane.vswitch.packet.EthernetFrame;
import dev.hostplane.vswitch.packet.Icmpv6Header;
import dev.hostplane.vswitch.packet.IpProtocols;
import dev.hostplane.vswitch.packet.Ipv4Header;
import dev.hostplane.vswitch.packet.Ipv6Header;
import dev.hostplane.vswitch.packet.TcpHeader;
import dev.hostplane.vswitch.testing.Frames;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class FlowKeyExtractorTest
{
    private static final long MAC_A = 0x02_00_00_00_00_0AL;
    private static final long MAC_B = 0x02_00_00_00_00_0BL;

    private final FlowKeyExtractor extractor = new FlowKeyExtractor();
    private final FlowKey key = new FlowKey();

    @Test
    void shouldExtractTaggedUdp()
    {
        final UnsafeBuffer b = Frames.buffer(256);
        final int len = Frames.udp4(b, MAC_B, MAC_A, (3 << 13) | 99, 0x0A000001, 0x0A000002, 53, 5353, 20);
        assertThat(extractor.extract(b, 0, len, 7, key)).isEqualTo(FlowKeyExtractor.OK);
        assertThat(key.get(FlowField.IN_PORT)).isEqualTo(7);
        assertThat(key.get(FlowField.ETH_DST)).isEqualTo(MAC_B);
        assertThat(key.get(FlowField.ETH_SRC)).isEqualTo(MAC_A);
        assertThat(key.get(FlowField.VLAN_VID)).isEqualTo(FlowField.VLAN_PRESENT | 99);
        assertThat(key.get(FlowField.VLAN_PCP)).isEqualTo(3);
        assertThat(key.get(FlowField.ETH_TYPE)).isEqualTo(0x800);
        assertThat(key.get(FlowField.IP_PROTO)).isEqualTo(17);
        assertThat(key.get(FlowField.IPV4_SRC)).isEqualTo(0x0A000001L);
        assertThat(key.get(FlowField.IPV4_DST)).isEqualTo(0x0A000002L);
        assertThat(key.get(FlowField.TP_SRC)).isEqualTo(53);
        assertThat(key.get(FlowField.TP_DST)).isEqualTo(5353);
        assertThat(key.get(FlowField.IP_TTL)).isEqualTo(64);
    }

    @Test
    void shouldExtractTcpFlagsTosAndFragments()
    {
        final UnsafeBuffer b = Frames.buffer(256);
        final int len = Frames.tcp4(b, MAC_B, MAC_A, 1, 2, 3, 4, TcpHeader.SYN | TcpHeader.ECE, 0);
        assertThat(extractor.extract(b, 0, len, 1, key)).isEqualTo(FlowKeyExtractor.OK);
        assertThat(key.get(FlowField.TCP_FLAGS)).isEqualTo(TcpHeader.SYN | TcpHeader.ECE);
        assertThat(key.get(FlowField.IP_DSCP)).isEqualTo(4);
        final Ipv4Header ip = new Ipv4Header().wrap(b, 14, len - 14);
        b.putShort(14 + Ipv4Header.FRAGMENT_OFFSET, (short)0x0010, ByteOrder.BIG_ENDIAN);
        ip.updateChecksum();
        assertThat(extractor.extract(b, 0, len, 1, key)).isEqualTo(FlowKeyExtractor.OK);
        assertThat(key.get(FlowField.IP_FRAG)).isEqualTo(3);
        assertThat(key.get(FlowField.TP_DST)).as("later fragment has no L4").isZero();
    }

    @Test
    void shouldExtractArp()
    {
        final UnsafeBuffer b = Frames.buffer(64);
        Frames.ethernet(b, EthernetFrame.BROADCAST, MAC_A, -1, EthernetFrame.ETHER_TYPE_ARP);
        new ArpPacket().wrap(b, 14, 28).write(ArpPacket.OP_REQUEST, MAC_A, 0x0A000001, 0, 0x0A000002);
        assertThat(extractor.extract(b, 0, 42, 1, key)).isEqualTo(FlowKeyExtractor.OK);
        assertThat(key.get(FlowField.ARP_OP)).isEqualTo(1);
        assertThat(key.get(FlowField.ARP_SPA)).isEqualTo(0x0A000001L);
        assertThat(key.get(FlowField.ARP_TPA)).isEqualTo(0x0A000002L);
        assertThat(extractor.extract(b, 0, 30, 1, key)).isEqualTo(FlowKeyExtractor.MALFORMED_ARP);
    }

    @Test
    void shouldExtractIcmpv6ThroughExtensionHeader()
    {
        final UnsafeBuffer b = Frames.buffer(256);
        Frames.ethernet(b, MAC_B, MAC_A, -1, EthernetFrame.ETHER_TYPE_IPV6);
        final Ipv6Header ip6 = new Ipv6Header().wrap(b, 14, 40 + 8 + 8);
        ip6.write(0x2E, 0xBEEF, 16, IpProtocols.HOPOPT, 255, 0xFE80_0000_0000_0000L, 1, 0xFF02_0000_0000_0000L, 1);
        b.putByte(54, (byte)IpProtocols.ICMPV6);
        new Icmpv6Header().wrap(b, 62, 8).write(Icmpv6Header.TYPE_NEIGHBOR_SOLICITATION, 0, 0, 0);
        assertThat(extractor.extract(b, 0, 70, 2, key)).isEqualTo(FlowKeyExtractor.OK);
        assertThat(key.get(FlowField.IP_PROTO)).isEqualTo(IpProtocols.ICMPV6);
        assertThat(key.get(FlowField.ICMP_TYPE)).isEqualTo(135);
        assertThat(key.get(FlowField.IPV6_LABEL)).isEqualTo(0xBEEF);
        assertThat(key.get(FlowField.IPV6_SRC_LOW)).isEqualTo(1);
        assertThat(key.get(FlowField.IPV6_DST_HIGH)).isEqualTo(0xFF02_0000_0000_0000L);
        assertThat(key.get(FlowField.IP_DSCP)).isEqualTo(0x2E >>> 2);
        assertThat(key.get(FlowField.IP_TTL)).isEqualTo(255);
    }

    @Test
    void shouldReportEachMalformedKind()
    {
        final UnsafeBuffer b = Frames.buffer(256);
        final int len = Frames.tcp4(b, MAC_B, MAC_A, 1, 2, 3, 4, TcpHeader.SYN, 0);
        assertThat(extractor.extract(b, 0, 13, 1, key)).isEqualTo(FlowKeyExtractor.MALFORMED_ETHERNET);
        assertThat(extractor.extract(b, 0, 30, 1, key)).isEqualTo(FlowKeyExtractor.MALFORMED_IPV4);
        b.putByte(14 + 20 + 12, (byte)0x30);
        assertThat(extractor.extract(b, 0, len, 1, key)).isEqualTo(FlowKeyExtractor.MALFORMED_L4);
        final int v6 = Frames.udp6(b, MAC_B, MAC_A, 1, 2, 3, 4, 0);
        assertThat(extractor.extract(b, 0, v6 - 1, 1, key)).isEqualTo(FlowKeyExtractor.MALFORMED_IPV6);
        assertThat(FlowKeyExtractor.statusName(FlowKeyExtractor.MALFORMED_L4)).isEqualTo("malformed_l4");
    }

    @Property(tries = 2000)
    void shouldNeverThrowOnRandomFrames(@ForAll @Size(max = 100) final byte[] data)
    {
        final int status = extractor.extract(new UnsafeBuffer(data), 0, data.length, 1, key);
        assertThat(status).isBetween(FlowKeyExtractor.OK, FlowKeyExtractor.MALFORMED_L4);
    }
}

package dev.hostplane.packetscript.packet;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.hostplane.packetscript.PacketScript;
import dev.hostplane.packetscript.model.Direction;
import dev.hostplane.packetscript.model.PacketSpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Outbound checks beyond plain TCP: UDP, ICMP, IP clauses (TTL, TOS, ECN, ect01), IPv6 and malformed input.
 */
class OutboundPacketVerifierTest
{
    private static PacketSpec packet(final String line)
    {
        return (PacketSpec)PacketScript.parse("v.pkt", "0 " + line + "\n").events().get(0).action();
    }

    /** Bytes the kernel would send for a script packet, built from the peer's side. */
    private static byte[] sent(final String line, final ConnectionMapping mapping)
    {
        final PacketSpec spec = packet(line);
        final ConnectionMapping reversed = new ConnectionMapping(mapping.remoteAddress(), mapping.remotePort(),
            mapping.localAddress(), mapping.localPort());
        reversed.learnLocalIsn(0, 0);
        return new InboundPacketBuilder(Map.of()).build(new PacketSpec(Direction.INBOUND, List.of(), spec.ipInfo(),
            spec.transport()), reversed);
    }

    private static ConnectionMapping v4() throws Exception
    {
        final ConnectionMapping mapping = new ConnectionMapping(InetAddress.getByName("192.168.0.1"), 8080,
            InetAddress.getByName("192.0.2.1"), 48000);
        mapping.learnLocalIsn(0, 0);
        return mapping;
    }

    @Test
    void shouldVerifyUdpAndIcmp() throws Exception
    {
        final OutboundPacketVerifier verifier = new OutboundPacketVerifier(Map.of(), true);
        final ConnectionMapping mapping = v4();
        assertThat(verifier.verify(packet("> udp (100)"), sent("< udp (100)", mapping), mapping).errors()).isEmpty();
        assertThat(verifier.verify(packet("> udp (200)"), sent("< udp (100)", mapping), mapping).errors())
            .containsExactly("live packet payload: expected 200 bytes vs actual 100 bytes");
        final byte[] icmp = sent("< icmp unreachable port_unreachable", mapping);
        assertThat(verifier.verify(packet("> icmp unreachable port_unreachable"), icmp, mapping).errors()).isEmpty();
        assertThat(verifier.verify(packet("> icmp unreachable host_unreachable"), icmp, mapping).errors())
            .containsExactly("live packet field icmp_code: expected: 1 (0x1) vs actual: 3 (0x3)");
        assertThat(verifier.verify(packet("> . 1:1(0) ack 1"), icmp, mapping).message())
            .isEqualTo("live packet field ipv4_protocol: expected: 6 (0x6) vs actual: 1 (0x1)");
    }

    @Test
    void shouldCheckIpFieldsOnlyWhenTheScriptGivesThem() throws Exception
    {
        final OutboundPacketVerifier verifier = new OutboundPacketVerifier(Map.of(), true);
        final ConnectionMapping mapping = v4();
        final byte[] ect0 = sent("< [ect0,ttl 63] . 1:1(0) ack 1 win 100", mapping);
        assertThat(verifier.verify(packet("> . 1:1(0) ack 1"), ect0, mapping).errors()).isEmpty();
        assertThat(verifier.verify(packet("> [ect0] . 1:1(0) ack 1"), ect0, mapping).errors()).isEmpty();
        assertThat(verifier.verify(packet("> [ect01] . 1:1(0) ack 1"), ect0, mapping).errors()).isEmpty();
        assertThat(verifier.verify(packet("> [ce] . 1:1(0) ack 1"), ect0, mapping).errors())
            .containsExactly("live packet field ip_ecn: expected: 3 (0x3) vs actual: 2 (0x2)");
        assertThat(verifier.verify(packet("> [ttl 64] . 1:1(0) ack 1"), ect0, mapping).errors())
            .containsExactly("live packet field ttl: expected: 64 (0x40) vs actual: 63 (0x3f)");
        final byte[] noEcn = sent("< . 1:1(0) ack 1 win 100", mapping);
        assertThat(verifier.verify(packet("> [ect01] . 1:1(0) ack 1"), noEcn, mapping).errors())
            .containsExactly("live packet field ip_ecn: expected: 0x1 or 0x2 vs actual: 0x0");
    }

    @Test
    void shouldVerifyIpv6WithFlowLabelAndCatchAWrongFamily() throws Exception
    {
        final OutboundPacketVerifier verifier = new OutboundPacketVerifier(Map.of(), true);
        final ConnectionMapping mapping = new ConnectionMapping(InetAddress.getByName("fd3d:a0b:17d6::1"), 8080,
            InetAddress.getByName("fd3d:fa7b:d17d::1"), 48000);
        mapping.learnLocalIsn(0, 0);
        final byte[] v6 = sent("< (flowlabel 0x1234) P. 1:101(100) ack 1 win 100 <nop,nop,TS val 5 ecr 6>", mapping);
        assertThat(verifier.verify(packet("> P. 1:101(100) ack 1 <nop,nop,TS val 1 ecr 2>"), v6, mapping).errors())
            .isEmpty();
        // The kernel picks flow labels: the first one seen names the script's label, as in packetdrill.
        assertThat(verifier.verify(packet("> (flowlabel 0x99) P. 1:101(100) ack 1 <...>"), v6, mapping).errors())
            .isEmpty();
        assertThat(verifier.verify(packet("> (flowlabel 0x99) P. 1:101(100) ack 1 <...>"), v6, mapping).errors())
            .isEmpty();
        assertThat(verifier.verify(packet("> (flowlabel 0x98) P. 1:101(100) ack 1 <...>"), v6, mapping).message())
            .isEqualTo("expected a different flowlabel but got the same");
        final byte[] relabelled = sent("< (flowlabel 0x4321) P. 1:101(100) ack 1 win 100", mapping);
        assertThat(verifier.verify(packet("> (flowlabel 0x99) P. 1:101(100) ack 1 <...>"), relabelled, mapping)
            .message()).isEqualTo("inconsistent flowlabels for this packet: expected: 0x1234 vs actual: 0x4321");
        assertThat(verifier.verify(packet("> (flowlabel 0x98) P. 1:101(100) ack 1 <...>"), relabelled, mapping)
            .errors()).isEmpty();
        assertThat(verifier.verify(packet("> (flowlabel 0x98) P. 1:101(100) ack 1 <...>"),
            sent("< P. 1:101(100) ack 1 win 100", mapping), mapping).message())
            .isEqualTo("flowlabel unmarked in the live packet");
        assertThat(verifier.verify(packet("> P. 1:101(100) ack 1 <...>"), sent("< P. 1:101(100) ack 1 win 1",
            v4()), mapping).message()).isEqualTo("live packet field ipv6_version: expected: 6 (0x6) vs actual: 4 (0x4)");
    }

    @Test
    void shouldReportTruncatedPacketsAndBadChecksumsInsteadOfThrowing() throws Exception
    {
        final OutboundPacketVerifier verifier = new OutboundPacketVerifier(Map.of(), true);
        final ConnectionMapping mapping = v4();
        final byte[] good = sent("< P. 1:101(100) ack 1 win 100", mapping);
        assertThat(verifier.verify(packet("> P. 1:101(100) ack 1"), new byte[0], mapping).message())
            .isEqualTo("live packet is empty");
        assertThat(verifier.verify(packet("> P. 1:101(100) ack 1"), java.util.Arrays.copyOf(good, 30), mapping)
            .message()).startsWith("live packet is truncated");
        final byte[] corrupt = good.clone();
        corrupt[good.length - 1] ^= 1;
        assertThat(verifier.verify(packet("> P. 1:101(100) ack 1"), corrupt, mapping).errors())
            .containsExactly("bad outbound TCP checksum");
        assertThat(new OutboundPacketVerifier(Map.of(), false).verify(packet("> P. 1:101(100) ack 1"), corrupt,
            mapping).errors()).as("offloaded checksums are not checked").isEmpty();
        assertThatThrownBy(() -> verifier.verify(packet("< P. 1:101(100) ack 1 win 1"), good, mapping))
            .isInstanceOf(IllegalArgumentException.class);
    }
}

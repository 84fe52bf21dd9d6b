package dev.hostplane.packetscript.packet;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import dev.hostplane.packetscript.PacketScript;
import dev.hostplane.packetscript.model.Direction;
import dev.hostplane.packetscript.model.PacketSpec;
import dev.hostplane.vswitch.packet.Ipv4Header;
import dev.hostplane.vswitch.packet.Ipv6Header;
import dev.hostplane.vswitch.packet.TcpHeader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * packetdrill's sequence number rule through the builder and the verifier: in packets with SYN, seq and ack are
 * absolute; in all others they are relative to the side's live ISN (the kernel's learned from its SYN or
 * SYN-ACK, the peer's being the seq of its SYN or SYN-ACK as written). Also the inbound TTL default.
 */
class ConnectionMappingTest
{
    private static final long KERNEL_ISN = 3_000_000_000L;

    private final InboundPacketBuilder builder = new InboundPacketBuilder(Map.of());
    private final OutboundPacketVerifier verifier = new OutboundPacketVerifier(Map.of(), true);

    private static PacketSpec packet(final String line)
    {
        return (PacketSpec)PacketScript.parse("m.pkt", "0 " + line + "\n").events().get(0).action();
    }

    private static ConnectionMapping v4() throws Exception
    {
        return new ConnectionMapping(InetAddress.getByName("192.168.0.1"), 40000,
            InetAddress.getByName("192.0.2.1"), 8080);
    }

    /** Bytes the kernel sends, written with live (absolute) numbers: built from the peer's side, no mapping. */
    private static byte[] kernelSends(final String liveLine, final ConnectionMapping mapping)
    {
        final PacketSpec spec = packet(liveLine);
        final ConnectionMapping identity = new ConnectionMapping(mapping.remoteAddress(), mapping.remotePort(),
            mapping.localAddress(), mapping.localPort());
        identity.learnLocalIsn(0, 0);
        identity.remoteIsn(0, 0);
        return new InboundPacketBuilder(Map.of()).build(new PacketSpec(Direction.INBOUND, List.of(), spec.ipInfo(),
            spec.transport()), identity);
    }

    private static TcpHeader tcp(final byte[] bytes)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final Ipv4Header ip = new Ipv4Header().wrap(buffer, 0, bytes.length);
        return new TcpHeader().wrap(buffer, ip.headerLength(), bytes.length - ip.headerLength());
    }

    @Test
    void shouldReadPeerSequenceNumbersRelativeToItsIsnAfterTheSynAckOfFastopenClient() throws Exception
    {
        // tcp/zerocopy/fastopen-client.pkt: the kernel connects, the peer answers with ISN 123.
        final ConnectionMapping mapping = v4();
        assertThat(verifier.verify(packet("> S 0:0(0)"), kernelSends("< S 3000000000:3000000000(0) win 100",
            mapping), mapping).errors()).isEmpty();
        assertThat(mapping.localToLive(0)).isEqualTo(KERNEL_ISN);

        final TcpHeader synAck = tcp(builder.build(packet("< S. 123:123(0) ack 1 win 14600"), mapping));
        assertThat(synAck.sequence() & 0xFFFF_FFFFL).as("SYN: seq as written").isEqualTo(123);
        assertThat(synAck.acknowledgement() & 0xFFFF_FFFFL).isEqualTo(KERNEL_ISN + 1);

        assertThat(verifier.verify(packet("> . 1:1(0) ack 1"),
            kernelSends("< . 3000000001:3000000001(0) ack 124 win 100", mapping), mapping).errors()).isEmpty();
        assertThat(verifier.verify(packet("> F. 1:1(0) ack 1"),
            kernelSends("< F. 3000000001:3000000001(0) ack 124 win 100", mapping), mapping).errors()).isEmpty();
        assertThat(verifier.verify(packet("> F. 1:1(0) ack 1"),
            kernelSends("< F. 3000000001:3000000001(0) ack 1 win 100", mapping), mapping).errors())
            .as("a kernel acking the script's number one to one is wrong")
            .containsExactly("live packet field tcp_ack_seq: expected: 1 (0x1) vs actual: 4294967174 (0xffffff86)");

        final TcpHeader fin = tcp(builder.build(packet("< F. 1:1(0) ack 2 win 92"), mapping));
        assertThat(fin.sequence() & 0xFFFF_FFFFL).as("peer ISN 123 + 1").isEqualTo(124);
        assertThat(fin.acknowledgement() & 0xFFFF_FFFFL).isEqualTo(KERNEL_ISN + 2);
        assertThat(verifier.verify(packet("> . 2:2(0) ack 2"),
            kernelSends("< . 3000000002:3000000002(0) ack 125 win 100", mapping), mapping).errors()).isEmpty();
    }

    @Test
    void shouldTakeTheSynAckAnsweringANewKernelSynAsThePeersIsn() throws Exception
    {
        // Second connection of fastopen-client.pkt: SYN with data, peer ISN 5678.
        final ConnectionMapping mapping = v4();
        builder.build(packet("< S 7:7(0) win 100"), mapping);
        assertThat(verifier.verify(packet("> S 0:500(500)"), kernelSends("< S 1000:1500(500) win 100", mapping),
            mapping).errors()).isEmpty();
        final TcpHeader synAck = tcp(builder.build(packet("< S. 5678:5678(0) ack 501 win 14600"), mapping));
        assertThat(synAck.acknowledgement() & 0xFFFF_FFFFL).isEqualTo(1501);
        assertThat(verifier.verify(packet("> . 501:501(0) ack 1"),
            kernelSends("< . 1501:1501(0) ack 5679 win 100", mapping), mapping).errors()).isEmpty();
    }

    @Test
    void shouldKeepAServerSideHandshakeWithPeerIsnZeroUnchanged() throws Exception
    {
        final ConnectionMapping mapping = v4();
        final TcpHeader syn = tcp(builder.build(packet("< S 0:0(0) win 32792 <mss 1000,nop,wscale 7>"), mapping));
        assertThat(syn.sequence()).isZero();
        assertThat(syn.acknowledgement()).isZero();
        assertThat(verifier.verify(packet("> S. 0:0(0) ack 1 <mss 1460,nop,wscale 8>"),
            kernelSends("< S. 777:777(0) ack 1 win 100 <mss 1460,nop,wscale 8>", mapping), mapping).errors())
            .isEmpty();
        final TcpHeader ack = tcp(builder.build(packet("< . 1:1(0) ack 1 win 257"), mapping));
        assertThat(ack.sequence()).isEqualTo(1);
        assertThat(ack.acknowledgement()).isEqualTo(778);
        final TcpHeader data = tcp(builder.build(packet("< P. 1:1001(1000) ack 1 win 257"), mapping));
        assertThat(data.sequence()).isEqualTo(1);
        assertThat(verifier.verify(packet("> . 1:1(0) ack 1001"),
            kernelSends("< . 778:778(0) ack 1001 win 100", mapping), mapping).errors()).isEmpty();
        assertThat(verifier.verify(packet("> P. 1:101(100) ack 1001"),
            kernelSends("< P. 778:878(100) ack 1001 win 100", mapping), mapping).errors()).isEmpty();
    }

    @Test
    void shouldReadAckAfterANonZeroScriptSynAckRelativeToTheKernelsLiveIsn() throws Exception
    {
        // tcp/fastopen/server/pure-syn-data.pkt: > S. 1234:1234(0) ack 999001, then < . 1:1(0) ack 1.
        final ConnectionMapping mapping = v4();
        final TcpHeader syn = tcp(builder.build(packet("< S 999000:999040(40) win 32792"), mapping));
        assertThat(syn.sequence()).isEqualTo(999000);
        assertThat(verifier.verify(packet("> S. 1234:1234(0) ack 999001"),
            kernelSends("< S. 50000:50000(0) ack 999041 win 100", mapping), mapping).errors())
            .as("SYN-ACK ack is absolute").containsExactly(
                "live packet field tcp_ack_seq: expected: 999001 (0xf3e59) vs actual: 999041 (0xf3e81)");
        final TcpHeader ack = tcp(builder.build(packet("< . 1:1(0) ack 1 win 100"), mapping));
        assertThat(ack.sequence()).isEqualTo(999001);
        assertThat(ack.acknowledgement()).as("kernel's live ISN + 1, not + 1 - 1234").isEqualTo(50001);
        assertThat(mapping.localToScript(50000, true)).isEqualTo(1234);
        assertThat(mapping.localToScript(50001)).isEqualTo(1);
    }

    @Test
    void shouldNotMoveThePeersIsnOnALaterSyn() throws Exception
    {
        final ConnectionMapping mapping = v4();
        assertThat(mapping.learnRemoteIsn(100, false)).isTrue();
        assertThat(mapping.learnRemoteIsn(9000, false)).as("retransmitted / in-window SYN").isFalse();
        assertThat(mapping.learnRemoteIsn(9000, true)).as("SYN-ACK without a kernel SYN before it").isFalse();
        assertThat(mapping.remoteToLive(1)).isEqualTo(101);
        assertThat(mapping.remoteToLive(9000, true)).as("a SYN's own seq stays absolute").isEqualTo(9000);
        mapping.learnLocalIsn(0, 5, false);
        assertThat(mapping.learnRemoteIsn(9000, true)).isTrue();
        assertThat(mapping.remoteToLive(1)).isEqualTo(9001);
    }

    @Test
    void shouldWrapRelativeNumbersModulo32Bits() throws Exception
    {
        final ConnectionMapping mapping = v4();
        mapping.learnLocalIsn(0, 0xFFFF_FFFFL, false);
        final TcpHeader synAck = tcp(builder.build(packet("< S. 4294967295:4294967295(0) ack 1 win 100"), mapping));
        assertThat(synAck.acknowledgement()).isZero();
        final TcpHeader ack = tcp(builder.build(packet("< . 1:1(0) ack 1 win 100"), mapping));
        assertThat(ack.sequence()).isZero();
        assertThat(ack.acknowledgement()).isZero();
        assertThat(mapping.remoteToScript(0)).isEqualTo(1);
    }

    @Test
    void shouldSendTtl255UnlessTheScriptGivesOneAsPacketdrillDoes() throws Exception
    {
        final ConnectionMapping mapping = v4();
        final byte[] plain = builder.build(packet("< S 0:0(0) win 100"), mapping);
        assertThat(new Ipv4Header().wrap(new UnsafeBuffer(plain), 0, plain.length).ttl()).isEqualTo(255);
        final byte[] given = builder.build(packet("< [ttl 7] S 0:0(0) win 100"), mapping);
        assertThat(new Ipv4Header().wrap(new UnsafeBuffer(given), 0, given.length).ttl()).isEqualTo(7);
        final byte[] icmp = builder.build(packet("< icmp unreachable port_unreachable"), mapping);
        assertThat(new Ipv4Header().wrap(new UnsafeBuffer(icmp), 28, icmp.length - 28).ttl())
            .as("quoted header").isEqualTo(255);
        final ConnectionMapping v6 = new ConnectionMapping(InetAddress.getByName("fd3d:a0b:17d6::1"), 40000,
            InetAddress.getByName("fd3d:fa7b:d17d::1"), 8080);
        final byte[] six = builder.build(packet("< S 0:0(0) win 100"), v6);
        assertThat(new Ipv6Header().wrap(new UnsafeBuffer(six), 0, six.length).hopLimit()).isEqualTo(255);
    }
}

package dev.hostplane.packetscript.packet;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.hostplane.packetscript.PacketScript;
import dev.hostplane.packetscript.model.PacketSpec;
import dev.hostplane.vswitch.packet.Ipv4Header;
import dev.hostplane.vswitch.packet.TcpHeader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Packet building and verification against real kernel packets.
 *
 * <p>The captures below are a Linux 6.18 TCP handshake and a 1000-byte write over loopback between
 * 127.0.0.1:40000 (client, the script's peer here) and 127.0.0.1:8080 (server, the kernel under test), sniffed
 * with an AF_PACKET socket on {@code lo} inside a private network namespace ({@code unshare -n}), Ethernet header
 * removed. Loopback hands out partial TCP checksums (pseudo-header only), as TUN does with checksum offload.
 */
class PacketCaptureTest
{
    private static final HexFormat HEX = HexFormat.of();
    /** Client SYN. */
    private static final byte[] SYN = HEX.parseHex("4500003c1e3c400040061e7e7f0000017f0000019c401f90bf00599700000000" +
        "a002ffd7fe3000000204ffd70402080a3ae1d9bc000000000103030a");
    /** Server SYN-ACK. */
    private static final byte[] SYN_ACK = HEX.parseHex("4500003c0000400040063cba7f0000017f0000011f909c40b2c4eb50" +
        "bf005998a012ffcbfe3000000204ffd70402080accd058153ae1d9bc0103030a");
    /** Client ACK of the SYN-ACK. */
    private static final byte[] ACK = HEX.parseHex("450000341e3d400040061e857f0000017f0000019c401f90bf005998b2c4eb51" +
        "80100040fe2800000101080a3ae1d9bcccd05815");
    /** Server data segment: P. 1000 bytes of zeros. */
    private static final byte[] DATA = data();

    private static final long CLIENT_ISN = 0xbf005997L;
    private static final long CLIENT_TS = 0x3ae1d9bcL;

    private ConnectionMapping mapping;
    private InboundPacketBuilder builder;
    private OutboundPacketVerifier verifier;

    private static byte[] data()
    {
        final byte[] header = HEX.parseHex("4500041cff6c40004006396d7f0000017f0000011f909c40b2c4eb51bf005998801800400211" +
            "00000101080accd058153ae1d9bc");
        final byte[] packet = new byte[header.length + 1000];
        System.arraycopy(header, 0, packet, 0, header.length);
        return packet;
    }

    private static PacketSpec packet(final String line)
    {
        return (PacketSpec)PacketScript.parse("capture.pkt", "0 " + line + "\n").events().get(0).action();
    }

    @BeforeEach
    void setUp() throws Exception
    {
        final InetAddress loopback = InetAddress.getByName("127.0.0.1");
        mapping = new ConnectionMapping(loopback, 8080, loopback, 40000);
        builder = new InboundPacketBuilder(Map.of());
        verifier = new OutboundPacketVerifier(Map.of(), false);
    }

    @Test
    void shouldBuildTheSameSynTheKernelSent()
    {
        // The kernel sent TTL 64; packetdrill (and the builder) default to 255, so the script says it.
        final byte[] built = builder.build(packet("< [ttl 64] S " + CLIENT_ISN + ":" + CLIENT_ISN + "(0) win 65495 " +
            "<mss 65495,sackOK,TS val " + CLIENT_TS + " ecr 0,nop,wscale 10>"), mapping);
        assertSameTcpSegment(built, SYN);
        assertFullChecksums(built);
        // The capture's own checksum is partial (pseudo-header only), which is why the verifier does not insist.
        assertThat(tcpOf(SYN).isChecksumValid(ipOf(SYN).pseudoHeaderSum(), SYN.length - 20)).isFalse();
    }

    @Test
    void shouldVerifyTheKernelsSynAckAndLearnItsIsn()
    {
        builder.build(packet("< S " + CLIENT_ISN + ":" + CLIENT_ISN + "(0) win 65495 <mss 65495>"), mapping);
        final VerificationResult result = verifier.verify(packet("> S. 0:0(0) ack " + (CLIENT_ISN + 1) +
            " win 65483 <mss 65495,sackOK,TS val 100 ecr " + CLIENT_TS + ",nop,wscale 10>"), SYN_ACK, mapping);
        assertThat(result.errors()).isEmpty();
        assertThat(mapping.localIsnKnown()).isTrue();
        assertThat(mapping.localToLive(0)).isEqualTo(0xb2c4eb50L);
        assertThat(mapping.localToScript(0xb2c4eb51L)).isEqualTo(1);
        assertThat(mapping.inboundEcrToLive(100)).isEqualTo(0xccd05815L);
    }

    @Test
    void shouldBuildTheClientsAckWithMappedAckAndEcr()
    {
        handshake();
        // Not a SYN: the peer's seq is relative to its ISN, as the kernel's ack is to the kernel's.
        final byte[] built = builder.build(packet("< [ttl 64] . 1:1(0) ack 1 win 64 <nop,nop,TS val " + CLIENT_TS +
            " ecr 100>"), mapping);
        assertSameTcpSegment(built, ACK);
        assertFullChecksums(built);
    }

    @Test
    void shouldVerifyTheDataSegmentAndReportMismatchesLikePacketdrill()
    {
        handshake();
        // Relative to the peer's ISN: live ack CLIENT_ISN + 1.
        final String ack = " ack 1";
        assertThat(verifier.verify(packet("> P. 1:1001(1000)" + ack + " <nop,nop,TS val 101 ecr 0>"), DATA, mapping)
            .ok()).isTrue();
        assertThat(verifier.verify(packet("> P. 1:1001(1000)" + ack + " win 64 <...>"), DATA, mapping).ok())
            .isTrue();
        assertThat(verifier.verify(packet("> P. 1:2001(2000)" + ack + " <nop,nop,TS val 101 ecr 0>"), DATA,
            mapping).errors()).contains("live packet payload: expected 2000 bytes vs actual 1000 bytes");
        assertThat(verifier.verify(packet("> . 1:1001(1000)" + ack + " <nop,nop,TS val 101 ecr 0>"), DATA, mapping)
            .message()).isEqualTo("live packet field tcp_psh: expected: 0 (0x0) vs actual: 1 (0x1)");
        assertThat(verifier.verify(packet("> P. 1001:2001(1000)" + ack + " <nop,nop,TS val 101 ecr 0>"), DATA,
            mapping).message()).isEqualTo("live packet field tcp_seq: expected: 1001 (0x3e9) vs actual: 1 (0x1)");
        assertThat(verifier.verify(packet("> P. 1:1001(1000)" + ack + " win 100 <nop,nop,TS val 101 ecr 0>"), DATA,
            mapping).message()).isEqualTo("live packet field tcp_window: expected: 100 (0x64) vs actual: 64 (0x40)");
        assertThat(verifier.verify(packet("> P. 1:1001(1000)" + ack), DATA, mapping).errors()).containsExactly(
            "live packet field ipv4_total_length: expected: 1040 (0x410) vs actual: 1052 (0x41c)");
    }

    @Test
    void shouldReportABadOptionValue()
    {
        builder.build(packet("< S " + CLIENT_ISN + ":" + CLIENT_ISN + "(0) win 65495 <mss 65495>"), mapping);
        final VerificationResult result = verifier.verify(packet("> S. 0:0(0) ack " + (CLIENT_ISN + 1) +
            " <mss 65495,sackOK,TS val 100 ecr 0,nop,wscale 8>"), SYN_ACK, mapping);
        assertThat(result.errors()).containsExactly(
            "bad value in outbound TCP option (kind=3): expected: wscale 8 actual: wscale 10");
        final VerificationResult kind = verifier.verify(packet("> S. 0:0(0) ack " + (CLIENT_ISN + 1) +
            " <mss 65495,TS val 100 ecr 0,sackOK,nop,wscale 10>"), SYN_ACK, mapping);
        assertThat(kind.message()).isEqualTo("bad outbound TCP options");
    }

    @Test
    void shouldCheckTsValOnlyWithATickAndMapItFromTheFirstValueSeen()
    {
        builder.build(packet("< S " + CLIENT_ISN + ":" + CLIENT_ISN + "(0) win 65495 <mss 65495>"), mapping);
        final OutboundPacketVerifier ticking = new OutboundPacketVerifier(Map.of(), false, 1000, 4000, 0);
        final String ack = " ack 1";
        // First TS val seen: defines the mapping (script 2000 = live 0xccd05815). A SYN-ACK's ack is absolute.
        assertThat(ticking.verify(packet("> S. 0:0(0) ack " + (CLIENT_ISN + 1) +
            " <mss 65495,sackOK,TS val 2000 ecr 0,nop,wscale 10>"), SYN_ACK, mapping).errors()).isEmpty();
        // The data segment carries the same live TS val: script 2003 is within 4 ticks, 2010 is not.
        assertThat(ticking.verify(packet("> P. 1:1001(1000)" + ack + " <nop,nop,TS val 2003 ecr 0>"), DATA,
            mapping).errors()).isEmpty();
        assertThat(ticking.verify(packet("> P. 1:1001(1000)" + ack + " <nop,nop,TS val 2010 ecr 0>"), DATA,
            mapping).errors()).containsExactly("bad outbound TCP timestamp value, tolerance 4000");
        // The tolerance grows with the event's time since the start: 12.5% of 0.1 s = 12.5 ms = 12 ticks.
        final OutboundPacketVerifier percent = new OutboundPacketVerifier(Map.of(), false, 1000, 4000, 12.5);
        assertThat(percent.verify(packet("> P. 1:1001(1000)" + ack + " <nop,nop,TS val 2010 ecr 0>"),
            new UnsafeBuffer(DATA), 0, DATA.length, mapping, 100_000).errors()).isEmpty();
        assertThat(percent.verify(packet("> . 1:1001(1000)" + ack + " <nop,TS val 2000 ecr 0,nop>"),
            new UnsafeBuffer(DATA), 0, DATA.length, mapping, 100_000).errors()).containsExactly(
            "live packet field tcp_psh: expected: 0 (0x0) vs actual: 1 (0x1)");
        // Without a tick (the default) TS val is not compared.
        assertThat(verifier.verify(packet("> P. 1:1001(1000)" + ack + " <nop,nop,TS val 9999 ecr 0>"), DATA,
            mapping).errors()).isEmpty();
    }

    @Test
    void shouldJoinTsoSegmentsIntoTheScriptPacket()
    {
        handshake();
        final byte[] first = segment(0, 600, false);
        final byte[] second = segment(600, 400, true);
        final PacketSpec expected = packet("> P. 1:1001(1000) ack 1 <nop,nop,TS val 1 ecr 0>");
        assertThat(verifier.verify(expected, first, mapping).message())
            .isEqualTo("live packet payload: expected 1000 bytes vs actual 600 bytes");
        final SegmentAggregator.Aggregate joined = SegmentAggregator.aggregate(List.of(first, second), 1000);
        assertThat(joined).isNotNull();
        assertThat(joined.segments()).isEqualTo(2);
        assertThat(verifier.verify(expected, joined.packet(), mapping).errors()).isEmpty();
        assertFullChecksums(joined.packet());
        assertThat(SegmentAggregator.aggregate(List.of(first, segment(700, 400, true)), 1000)).as("gap").isNull();
        assertThat(SegmentAggregator.aggregate(List.of(DATA), 1000)).as("nothing to join").isNull();
    }

    private void handshake()
    {
        builder.build(packet("< S " + CLIENT_ISN + ":" + CLIENT_ISN + "(0) win 65495 <mss 65495>"), mapping);
        final VerificationResult synAck = verifier.verify(packet("> S. 0:0(0) ack " + (CLIENT_ISN + 1) +
            " <...>"), SYN_ACK, mapping);
        assertThat(synAck.errors()).isEmpty();
        // Record the kernel's TS val of the SYN-ACK under script value 100.
        mapping.recordOutboundTimestamp(100, 0xccd05815L);
    }

    /** A slice of the data segment as TSO would emit it: same headers, part of the payload. */
    private static byte[] segment(final int from, final int length, final boolean last)
    {
        final int headers = 52;
        final byte[] packet = new byte[headers + length];
        System.arraycopy(DATA, 0, packet, 0, headers);
        final UnsafeBuffer buffer = new UnsafeBuffer(packet);
        final Ipv4Header ip = new Ipv4Header().wrap(buffer, 0, packet.length);
        ip.totalLength(packet.length).updateChecksum();
        final long seq = 0xb2c4eb51L + from;
        buffer.putInt(20 + TcpHeader.SEQUENCE_OFFSET, (int)seq, java.nio.ByteOrder.BIG_ENDIAN);
        if (!last)
        {
            packet[20 + TcpHeader.FLAGS_OFFSET] &= (byte)~TcpHeader.PSH;
        }
        return packet;
    }

    private static Ipv4Header ipOf(final byte[] packet)
    {
        return new Ipv4Header().wrap(new UnsafeBuffer(packet), 0, packet.length);
    }

    private static TcpHeader tcpOf(final byte[] packet)
    {
        final Ipv4Header ip = ipOf(packet);
        return new TcpHeader().wrap(new UnsafeBuffer(packet), ip.headerLength(), packet.length - ip.headerLength());
    }

    private static void assertFullChecksums(final byte[] packet)
    {
        final Ipv4Header ip = ipOf(packet);
        assertThat(ip.isChecksumValid()).isTrue();
        assertThat(tcpOf(packet).isChecksumValid(ip.pseudoHeaderSum(), ip.totalLength() - ip.headerLength()))
            .isTrue();
    }

    /** Compares what the kernel would compare: addresses, protocol, TTL, lengths and the whole TCP segment
     * except its checksum (the capture's is partial). IP id and DF differ by design. */
    private static void assertSameTcpSegment(final byte[] built, final byte[] captured)
    {
        final Ipv4Header a = ipOf(built);
        final Ipv4Header b = ipOf(captured);
        assertThat(a.source()).isEqualTo(b.source());
        assertThat(a.destination()).isEqualTo(b.destination());
        assertThat(a.protocol()).isEqualTo(b.protocol());
        assertThat(a.ttl()).isEqualTo(b.ttl());
        assertThat(a.tos()).isEqualTo(b.tos());
        assertThat(a.totalLength()).isEqualTo(b.totalLength());
        final TcpHeader x = tcpOf(built);
        final TcpHeader y = tcpOf(captured);
        assertThat(x.sourcePort()).isEqualTo(y.sourcePort());
        assertThat(x.destinationPort()).isEqualTo(y.destinationPort());
        assertThat(x.sequence()).isEqualTo(y.sequence());
        assertThat(x.acknowledgement()).isEqualTo(y.acknowledgement());
        assertThat(x.flags()).isEqualTo(y.flags());
        assertThat(x.window()).isEqualTo(y.window());
        assertThat(x.timestampValue()).isEqualTo(y.timestampValue());
        assertThat(x.timestampEchoReply()).isEqualTo(y.timestampEchoReply());
        final List<Byte> builtTcp = new ArrayList<>();
        final List<Byte> capturedTcp = new ArrayList<>();
        for (int i = 20; i < built.length; i++)
        {
            if (i != 20 + TcpHeader.CHECKSUM_OFFSET && i != 21 + TcpHeader.CHECKSUM_OFFSET)
            {
                builtTcp.add(built[i]);
                capturedTcp.add(captured[i]);
            }
        }
        assertThat(builtTcp).isEqualTo(capturedTcp);
    }
}

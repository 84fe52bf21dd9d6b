package dev.hostplane.packetscript.live.internal.exec;

import dev.hostplane.packetscript.PacketScript;
import dev.hostplane.packetscript.model.PacketSpec;
import dev.hostplane.packetscript.model.TcpSpec;
import dev.hostplane.packetscript.packet.ConnectionMapping;
import dev.hostplane.packetscript.packet.InboundPacketBuilder;
import dev.hostplane.packetscript.packet.OutboundPacketVerifier;

import java.net.InetAddress;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbound verifier the live runner uses, on AccECN packets and in packetdrill's order and words, and the packet lines an outbound error carries: the packet under check is
 * built by the inbound builder (both directions share the header layout; the mapping is the identity here).
 */
class OutboundVerifierAccEcnTest
{
    private static PacketSpec spec(final String line)
    {
        return (PacketSpec)PacketScript.parse("v.pkt", "0 " + line + "\n").events().get(0).action();
    }

    private static ConnectionMapping identity() throws Exception
    {
        final ConnectionMapping mapping = new ConnectionMapping(InetAddress.getByName("192.168.0.1"), 8080,
            InetAddress.getByName("192.0.2.1"), 48123);
        mapping.learnLocalIsn(0, 0);
        mapping.remoteIsn(0, 0);
        return mapping;
    }

    private static String verify(final String sent, final String expected) throws Exception
    {
        final ConnectionMapping mapping = identity();
        final byte[] live = new InboundPacketBuilder(Map.of()).build(spec(sent), mapping);
        return new OutboundPacketVerifier(Map.of(), false).verify(spec(expected), live, mapping).message();
    }

    @Test
    void shouldCompareTheAceFieldAsOneNumberAndTheOptionByValue() throws Exception
    {
        final String option = "<ECN e1b 1 ceb 0 e0b 1,nop>";
        assertThat(verify("< .5 1:1(0) ack 1 win 10 " + option, "> .5 1:1(0) ack 1 " + option)).isNull();
        assertThat(verify("< EA. 1:1(0) ack 1 win 10 " + option, "> .5 1:1(0) ack 1 " + option)).isNull();
        assertThat(verify("< .3 1:1(0) ack 1 win 10 " + option, "> .5 1:1(0) ack 1 " + option))
            .isEqualTo("live packet field tcp_ace: expected: 5 (0x5) vs actual: 3 (0x3)");
        // Without a digit the three bits are checked one by one, as packetdrill does.
        assertThat(verify("< .3 1:1(0) ack 1 win 10 " + option, "> EA. 1:1(0) ack 1 " + option))
            .isEqualTo("live packet field tcp_cwr: expected: 0 (0x0) vs actual: 1 (0x1)");
        assertThat(verify("< .5 1:1(0) ack 1 win 10 <ECN e1b 2 ceb 0 e0b 1,nop>", "> .5 1:1(0) ack 1 " + option))
            .isEqualTo("bad value in outbound TCP option (kind=174): expected: ECN e1b 1 ceb 0 e0b 1 actual: " +
                "ECN e1b 2 ceb 0 e0b 1");
        assertThat(verify("< .5 1:1(0) ack 1 win 10 <ECN e0b 1 ceb 0 e1b 1,nop>", "> .5 1:1(0) ack 1 " + option))
            .isEqualTo("bad outbound TCP options");
        // Fewer counters than the script (the sender pads to 4 bytes): the IP length differs first, as packetdrill
        // checks it.
        assertThat(verify("< .5 1:1(0) ack 1 win 10 <ECN e1b 1,nop>", "> .5 1:1(0) ack 1 " + option))
            .isEqualTo("live packet field ipv4_total_length: expected: 52 (0x34) vs actual: 48 (0x30)");
    }

    @Test
    void shouldCheckInPacketdrillsOrderAndWords() throws Exception
    {
        // The payload length before any header field (packetdrill compares it while it sniffs).
        assertThat(verify("< P. 1:2001(2000) ack 1 win 10", "> . 1:1001(1000) ack 1"))
            .isEqualTo("live packet payload: expected 1000 bytes vs actual 2000 bytes");
        // A missing option shows in the IP length before the options are compared.
        assertThat(verify("< . 1:1(0) ack 1 win 10", "> . 1:1(0) ack 1 <nop,nop,TS val 1 ecr 2>"))
            .isEqualTo("live packet field ipv4_total_length: expected: 52 (0x34) vs actual: 40 (0x28)");
        assertThat(verify("< . 1:1(0) ack 1 win 10 <mss 1160>", "> . 1:1(0) ack 1 <mss 1460>"))
            .isEqualTo("bad value in outbound TCP option (kind=2): expected: mss 1460 actual: mss 1160");
        assertThat(verify("< . 1:1(0) ack 1 win 10 <nop,nop,sack 1:1001>", "> . 1:1(0) ack 1 <nop,nop,sack 1:2001>"))
            .isEqualTo("bad value in outbound TCP option (kind=5): expected: sack 1:2001 actual: sack 1:1001");
        assertThat(verify("< [ect0] . 1:1(0) ack 1 win 10", "> [ce] . 1:1(0) ack 1"))
            .isEqualTo("live packet field ip_ecn: expected: 3 (0x3) vs actual: 2 (0x2)");
        assertThat(verify("< [noecn] . 1:1(0) ack 1 win 10", "> [ect01] . 1:1(0) ack 1"))
            .isEqualTo("live packet field ip_ecn: expected: 0x1 or 0x2 vs actual: 0x0");
        // Without an option list nothing is compared but the rest.
        assertThat(verify("< . 1:1(0) ack 1 win 10 <nop,nop,TS val 1 ecr 2>", "> . 1:1(0) ack 1 <...>")).isNull();
    }

    @Test
    void shouldDumpTheScriptAndTheActualPacketAsPacketdrillDoes() throws Exception
    {
        final ConnectionMapping mapping = identity();
        final LivePacket live = new LivePacket(new InboundPacketBuilder(Map.of()).build(
            spec("< P.5 1:1001(1000) ack 1 win 1050 <nop,wscale 8>"), mapping));
        assertThat(PacketDump.script((TcpSpec)spec("> P.2 1:1001(1000) ack 1 <nop,wscale 8>").transport(),
            51_672)).isEqualTo("script packet:  0.051672 P.2 1:1001(1000) ack 1 <nop,wscale 8>");
        assertThat(PacketDump.actual(live, mapping, 51_655))
            .isEqualTo("actual packet:  0.051655 P.EA 1:1001(1000) ack 1 win 1050 <nop,wscale 8>");
        assertThat(PacketDump.script((TcpSpec)spec("> SEW 0:0(0) win 5 <mss 1460>").transport(), 0))
            .isEqualTo("script packet:  0.000000 SEW 0:0(0) win 5 <mss 1460>");
    }
}

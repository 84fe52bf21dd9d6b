package dev.hostplane.packetscript.parse;

import dev.hostplane.packetscript.PacketScript;
import dev.hostplane.packetscript.ScriptParseException;
import dev.hostplane.packetscript.model.PacketSpec;
import dev.hostplane.packetscript.model.TcpOption;
import dev.hostplane.packetscript.model.TcpSpec;
import dev.hostplane.packetscript.packet.ConnectionMapping;
import dev.hostplane.packetscript.packet.InboundPacketBuilder;
import dev.hostplane.packetscript.print.ScriptPrinter;
import dev.hostplane.vswitch.packet.TcpHeader;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Accurate ECN as packetdrill's grammar writes it: the ACE field as a flag digit ({@code S.6}, {@code .5},
 * {@code P5}) and the {@code ECN e0b/e1b/ceb} TCP option; parsed, printed back and built on inbound packets.
 */
class AccEcnSyntaxTest
{
    private static TcpSpec tcp(final String line)
    {
        return (TcpSpec)((PacketSpec)PacketScript.parse("a.pkt", "0 " + line + "\n").events().get(0).action())
            .transport();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        < S.6 0:0(0) ack 1 win 100 | S.6 | 6
        < .5 1:1(0) ack 1 win 100  | .5  | 5
        > P5 1:11(10)              | P5  | 5
        > P.0 1:11(10) ack 1       | P.0 | 0
        > SEWA 0:0(0)              | SEWA | -1
        """)
    void shouldReadTheAceFieldWrittenAsAFlagDigit(final String line, final String flags, final int ace)
    {
        final TcpSpec t = tcp(line);
        assertThat(t.flags()).isEqualTo(flags);
        assertThat(t.ace()).isEqualTo(ace);
    }

    @Test
    void shouldParsePrintAndBuildTheAccEcnOptionInBothOrders() throws Exception
    {
        final TcpSpec t = tcp("< S.6 0:0(0) ack 1 win 100 <mss 1460,ECN e1b 1 ceb 0 e0b 16777215,nop,ECN e0b 7>");
        assertThat(t.options().get(1)).isEqualTo(new TcpOption.AccEcn(true, List.of(1L, 0L, 16777215L)));
        assertThat(t.options().get(3)).isEqualTo(new TcpOption.AccEcn(false, List.of(7L)));
        assertThat(t.options().get(1).kind()).isEqualTo(174);
        assertThat(t.options().get(3).kind()).isEqualTo(172);
        assertThat(ScriptPrinter.options(t.options())).isEqualTo("mss 1460,ECN e1b 1 ceb 0 e0b 16777215,nop,ECN e0b 7");

        final ConnectionMapping mapping = new ConnectionMapping(InetAddress.getByName("192.168.0.1"), 8080,
            InetAddress.getByName("192.0.2.1"), 48123);
        mapping.learnLocalIsn(0, 0);
        final PacketSpec packet = (PacketSpec)PacketScript.parse("a.pkt",
            "0 < S.6 0:0(0) ack 1 win 100 <mss 1460,ECN e1b 1 ceb 0 e0b 16777215,nop,ECN e0b 7>\n")
            .events().get(0).action();
        final byte[] bytes = new InboundPacketBuilder(Map.of()).build(packet, mapping);
        final TcpHeader header = new TcpHeader().wrap(new UnsafeBuffer(bytes), 20, bytes.length - 20);
        // ACE 6 = AE and CWR, not ECE.
        assertThat(header.flags() & (TcpHeader.AE | TcpHeader.CWR | TcpHeader.ECE))
            .isEqualTo(TcpHeader.AE | TcpHeader.CWR);
        final int option = header.findOption(174);
        assertThat(header.optionLength(option)).isEqualTo(11);
        assertThat(java.util.Arrays.copyOfRange(bytes, option + 2, option + 11))
            .containsExactly(0, 0, 1, 0, 0, 0, 0xFF, 0xFF, 0xFF);
        final int order0 = header.findOption(172);
        assertThat(header.optionLength(order0)).isEqualTo(5);
        assertThat(java.util.Arrays.copyOfRange(bytes, order0 + 2, order0 + 5)).containsExactly(0, 0, 7);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        digit with ECN letter | > SE5 0:0(0)                     | Conflicting TCP flag: '5'
        letter after digit    | > S5E 0:0(0)                     | Conflicting TCP flag: 'E'
        two digits            | > .56 1:1(0)                     | Conflicting TCP flag: '6'
        digit out of range    | > P8 1:1(0)                      | Invalid TCP flag: '8'
        counter first is ceb  | > . 1:1(0) <ECN ceb 1>           | expected e0b or e1b after ECN
        counter too large     | > . 1:1(0) <ECN e0b 16777216>    | TCP AccECN field value out of range
        """)
    void shouldRefuseWhatPacketdrillRefuses(final String name, final String line, final String message)
    {
        assertThatThrownBy(() -> PacketScript.parse("a.pkt", "0 " + line + "\n"))
            .isInstanceOf(ScriptParseException.class).hasMessageContaining(message);
    }
}

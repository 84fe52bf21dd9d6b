package dev.hostplane.packetscript.parse;

import dev.hostplane.packetscript.PacketScript;
import dev.hostplane.packetscript.ScriptParseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Malformed scripts fail with the exact position, the offending text and what was expected.
 */
class MalformedScriptTest
{
    private static final String PREFIX = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        unknown option    | +0 < S 0:0(0) win 100 <mss 1000,bogus 3>    | t.pkt:2:33: parse error at 'bogus': unknown TCP option 'bogus' (expected nop, eol, mss, wscale, sackOK, sack, TS, FO, FOEXP, ECN or md5)
        sequence mismatch | +0 < S 0:10(5) win 100                      | t.pkt:2:8: parse error at '0': inconsistent TCP sequence numbers and payload size: 0:10(5)
        missing result    | +0 close(3)                                  | t.pkt:2:12: parse error at 'end of file': expected '=' and the expected result after close(...), as in = 0
        star on syscall   | * close(3) = 0                               | t.pkt:2:1: parse error at '*': event time * can only be used with outbound packets
        range on inbound  | +0~+1 < . 1:1(0) ack 1 win 100               | t.pkt:2:1: parse error at '+': event time range can only be used with outbound packets
        inbound unchecked | +0 < S 0:0(0) win 100 <...>                  | t.pkt:2:23: parse error at '<': <...> for TCP options can only be used with outbound packets
        bad character     | +0 close(3) = 0 @                            | t.pkt:2:17: parse error at '@': expected a token (unexpected character '@')
        backwards range   | 0.2~0.1 > . 1:1(0) ack 1                     | t.pkt:2:4: parse error at '~': time range is backwards
        bad flag          | +0 < SX 0:0(0) win 100                       | t.pkt:2:6: parse error at 'SX': Invalid TCP flag: 'X' (expected flags from F S R P U E W A, '.' and an ACE digit 0-7)
        missing seq colon | +0 < S 0 0(0) win 100                        | t.pkt:2:10: parse error at '0': expected ':' in start:end(length)
        window range      | +0 < . 1:1(0) ack 1 win 70000                | t.pkt:2:25: parse error at '70000': TCP window value out of range: 70000 (expected 0..65535)
        odd cookie        | +0 > S 0:0(0) <FO abc>                       | t.pkt:2:19: parse error at 'abc': TCP fast open cookie has an odd number of digits
        bad struct        | +0 setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1}, 8) = 0 | t.pkt:2:41: parse error at '{': bad struct linger: expected fields onoff, linger
        no action         | +0 = 3                                       | t.pkt:2:4: parse error at '=': expected a packet (< or >), a system call, a `shell command` or %{ python }%
        no time           | close(3) = 0                                 | t.pkt:2:1: parse error at 'close': expected an event time (e.g. 0, +0.1, *, 0.1~0.2, +0.1~+0.2)
        ts without val    | +0 > S 0:0(0) <TS 1 ecr 0>                   | t.pkt:2:19: parse error at '1': expected 'val' after TS, as in TS val 100 ecr 0
        ip clause         | +0 > [ect2] . 1:1(0) ack 1                   | t.pkt:2:7: parse error at 'ect2': expected an IP field: ect0, ect1, ce, noecn, ect01, tos N, flowlabel N or ttl N
        blocking packet   | +0...0.1 < . 1:1(0) ack 1 win 10             | t.pkt:2:10: parse error at '<': expected a system call after a blocking time range a...b
        """)
    void shouldReportPositionOffendingTextAndExpectation(final String name, final String line, final String message)
    {
        final ScriptParseException ex = catchThrowableOfType(ScriptParseException.class,
            () -> PacketScript.parse("t.pkt", PREFIX + line.strip()));
        assertThat(ex).as(name).isNotNull();
        assertThat(ex.getMessage()).isEqualTo(message);
        assertThat(ex.position().line()).isEqualTo(2);
    }

    @Test
    void shouldReportUnterminatedConstructsWhereTheyStart()
    {
        assertThatThrownBy(() -> PacketScript.parse("t.pkt", PREFIX + "+0 `sysctl -q x\n"))
            .isInstanceOf(ScriptParseException.class)
            .hasMessage("t.pkt:2:4: parse error at '`': expected a closing backtick for this shell command");
        assertThatThrownBy(() -> PacketScript.parse("t.pkt", PREFIX + "+0 %{ assert 1\n"))
            .hasMessage("t.pkt:2:4: parse error at '%{': expected a closing }% for this python block");
        assertThatThrownBy(() -> PacketScript.parse("t.pkt", PREFIX + "+0 open(\"/tmp/x, O_RDONLY) = 3\n"))
            .hasMessage("t.pkt:2:9: parse error at '\"': expected a closing double quote for this string");
        assertThatThrownBy(() -> PacketScript.parse("t.pkt", PREFIX + "/* open comment\n"))
            .hasMessage("t.pkt:2:1: parse error at '/*': expected a closing */ for this comment");
    }

    @Test
    void shouldRejectOptionsAfterTheFirstEvent()
    {
        assertThatThrownBy(() -> PacketScript.parse("t.pkt", PREFIX + "--tolerance_usecs=1000\n"))
            .hasMessage("t.pkt:2:1: parse error at '--tolerance_usecs=1000': expected an event; options like " +
                "--tolerance_usecs=1000 must come before the first event");
    }

    @Test
    void shouldCountColumnsAfterTabsAndCommentsAndReportFilePath()
    {
        final String text = "// comment\n\t0\tsocket(..., SOCK_STREAM, IPPROTO_TCP) = 3 /* c */\n\t+0\tbind(3, ..., ...) = 0 x y\n";
        assertThatThrownBy(() -> PacketScript.parse("dir/a.pkt", text))
            .hasMessage("dir/a.pkt:3:27: parse error at 'x': expected an event time (e.g. 0, +0.1, *, 0.1~0.2, +0.1~+0.2)");
    }

    @Test
    void shouldReportAMissingFileAsAParseError()
    {
        assertThatThrownBy(() -> PacketScript.parse(java.nio.file.Path.of("/nonexistent/x.pkt")))
            .isInstanceOf(ScriptParseException.class)
            .hasMessageStartingWith("/nonexistent/x.pkt:1:1: cannot read script:");
    }
}

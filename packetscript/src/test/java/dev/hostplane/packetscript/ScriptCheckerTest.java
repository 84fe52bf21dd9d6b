package dev.hostplane.packetscript;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScriptCheckerTest
{
    @Test
    void shouldPassEveryNonPspSuiteScriptWithTheIpv4Definitions()
    {
        int checked = 0;
        for (final Path path : SuitePaths.scripts())
        {
            final Script script = PacketScript.parse(path, SuitePaths.IPV4_DEFINITIONS);
            final List<String> problems = ScriptChecker.check(script, SuitePaths.IPV4_DEFINITIONS);
            if (path.toString().contains("/psp/"))
            {
                // The PSP scripts write <mss MSS> and run_all.py defines no MSS: packetdrill rejects them too.
                assertThat(problems).allMatch(p -> p.contains("mss value MSS is not defined"));
            }
            else
            {
                assertThat(problems).as(path.toString()).isEmpty();
                checked++;
            }
        }
        assertThat(checked).isEqualTo(167);
    }

    @Test
    void shouldReportAFirstEventNotAtZeroAndTimeGoingBackwards()
    {
        final Script script = PacketScript.parse("t.pkt", "0.1 close(3) = 0\n0.5 close(4) = 0\n0.4 close(5) = 0\n" +
            "+0 close(6) = 0\n0.3 close(7) = 0\n");
        assertThat(ScriptChecker.check(script, Map.of())).containsExactly(
            "t.pkt:1:1: first event should be at time 0",
            "t.pkt:3:1: time goes backward in script from 500000 usec to 400000 usec");
    }

    @Test
    void shouldReportUnknownSymbolsErrnosAndUndefinedOptionValuesWithPositions()
    {
        final Script script = PacketScript.parse("c.pkt", """
            --tolerance_usecs=lots
            0 setsockopt(3, SOL_SOCKET, SO_BOGUS, [1], 4) = -1 EBOGUS (whatever)
            +0 > S 0:0(0) <mss MSS,FO COOKIE>
            +0 < icmp unreachable nonsense
            """);
        assertThat(ScriptChecker.check(script, Map.of())).containsExactly(
            "c.pkt:1:1: option --tolerance_usecs needs a number, got lots",
            "c.pkt:2:1: unknown symbol: name=SO_BOGUS",
            "c.pkt:2:1: unknown errno EBOGUS",
            "c.pkt:3:1: mss value MSS is not defined (use -D MSS=N)",
            "c.pkt:3:1: TCP fast open cookie COOKIE is not defined (use -D COOKIE=<hex>)",
            "c.pkt:4:1: bad ICMP code nonsense for type 3");
        assertThat(ScriptChecker.check(script, Map.of("SO_BOGUS", "SO_MARK", "MSS", "1000", "COOKIE", "abcd")))
            .hasSize(3);
    }
}

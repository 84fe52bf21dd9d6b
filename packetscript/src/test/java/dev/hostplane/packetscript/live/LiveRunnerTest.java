package dev.hostplane.packetscript.live;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The executor against the kernel with small scripts of our own: a correct one passes, and each
 * kind of wrong expectation fails with packetdrill's wording and the script line. Timing is
 * generous (--tolerance_usecs=200000) so these stay reliable on a loaded machine; the packetdrill
 * suite test covers the default tolerance.
 */
class LiveRunnerTest
{
    // The receive buffer packetdrill's defaults.sh sets decides the window scale (8) the scripts expect.
    private static final String SYSCTLS = "`sysctl -q net.ipv4.tcp_rmem=\"4096 540000 15728640\"`\n";
    private static final String HEADER = "--tolerance_usecs=200000\n" + SYSCTLS;
    private static final String CLIENT =
        "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n" +
        "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n" +
        "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n" +
        "+0 > S 0:0(0) <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 8>\n" +
        "+.05 < S. 0:0(0) ack 1 win 5792 <mss 1460,nop,wscale 2,nop,nop,sackOK>\n" +
        "+0 > . 1:1(0) ack 1\n";

    @TempDir
    Path dir;

    @BeforeEach
    void setUp()
    {
        LiveAssumptions.assumeNamespaces();
    }

    @Test
    void shouldPassAClientHandshakeDataAndCloseWithPythonAndShell() throws IOException
    {
        final LiveResult result = run(HEADER + CLIENT +
            "+0 write(3, ..., 1000) = 1000\n" +
            "+0 > P. 1:1001(1000) ack 1\n" +
            "+.05 < . 1:1(0) ack 1001 win 257\n" +
            "+0 %{ assert tcpi_state == TCP_ESTABLISHED, tcpi_state }%\n" +
            "+0 < P. 1:101(100) ack 1001 win 257\n" +
            "+0 > . 1001:1001(0) ack 101\n" +
            "+0 ioctl(3, SIOCINQ, [100]) = 0\n" +
            "+0 read(3, ..., 1000) = 100\n" +
            "+0 read(3, ..., 1000) = -1 EAGAIN (Resource temporarily unavailable)\n" +
            "+0 `test -e /proc/sys/net/ipv4/tcp_timestamps`\n" +
            "+0 close(3) = 0\n" +
            "+0 > F. 1001:1001(0) ack 101\n");
        assertThat(result.message()).isNull();
        assertThat(result.passed()).isTrue();
    }

    @Test
    void shouldPassAServerWithABlockingAccept() throws IOException
    {
        final LiveResult result = run(HEADER +
            "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n" +
            "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n" +
            "+0 bind(3, ..., ...) = 0\n" +
            "+0 listen(3, 1) = 0\n" +
            "+0...0.200 accept(3, ..., ...) = 4\n" +
            "+.1 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>\n" +
            "+0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 8>\n" +
            "+.1 < . 1:1(0) ack 1 win 257\n" +
            "+.1 write(4, ..., 2000) = 2000\n" +
            "+0 > P. 1:2001(2000) ack 1\n");
        assertThat(result.message()).isNull();
    }

    @Test
    void shouldFailOnWrongOutboundFlagsWithTheLine() throws IOException
    {
        final LiveResult result = run(HEADER + CLIENT.replace("+0 > . 1:1(0) ack 1", "+0 > P. 1:1(0) ack 1"));
        assertThat(result.passed()).isFalse();
        assertThat(result.message()).contains("script.pkt:8: error handling packet: live packet field tcp_psh: " +
            "expected: 1 (0x1) vs actual: 0 (0x0)");
        // As packetdrill: the script's packet and the kernel's, each at its time.
        assertThat(result.message()).containsPattern("\nscript packet: +0\\.0[0-9]{5} P\\. 1:1\\(0\\) ack 1\n" +
            "actual packet: +0\\.0[0-9]{5} \\. 1:1\\(0\\) ack 1 win [0-9]+");
    }

    @Test
    void shouldReportAPayloadThatDoesNotAddUpWithoutPacketDumpsAsPacketdrill() throws IOException
    {
        // 2000 bytes leave as one GSO packet or as 1460 + 540; either way the segments summed for the 1600 the script
        // asks for come to 2000, and no single sniffed packet is the one the message speaks of.
        final LiveResult result = run(HEADER + CLIENT +
            "+0 write(3, ..., 2000) = 2000\n" +
            "+0 > P. 1:1601(1600) ack 1\n");
        assertThat(result.message())
            .contains("script.pkt:10: error handling packet: live packet payload: expected 1600 bytes vs actual 2000 " +
                "bytes")
            .doesNotContain("script packet:")
            .doesNotContain("actual packet:");
    }

    @Test
    void shouldWaitForAPacedPacketsLastSegmentAndTimeItThereAsPacketdrill() throws IOException
    {
        // TCP paces a connection only once 10 segments have left; then a write paced at 20 kB/s leaves in segments
        // ~73 ms apart, farther apart than the 50 ms tolerance, its last ~146 ms after its first. The script packet
        // is whole only when its last segment has left, and is timed there (C packetdrill: the same script passes,
        // and fails with a timing error when the packet is expected at +0).
        final String paced = "--tolerance_usecs=50000\n" + SYSCTLS + CLIENT +
            "+0 write(3, ..., 4380) = 4380\n" +
            "+0 > P. 1:4381(4380) ack 1\n" +
            "+.01 < . 1:1(0) ack 4381 win 10000\n" +
            "+0 write(3, ..., 10220) = 10220\n" +
            "+0 > P. 4381:14601(10220) ack 1\n" +
            "+.01 < . 1:1(0) ack 14601 win 10000\n" +
            "+0 setsockopt(3, SOL_SOCKET, SO_MAX_PACING_RATE, [20000], 4) = 0\n" +
            "+0 write(3, ..., 4380) = 4380\n";
        assertThat(run(paced + "+0~+.3 > P. 14601:18981(4380) ack 1\n").message()).isNull();
        assertThat(run(paced + "+0 > P. 14601:18981(4380) ack 1\n").message())
            .contains("script.pkt:17: error handling packet: timing error: expected outbound packet at");
    }

    @Test
    void shouldSetAndCheckTheAceFieldWrittenAsADigit() throws IOException
    {
        final String sysctls = SYSCTLS.replace("\"`", "\"\nsysctl -q net.ipv4.tcp_ecn=1`");
        final String script = "--tolerance_usecs=200000\n" + sysctls +
            "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n" +
            "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n" +
            "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n" +
            "+0 > S3 0:0(0) <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 8>\n" +
            "+.05 < S.1 0:0(0) ack 1 win 5792 <mss 1460,nop,wscale 2,nop,nop,sackOK>\n" +
            "+0 > . 1:1(0) ack 1\n" +
            "+0 write(3, ..., 1000) = 1000\n";
        assertThat(run(script + "+0 > [ect0] P. 1:1001(1000) ack 1\n").message()).isNull();
        assertThat(run(script + "+0 > [ect0] P.5 1:1001(1000) ack 1\n").message())
            .contains("script.pkt:11: error handling packet: live packet field tcp_ace: expected: 5 (0x5) vs " +
                "actual: 0 (0x0)");
    }

    @Test
    void shouldDisconnectWithAfUnspecAndHandPythonTheSocketsMemoryCounters() throws IOException
    {
        final LiveResult result = run(HEADER + CLIENT +
            "+0 connect(3, AF_UNSPEC, ...) = 0\n" +
            "+0 > R. 1:1(0) ack 1\n" +
            // A continuation line indented with tabs, as packetdrill accepts it.
            "+0 %{ assert tcpi_state == TCP_CLOSE, \\\n\t\ttcpi_state\n" +
            "assert SK_MEMINFO_RCVBUF > 0, SK_MEMINFO_RCVBUF\n" +
            "assert tcpi_received_ce == 0, tcpi_received_ce }%\n");
        assertThat(result.message()).isNull();
    }

    @Test
    void shouldInjectInboundSegmentsAsGsoPacketsOfTheMssOption() throws IOException
    {
        final String server = HEADER +
            "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n" +
            "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n" +
            "+0 bind(3, ..., ...) = 0\n" +
            "+0 listen(3, 1) = 0\n" +
            "+0 < S 0:0(0) win 32792 <mss 1460,nop,wscale 7>\n" +
            "+0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 8>\n" +
            "+.01 < . 1:1(0) ack 1 win 257\n" +
            "+0 accept(3, ..., ...) = 4\n" +
            "+0 < P. 1:3001(3000) ack 1 win 257\n";
        // The kernel sizes its receive MSS estimate by the GSO size, else by the packet (capped at advmss).
        assertThat(run("--mss=1000\n" + server + "+.01 %{ assert tcpi_rcv_mss == 1000, tcpi_rcv_mss }%\n")
            .message()).isNull();
        assertThat(run(server + "+.01 %{ assert tcpi_rcv_mss == 1460, tcpi_rcv_mss }%\n").message()).isNull();
    }

    @Test
    void shouldFailOnWrongWindowAndOptions() throws IOException
    {
        assertThat(run(HEADER + CLIENT.replace("+0 > . 1:1(0) ack 1", "+0 > . 1:1(0) ack 1 win 1")).message())
            .contains("script.pkt:8: error handling packet: live packet field tcp_window: expected: 1");
        assertThat(run(HEADER + CLIENT.replace("<mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 8>",
            "<mss 1400,sackOK,TS val 100 ecr 0,nop,wscale 8>")).message())
            .contains("script.pkt:6: error handling packet: bad value in outbound TCP option (kind=2): " +
                "expected: mss 1400 actual: mss 1460");
    }

    @Test
    void shouldFailOnWrongSyscallResultAndErrno() throws IOException
    {
        assertThat(run(HEADER + CLIENT + "+0 write(3, ..., 10) = 11\n").message())
            .contains("script.pkt:9: runtime error in write call: Expected result 11 but got 10");
        assertThat(run(HEADER + CLIENT + "+0 read(3, ..., 10) = -1 ECONNRESET (Connection reset by peer)\n")
            .message()).contains("script.pkt:9: runtime error in read call: Expected errno ECONNRESET but got " +
                "EAGAIN");
    }

    @Test
    void shouldFailWhenAnExpectedPacketNeverComesOrComesLate() throws IOException
    {
        final LiveResult missing = run("--tolerance_usecs=20000\n" + SYSCTLS + CLIENT + "+0 > . 1:1(0) ack 1\n");
        assertThat(missing.message()).contains("script.pkt:9: error handling packet: Timed out waiting for packet");
        final LiveResult early = run("--tolerance_usecs=20000\n" + SYSCTLS + CLIENT.replace(
            "+0 > S 0:0(0)", "+.5 > S 0:0(0)"));
        assertThat(early.message()).contains(
            "script.pkt:6: error handling packet: timing error: expected outbound packet at 0.5");
    }

    @Test
    void shouldFailOnPythonAssertionAndShellStatus() throws IOException
    {
        final LiveResult python = run(HEADER + CLIENT + "+0 %{ assert tcpi_state == TCP_CLOSE, tcpi_state }%\n");
        assertThat(python.message()).contains("script.pkt: error executing code: 'python3' returned non-zero status 1");
        // As packetdrill's excepthook: the block's script line first, then the traceback.
        assertThat(python.output()).containsPattern("script.pkt:9: error in Python code\nTraceback [^\n]*\n(.*\n)*" +
            "AssertionError: 1");
        assertThat(run(HEADER + CLIENT + "+0 `exit 3`\n").message())
            .contains("script.pkt:9: error executing `exit 3` command: non-zero status 3");
    }

    @Test
    void shouldKeepWhatShellCommandsPrintAsCPacketdrillLeavesItOnStderr() throws IOException
    {
        final LiveResult result = run(HEADER + CLIENT + "+0 `echo to-stderr >&2; echo to-stdout`\n" +
            "+0 `echo failing >&2; exit 2`\n");
        assertThat(result.message()).contains("script.pkt:10: error executing `echo failing >&2; exit 2` command: " +
            "non-zero status 2").doesNotContain("failing\n");
        assertThat(result.output()).contains("to-stderr\n").contains("to-stdout\n").contains("failing\n");
    }

    @Test
    void shouldSkipAScriptWhoseOwnCommandAsksForAQdiscTheKernelLacks() throws IOException
    {
        final LiveResult result = run(HEADER.replace("`\n", "\ntc qdisc replace dev tun0 root nosuchqdisc`\n") +
            CLIENT);
        assertThat(result.skipped()).as(result.toString()).isTrue();
        assertThat(result.message()).contains("script.pkt:3: qdisc nosuchqdisc: ");
    }

    @Test
    void shouldPassAsCPacketdrillDoesAScriptThatRunsWithoutTheQdiscItsCommandAskedFor() throws IOException
    {
        // The refused tc line is not the command's last, so its exit status is 0 and C runs the script on.
        final LiveResult passing = run(HEADER.replace("`\n", "\ntc qdisc replace dev tun0 root nosuchqdisc\n" +
            "true`\n") + CLIENT);
        assertThat(passing.passed()).as(passing.toString()).isTrue();
        final LiveResult failing = run(HEADER.replace("`\n", "\ntc qdisc replace dev tun0 root nosuchqdisc\n" +
            "true`\n") + CLIENT + "+0 write(3, ..., 10) = 11\n");
        assertThat(failing.skipped()).as(failing.toString()).isTrue();
        assertThat(failing.message()).contains("script.pkt:3: qdisc nosuchqdisc: ")
            .contains("run without it, the script failed: ").contains("Expected result 11 but got 10");
    }

    @Test
    void shouldSkipAScriptWhoseOwnCommandSetsASysctlValueTheKernelRefuses() throws IOException
    {
        final LiveResult result = run(HEADER + CLIENT + "+0 `sysctl -q net.ipv4.tcp_ecn=99`\n");
        assertThat(result.skipped()).as(result.toString()).isTrue();
        assertThat(result.message()).contains("script.pkt:9: net.ipv4.tcp_ecn=99: EINVAL (Invalid argument)");
    }

    @Test
    void shouldRunAScriptWhoseHelperFileAsksForWhatTheKernelLacksAndOnlyNoteItOnFailure() throws IOException
    {
        Files.writeString(dir.resolve("helper.sh"), "#!/bin/sh\nsysctl -q net.ipv4.tcp_ecn=99\n" +
            "sysctl -q net.ipv4.tcp_rmem=\"4096 540000 15728640\"\n");
        dir.resolve("helper.sh").toFile().setExecutable(true);
        final String header = "--tolerance_usecs=200000\n`./helper.sh`\n";
        final LiveResult passing = run(header + CLIENT);
        assertThat(passing.passed()).as(passing.toString()).isTrue();
        assertThat(passing.output()).contains("net.ipv4.tcp_ecn");
        final LiveResult failing = run(header + CLIENT + "+0 write(3, ..., 10) = 11\n");
        assertThat(failing.status()).isEqualTo(LiveResult.Status.FAILED);
        assertThat(failing.message()).contains("Expected result 11 but got 10")
            .contains("note: this kernel refused what a helper file of the script asks")
            .contains("helper.sh:2: net.ipv4.tcp_ecn=99: EINVAL (Invalid argument)");
    }

    @Test
    void shouldFailInsteadOfHangingWhenACallBlocksThatShouldNot() throws IOException
    {
        final long start = System.nanoTime();
        final LiveResult result = run(HEADER +
            "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n" +
            "+0 bind(3, ..., ...) = 0\n" +
            "+0 listen(3, 1) = 0\n" +
            "+0 accept(3, ..., ...) = 4\n");
        assertThat(result.message()).contains("script.pkt:6: runtime error in accept call: blocked for more than");
        assertThat(System.nanoTime() - start).isLessThan(30_000_000_000L);
    }

    @Test
    void shouldGiveUpOnABlockingCallOneSecondPastItsDueTimeAsPacketdrillDoes() throws IOException
    {
        final LiveResult stuck = run(HEADER + CLIENT +
            "+0 fcntl(3, F_SETFL, O_RDWR) = 0\n" +
            "+0...0.100 read(3, ..., 1000) = 10\n");
        assertThat(stuck.message()).contains("script.pkt:10: blocking system call did not return (expected to " +
            "return at 0.15");
        // Due at 0.15 s with a 0.2 s tolerance, so about 1.35 s of script time: not packetdrill's 1 s bound
        // plus ten more seconds.
        assertThat(stuck.elapsedNanos()).isBetween(1_300_000_000L, 5_000_000_000L);

        // As in packetdrill, the Python blocks run before the stuck call is awaited, so their verdict comes first.
        final LiveResult python = run(HEADER + CLIENT +
            "+0 fcntl(3, F_SETFL, O_RDWR) = 0\n" +
            "+0...0.100 read(3, ..., 1000) = 10\n" +
            "+0 %{ assert tcpi_state == 0, tcpi_state }%\n");
        assertThat(python.message()).contains("error executing code").doesNotContain("did not return");
    }

    @Test
    void shouldFailPacketdrillsSelfTestsWithTheMessageInTheirFailureComment() throws IOException
    {
        final Path tests = Path.of(System.getProperty("hostplane.shared", "../../shared"))
            .resolve("conformance/packetdrill/packetdrill/tests/linux/packetdrill");
        if (!Files.isDirectory(tests))
        {
            System.out.println("SKIPPED self-test messages: no suite at " + tests.toAbsolutePath());
        }
        Assumptions.assumeTrue(Files.isDirectory(tests), "packetdrill self-tests missing at " + tests);
        for (final String name : new String[] {"socket_err.pkt", "socket_wrong_err.pkt"})
        {
            final Path script = tests.resolve(name);
            // The comment holds the regular expression C packetdrill's own test runner matches the message with.
            final String expected = Files.readAllLines(script).stream()
                .filter((line) -> line.startsWith("// Failure: "))
                .map((line) -> line.substring("// Failure: ".length()))
                .findFirst().orElseThrow();
            final LiveResult result = LiveRunner.run(script, SuiteMode.IPV4.options(), Map.of());
            assertThat(result.passed()).as(name).isFalse();
            assertThat(result.message()).as(name).containsPattern(expected);
        }
    }

    @Test
    void shouldReportParseErrorsWithPosition() throws IOException
    {
        final LiveResult result = run("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = \n");
        assertThat(result.passed()).isFalse();
        assertThat(result.message()).contains("script.pkt:");
    }

    private LiveResult run(final String text) throws IOException
    {
        final Path script = dir.resolve("script.pkt");
        Files.writeString(script, text);
        return LiveRunner.run(script, SuiteMode.IPV4.options(), Map.of());
    }
}

package dev.hostplane.packetscript.live.internal;

import dev.hostplane.packetscript.live.Precondition;
import dev.hostplane.packetscript.PacketScript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a script's shell commands ask of the kernel, read without running them, with scripts of our own.
 */
class ScriptPreconditionsTest
{
    @TempDir
    Path dir;

    @Test
    void shouldFindQdiscsAndSysctlsOfTheInitCommandWithTheirLines() throws IOException
    {
        final List<Precondition> found = of(
            "// a comment\n" +
            "`tc qdisc replace dev tun0 root fq\n" +
            "sysctl -q net/ipv4/tcp_pacing_ss_ratio=200 net.ipv4.tcp_ecn=3\n" +
            "tc qdisc add dev tun0 parent 1:1 handle 10: netem delay 1ms`\n" +
            "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
        assertThat(found).extracting(Precondition::what, Precondition::origin, Precondition::required).containsExactly(
            org.assertj.core.groups.Tuple.tuple("qdisc fq", "script.pkt:2", true),
            org.assertj.core.groups.Tuple.tuple("net.ipv4.tcp_pacing_ss_ratio=200", "script.pkt:3", true),
            org.assertj.core.groups.Tuple.tuple("net.ipv4.tcp_ecn=3", "script.pkt:3", true),
            org.assertj.core.groups.Tuple.tuple("qdisc netem", "script.pkt:4", true));
    }

    @Test
    void shouldIgnoreWhatTheAuthorLetsFailAndWhatIsNotPerNamespace() throws IOException
    {
        final List<Precondition> found = of(
            "`sysctl -e -q net.ipv4.tcp_min_tso_segs=2\n" +
            "sysctl -q net.ipv4.tcp_notsent_lowat=4294967295 > /dev/null 2>&1\n" +
            "tc qdisc delete dev tun0 root 2>/dev/null ; tc qdisc add dev tun0 root pfifo limit 0\n" +
            "sysctl -q kernel.printk=3 ; sysctl -q net.ipv4.tcp_rmem=\"4096 540000 $((15*1024*1024))\"\n" +
            "tc qdisc show dev tun0 # tc qdisc add dev tun0 root fq`\n" +
            "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
        assertThat(found).extracting(Precondition::what).containsExactly("qdisc pfifo");
    }

    @Test
    void shouldReadEventCommandsEchoToProcSysAndSetSysctlsArguments() throws IOException
    {
        final List<Precondition> found = of(
            "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n" +
            "+0 `echo 3 > /proc/sys/net/ipv4/tcp_ecn`\n" +
            "+0 `../common/set_sysctls.py /proc/sys/net/ipv4/tcp_fastopen=0x402 \\\n" +
            "       /proc/sys/net/ipv4/tcp_timestamps=0`\n" +
            "+0 `sysctl -q net.ipv4.tcp_congestion_control=cubic`\n");
        assertThat(found).extracting(Precondition::what, Precondition::origin).containsExactly(
            org.assertj.core.groups.Tuple.tuple("net.ipv4.tcp_ecn=3", "script.pkt:2"),
            org.assertj.core.groups.Tuple.tuple("net.ipv4.tcp_fastopen=0x402", "script.pkt:3"),
            org.assertj.core.groups.Tuple.tuple("net.ipv4.tcp_timestamps=0", "script.pkt:3"),
            org.assertj.core.groups.Tuple.tuple("net.ipv4.tcp_congestion_control=cubic", "script.pkt:5"));
    }

    @Test
    void shouldReadHelperShellFilesAsNotRequired() throws IOException
    {
        Files.createDirectories(dir.resolve("common"));
        Files.writeString(dir.resolve("common/defaults.sh"), "#!/bin/bash\n# defaults\n" +
            "sysctl -q net.ipv4.tcp_congestion_control=cubic\n\ntc qdisc add dev tun0 root pfifo\n");
        Files.createDirectories(dir.resolve("tests"));
        final String text = "`../common/defaults.sh\ntc qdisc replace dev tun0 root fq`\n" +
            "0 socket(..., SOCK_STREAM, 0) = 3\n";
        Files.writeString(dir.resolve("tests/script.pkt"), text);
        final List<Precondition> found = ScriptPreconditions.of(PacketScript.parse("script.pkt", text),
            dir.resolve("tests/script.pkt"));
        assertThat(found).extracting(Precondition::what, Precondition::origin, Precondition::required).containsExactly(
            org.assertj.core.groups.Tuple.tuple("net.ipv4.tcp_congestion_control=cubic", "defaults.sh:3", false),
            org.assertj.core.groups.Tuple.tuple("qdisc pfifo", "defaults.sh:5", false),
            org.assertj.core.groups.Tuple.tuple("qdisc fq", "script.pkt:2", true));
    }

    @Test
    void shouldSplitShellWordsWithQuotesRedirectionsAndSeparators()
    {
        assertThat(ShellWords.simpleCommands("a 'b c' \"d\\\"e\" f2>&1 >/dev/null&& g 2>/dev/null || h | i ; j # k"))
            .containsExactly(List.of("a", "b c", "d\"e", "f2", ">", "&1", ">", "/dev/null"),
                List.of("g", "2>", "/dev/null"), List.of("h"), List.of("i"), List.of("j"));
        assertThat(ShellWords.simpleCommands("x 2>&1 &>/dev/null")).containsExactly(
            List.of("x", "2>", "&1", "&>", "/dev/null"));
    }

    private List<Precondition> of(final String text) throws IOException
    {
        final Path script = dir.resolve("script.pkt");
        Files.writeString(script, text);
        return ScriptPreconditions.of(PacketScript.parse("script.pkt", text), script);
    }
}

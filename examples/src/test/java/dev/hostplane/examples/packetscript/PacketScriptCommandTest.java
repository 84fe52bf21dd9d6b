package dev.hostplane.examples.packetscript;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import dev.hostplane.packetscript.PacketScript;

import static org.assertj.core.api.Assertions.assertThat;

class PacketScriptCommandTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        // Only our command: building the whole launcher would initialise every module's commands.
        final CommandLine commandLine = new CommandLine(new PacketScriptCommand());
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    @Test
    void shouldDryRunTheUpstreamSuiteWithRunAllDefinitions() throws Exception
    {
        final Path root = Path.of(System.getProperty("hostplane.shared", "../../shared"), "conformance", "packetdrill");
        if (!Files.isDirectory(root))
        {
            System.out.println("SKIPPED dry run of the upstream suite: no packetdrill suite at " + root.toAbsolutePath());
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(root), () -> "no packetdrill suite at " + root);
        final List<String> args = new ArrayList<>(List.of("--dry_run",
            "-D", "TFO_COOKIE=3021b9d889017eeb", "-D", "CODE=host_unreachable",
            "-D", "CMSG_LEVEL_IP=SOL_IP", "-D", "CMSG_TYPE_RECVERR=IP_RECVERR"));
        try (Stream<Path> files = Files.walk(root))
        {
            args.addAll(files.filter(p -> p.toString().endsWith(".pkt") && !p.toString().contains("/psp/"))
                .map(Path::toString).sorted().collect(Collectors.toList()));
        }
        assertThat(run(args.toArray(new String[0]))).as(err.toString()).isZero();
        assertThat(out.toString()).contains("167 passed, 0 failed");
    }

    @Test
    void shouldFailWithThePositionOfTheError(@TempDir final Path dir) throws Exception
    {
        final Path bad = dir.resolve("bad.pkt");
        Files.writeString(bad, "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < S 0:10(5) win 10\n");
        final Path good = dir.resolve("good.pkt");
        Files.writeString(good, "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
        assertThat(run("--dry_run", bad.toString(), good.toString())).isEqualTo(1);
        assertThat(err.toString()).contains(bad + ":2:8: parse error at '0': inconsistent TCP sequence numbers");
        assertThat(out.toString()).contains("ok   " + good).contains("1 passed, 1 failed");
    }

    @Test
    void shouldPrintTheCanonicalForm(@TempDir final Path dir) throws Exception
    {
        final Path script = dir.resolve("s.pkt");
        Files.writeString(script, "   0   socket(...,SOCK_STREAM,IPPROTO_TCP)=3 // comment\n +.100 close(3)=0\n");
        assertThat(run("--print", script.toString())).isZero();
        assertThat(out.toString()).isEqualTo(
            "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0.1 close(3) = 0\n");
        assertThat(PacketScript.parse("p", out.toString())).isEqualTo(PacketScript.parse(script));
    }

    @Test
    void shouldSayWhichFailuresCPacketdrillHasTooWithABaseline(@TempDir final Path dir) throws Exception
    {
        final String unsupported = dev.hostplane.packetscript.live.netns.NetNamespace.unsupportedReason();
        if (null != unsupported)
        {
            System.out.println("SKIPPED run-all --baseline: " + unsupported);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(null == unsupported, () -> unsupported);
        final Path suite = Files.createDirectories(dir.resolve("suite"));
        Files.writeString(suite.resolve("pass.pkt"), "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 close(3) = 0\n");
        // socket() succeeds on every kernel: expecting EPERM makes the script fail.
        Files.writeString(suite.resolve("fail.pkt"),
            "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = -1 EPERM (Operation not permitted)\n");
        final Path cFailsToo = dir.resolve("c-fails-too.tsv");
        Files.writeString(cFailsToo, "mode\tscript\tc_packetdrill_pass\nipv4\tpass.pkt\t1\nipv4\tfail.pkt\t0\n" +
            "ipv6\tfail.pkt\t1\n");
        assertThat(run("run-all", "--baseline", cFailsToo.toString(), suite.toString())).as(out + "" + err).isZero();
        assertThat(out.toString()).contains("fail.pkt").contains("[C packetdrill fails too]")
            .contains("1 passed, 1 failed, 0 skipped")
            .contains("of the 1 failed: 1 fail with C packetdrill too (baseline " + cFailsToo + "), 0 do not");

        out.getBuffer().setLength(0);
        final Path cPasses = dir.resolve("c-passes.tsv");
        Files.writeString(cPasses, "# C passes both\npass.pkt\t1\nfail.pkt\t1\n");
        assertThat(run("run-all", "--baseline", cPasses.toString(), suite.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("[C packetdrill passes]").contains("1 failed: 0 fail with C packetdrill too");

        final Path bad = dir.resolve("bad.tsv");
        Files.writeString(bad, "pass.pkt\t1\nfail.pkt\tmaybe\n");
        assertThat(run("run-all", "--baseline", bad.toString(), suite.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(bad + ":2: verdict must be 1 (pass) or 0 (fail): maybe");
    }
}

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
}

package dev.hostplane.examples.packetscript;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import static org.assertj.core.api.Assertions.assertThat;

/** The start path without picocli must read a script run exactly as picocli does, and leave it everything else. */
class ScriptArgsTest
{
    @TempDir
    Path dir;

    @Test
    void shouldReadEveryRunFlagAndDefinitionAsPicocliDoes() throws Exception
    {
        final Path a = Files.writeString(dir.resolve("a.pkt"), "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
        final Path b = Files.writeString(dir.resolve("b.pkt"), "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
        final PacketScriptCommand command = new PacketScriptCommand();
        final CommandLine commandLine = new CommandLine(command);
        final List<String> args = new ArrayList<>();
        int n = 0;
        // Every option of the run flags, from picocli's own model: a flag added there without a case in
        // LiveFlags.set fails here instead of quietly taking the slow path.
        for (final OptionSpec option : commandLine.getCommandSpec().mixins().get("liveFlags").options())
        {
            final Class<?> type = option.type();
            final String name = option.longestName();
            if (boolean.class == type)
            {
                args.add(name);
            }
            else if (Double.class == type)
            {
                args.add(name + "=" + (12.5 + n++));
            }
            else if (Integer.class == type || Long.class == type)
            {
                // Both spellings picocli takes: --name=value and --name value.
                args.add(name);
                args.add(Integer.toString(1500 + n++));
            }
            else
            {
                args.add(name + "=value" + n++);
            }
        }
        args.add(a.toString());
        args.addAll(List.of("-D", "TFO_COOKIE=3021b9d889017eeb", "-DCODE=x=y", "--define=A=1", "--define", "B=2"));
        args.add(b.toString());

        commandLine.parseArgs(args.toArray(String[]::new));
        final LiveFlags expected = (LiveFlags)commandLine.getMixins().get("liveFlags");
        args.add(0, "packetscript");
        final ScriptArgs fast = ScriptArgs.parse(args.toArray(String[]::new));

        assertThat(fast).as("fast path for %s", args).isNotNull();
        assertThat(fast.flags.options()).isEqualTo(expected.options()).hasSize(13);
        assertThat(fast.flags.verbose).isTrue().isEqualTo(expected.verbose);
        assertThat(fast.flags.sendOmitFree).isTrue().isEqualTo(expected.sendOmitFree);
        assertThat(fast.definitions).containsExactly(Map.entry("TFO_COOKIE", "3021b9d889017eeb"),
            Map.entry("CODE", "x=y"), Map.entry("A", "1"), Map.entry("B", "2"));
        assertThat(fast.scripts).containsExactly(a, b);
    }

    @Test
    void shouldLeaveEverythingButAPlainScriptRunToPicocli() throws Exception
    {
        final String s = Files.writeString(dir.resolve("s.pkt"), "0 close(3) = 0\n").toString();
        assertThat(ScriptArgs.parse(new String[] {"packetscript", "--ip_version=ipv4", s})).isNotNull();
        for (final List<String> args : List.of(
            List.of("packetscript", "--dry_run", s),
            List.of("packetscript", "--print", s),
            List.of("packetscript", "--help"),
            List.of("packetscript", "-V"),
            List.of("packetscript"),
            List.of("packetscript", "--ip_version=ipv4"),
            List.of("packetscript", "run-all", dir.toString()),
            List.of("packetscript", dir.resolve("missing.pkt").toString()),
            List.of("packetscript", "@" + s),
            List.of("packetscript", "--mtu=abc", s),
            List.of("packetscript", "--mtu=1500", "--mtu=1400", s),
            List.of("packetscript", "-v", "-v", s),
            List.of("packetscript", "--verbose=true", s),
            List.of("packetscript", "-D", "NOVALUE", s),
            List.of("packetscript", "-D"),
            List.of("packetscript", "--", s),
            List.of("packetscript", "--no_such_flag", s),
            List.of("syslog", "check", s)))
        {
            assertThat(ScriptArgs.parse(args.toArray(String[]::new))).as("%s", args).isNull();
        }
    }
}

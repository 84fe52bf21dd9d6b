package dev.hostplane.examples.packetscript;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import dev.hostplane.packetscript.live.LiveResult;
import dev.hostplane.packetscript.live.SuiteMode;
import dev.hostplane.packetscript.live.SuiteRunner;
import dev.hostplane.packetscript.live.netns.NetNamespace;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hostplane packetscript run-all DIR [-4|-6|--ipv4mappedv6] [-P N]}: runs every {@code .pkt} under a
 * directory like packetdrill's {@code run_all.py} (its per-mode addresses and definitions, {@code *v6.pkt} skipped
 * in the IPv4 modes and {@code *v4.pkt} in IPv6), N at a time, each in its own namespace; prints one line per
 * script (with what its commands printed when it did not pass, or always with {@code -v}) and
 * {@code N passed, N failed, N skipped}; a script is skipped when it fails lacking what it asks of this kernel. With
 * {@code --baseline FILE} (C packetdrill's verdicts, see {@link CVerdicts}) each failure says whether C packetdrill
 * fails it too, the summary counts both kinds, and the exit status is 0 when every failure is one C has too.
 */
@Command(name = "run-all", mixinStandardHelpOptions = true,
    description = "Run every .pkt script under DIR against the kernel, like packetdrill's run_all.py.")
public final class PacketScriptRunAllCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @ArgGroup(exclusive = true)
    private ModeChoice mode = new ModeChoice();

    @Option(names = "-P", paramLabel = "N", description = "Scripts to run at once (default 1).")
    private int parallelism = 1;

    @Option(names = {"-D", "--define"}, paramLabel = "NAME=VALUE", description = "Extra definitions.")
    private Map<String, String> definitions = new LinkedHashMap<>();

    @Option(names = "--baseline", paramLabel = "FILE",
        description = "C packetdrill's verdicts (MODE<TAB>SCRIPT<TAB>1|0, as shared/conformance/packetdrill/" +
            "verdicts-c-*.tsv): each failure says whether C fails too; exit 0 when C fails every script we fail.")
    private Path baseline;

    @Mixin
    private LiveFlags flags;

    @Parameters(index = "0", paramLabel = "DIR", description = "Directory searched recursively for .pkt files.")
    private Path directory;

    /** The mutually exclusive mode flags of run_all.py. */
    static final class ModeChoice
    {
        @Option(names = "-4", description = "IPv4 (default).")
        boolean ipv4;

        @Option(names = "-6", description = "IPv6.")
        boolean ipv6;

        @Option(names = "--ipv4mappedv6", description = "IPv4-mapped IPv6 sockets.")
        boolean mapped;

        SuiteMode suiteMode()
        {
            return ipv6 ? SuiteMode.IPV6 : mapped ? SuiteMode.IPV4_MAPPED_IPV6 : SuiteMode.IPV4;
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final String unsupported = NetNamespace.unsupportedReason();
        if (null != unsupported)
        {
            err.println("packetscript run-all: cannot run scripts here: " + unsupported);
            err.flush();
            return 2;
        }
        if (!Files.isDirectory(directory))
        {
            err.println("packetscript run-all: not a directory: " + directory);
            err.flush();
            return 2;
        }
        final SuiteMode suiteMode = null == mode ? SuiteMode.IPV4 : mode.suiteMode();
        final CVerdicts cVerdicts;
        try
        {
            cVerdicts = null == baseline ? null : CVerdicts.read(baseline, suiteMode);
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            err.println("packetscript run-all: bad --baseline: " + (ex instanceof IOException ?
                baseline + ": " + ex : ex.getMessage()));
            err.flush();
            return 2;
        }
        // Results arrive from -P N threads at once.
        final AtomicLong alsoFailInC = new AtomicLong();
        final List<Path> scripts = new ArrayList<>();
        try (Stream<Path> files = Files.walk(directory))
        {
            files.filter((p) -> p.toString().endsWith(".pkt")).filter(suiteMode::runs).sorted().forEach(scripts::add);
        }
        final Map<String, String> options = new LinkedHashMap<>(flags.options());
        final long start = System.nanoTime();
        final List<LiveResult> results = SuiteRunner.run(scripts, suiteMode, options, parallelism,
            (result) ->
            {
                final boolean failed = !result.passed() && !result.skipped();
                final String c = failed && null != cVerdicts ? cCompared(cVerdicts.passes(relative(result))) : "";
                if (c.startsWith(C_FAILS))
                {
                    alsoFailInC.incrementAndGet();
                }
                out.printf("%s %s (%.3f s)%s%n", result.passed() ? "pass" : result.skipped() ? "SKIP" : "FAIL",
                    result.script(), result.elapsedNanos() / 1e9, c);
                if (!result.passed())
                {
                    out.println("    " + result.message().replace("\n", "\n    "));
                }
                if ((flags.verbose || !result.passed()) && !result.output().isBlank())
                {
                    out.println("    | " + result.output().strip().replace("\n", "\n    | "));
                }
                out.flush();
            }, definitions);
        final long passed = results.stream().filter(LiveResult::passed).count();
        final long skipped = results.stream().filter(LiveResult::skipped).count();
        final long failed = results.size() - passed - skipped;
        out.printf("%d passed, %d failed, %d skipped (%.1f s, %s, -P %d)%n", passed, failed,
            skipped, (System.nanoTime() - start) / 1e9, suiteMode.name().toLowerCase(java.util.Locale.ROOT),
            parallelism);
        if (null != cVerdicts)
        {
            out.printf("of the %d failed: %d fail with C packetdrill too (baseline %s), %d do not%n", failed,
                alsoFailInC.get(), baseline, failed - alsoFailInC.get());
        }
        out.flush();
        return failed == (null == cVerdicts ? 0 : alsoFailInC.get()) ? 0 : 1;
    }

    private static final String C_FAILS = " [C packetdrill fails too]";

    private static String cCompared(final Boolean cPasses)
    {
        if (null == cPasses)
        {
            return " [not in the baseline]";
        }
        return cPasses ? " [C packetdrill passes]" : C_FAILS;
    }

    private String relative(final LiveResult result)
    {
        final Path script = Path.of(result.script());
        return (script.isAbsolute() == directory.isAbsolute() && script.startsWith(directory) ?
            directory.relativize(script) : script).toString();
    }
}

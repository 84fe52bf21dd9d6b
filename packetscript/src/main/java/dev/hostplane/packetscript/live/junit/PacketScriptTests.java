package dev.hostplane.packetscript.live.junit;

import dev.hostplane.packetscript.live.LiveResult;
import dev.hostplane.packetscript.live.LiveRunner;
import dev.hostplane.packetscript.live.SuiteMode;
import dev.hostplane.packetscript.live.netns.NetNamespace;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a folder of {@code .pkt} scripts into JUnit 5 dynamic tests, so a project can test its own
 * kernel-facing behaviour with packetdrill scripts in {@code mvn test}:
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> packetScripts()
 * {
 *     return PacketScriptTests.forDirectory(Path.of("src/test/pkt"), SuiteMode.IPV4, Map.of());
 * }
 * }</pre>
 *
 * Each test runs its script in a fresh network namespace and fails with the packetdrill-style message;
 * where namespaces or {@code /dev/net/tun} are unavailable every test is skipped with the reason printed, and so is
 * a script that fails after its own commands asked for what this kernel lacks (a qdisc, a sysctl value: {@link
 * dev.hostplane.packetscript.live.Precondition}).
 */
public final class PacketScriptTests
{
    private static final Logger LOG = LoggerFactory.getLogger(PacketScriptTests.class);

    private PacketScriptTests()
    {
    }

    /**
     * One dynamic test per {@code .pkt} file under {@code directory} (recursively, sorted) that runs in the mode.
     *
     * @param directory the scripts' root.
     * @param mode the IP mode (run_all.py's addresses and definitions).
     * @param options extra packetdrill long options, e.g. {@code tolerance_usecs}.
     * @return the tests, named by the script's relative path.
     */
    public static Stream<DynamicTest> forDirectory(final Path directory, final SuiteMode mode,
        final Map<String, String> options)
    {
        final List<Path> scripts;
        try (Stream<Path> files = Files.walk(directory))
        {
            scripts = files.filter((p) -> p.toString().endsWith(".pkt")).filter(mode::runs).sorted()
                .collect(Collectors.toList());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final Map<String, String> effective = new LinkedHashMap<>(mode.options());
        effective.putAll(options);
        return scripts.stream().map((script) -> DynamicTest.dynamicTest(directory.relativize(script).toString(),
            script.toUri(), () -> runOne(script, effective, mode.definitions())));
    }

    private static void runOne(final Path script, final Map<String, String> options,
        final Map<String, String> definitions)
    {
        final String reason = NetNamespace.unsupportedReason();
        if (null != reason)
        {
            LOG.warn("SKIPPED {}: {}", script, reason);
        }
        Assumptions.assumeTrue(null == reason, () -> "packet script skipped: " + reason);
        final LiveResult result = LiveRunner.run(script, options, definitions);
        if (result.skipped())
        {
            LOG.warn("SKIPPED {}: {}", script, result.message());
        }
        Assumptions.assumeFalse(result.skipped(), result::message);
        if (!result.passed())
        {
            fail(result.message() + (result.output().isBlank() ? "" : "\n" + result.output().strip()));
        }
    }
}

package dev.hostplane.packetscript.live;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The conformance anchor: every script C packetdrill passed here in ipv4 mode
 * ({@code baseline-pass-ipv4.txt}) must pass, except those listed with a reason in
 * {@code live-known-failures.txt} (printed as skipped). A listed script that passes fails this
 * test, so the list only shrinks. Every failure gets one serial retry (timing-sensitive scripts,
 * {@code baseline-flaky-ipv4.txt}, flip under load on a shared 2-core machine, and with them fields that
 * depend on timing, such as TSO burst sizes); a
 * script that still fails only by a timing error is printed and counted but fails the test only with
 * {@code -Dpacketscript.strictTiming=true} (C packetdrill itself drops from 112 to 99 passes under
 * load here, all by timing).
 *
 * <p>{@code -Dpacketscript.only=REGEX} runs a subset; {@code -Dpacketscript.parallelism=N} (default 2).
 */
class PacketdrillBaselineIpv4Test
{
    private static final Path SUITE = Path.of(System.getProperty("hostplane.shared", "../../shared"))
        .resolve("conformance/packetdrill");

    @BeforeEach
    void setUp()
    {
        LiveAssumptions.assumeNamespaces();
        if (!Files.isDirectory(SUITE))
        {
            System.out.println("SKIPPED packetdrill baseline: no suite at " + SUITE.toAbsolutePath());
        }
        assumeTrue(Files.isDirectory(SUITE), "packetdrill suite missing at " + SUITE.toAbsolutePath());
    }

    @Test
    void shouldPassEveryBaselineScriptInIpv4Mode() throws Exception
    {
        final List<String> baseline = lines(SUITE.resolve("baseline-pass-ipv4.txt"));
        final Set<String> flaky = new TreeSet<>();
        for (final String line : lines(SUITE.resolve("baseline-flaky-ipv4.txt")))
        {
            flaky.add(line.split("\\s+")[0]);
        }
        final Map<String, String> known = knownFailures();
        final String only = System.getProperty("packetscript.only", "");
        final int parallelism = Integer.getInteger("packetscript.parallelism", 2);

        final List<Path> toRun = new ArrayList<>();
        for (final String script : baseline)
        {
            if (only.isEmpty() || script.matches(only))
            {
                toRun.add(SUITE.resolve(script));
            }
        }
        final long start = System.nanoTime();
        final List<LiveResult> first = SuiteRunner.run(toRun, SuiteMode.IPV4, Map.of(), parallelism, (r) -> { });
        final Map<String, LiveResult> results = new LinkedHashMap<>();
        final List<Path> retry = new ArrayList<>();
        for (int i = 0; i < toRun.size(); i++)
        {
            final String name = SUITE.relativize(toRun.get(i)).toString();
            final LiveResult result = first.get(i);
            results.put(name, result);
            // One serial retry for any failure: under load even non-timing fields move (e.g. how many bytes
            // a TSO burst carries depends on when ACKs arrived); a real regression fails twice.
            if (!result.passed())
            {
                retry.add(toRun.get(i));
            }
        }
        if (!retry.isEmpty())
        {
            final List<LiveResult> second = SuiteRunner.run(retry, SuiteMode.IPV4, Map.of(), 1, (r) -> { });
            for (int i = 0; i < retry.size(); i++)
            {
                final String name = SUITE.relativize(retry.get(i)).toString();
                System.out.println("retried " + name + ": " + (second.get(i).passed() ? "pass" : "FAIL again"));
                results.put(name, second.get(i));
            }
        }
        final long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        int passed = 0;
        final List<String> unexpectedFailures = new ArrayList<>();
        final List<String> unexpectedPasses = new ArrayList<>();
        final List<String> timingOnly = new ArrayList<>();
        final boolean strictTiming = Boolean.getBoolean("packetscript.strictTiming");
        for (final Map.Entry<String, LiveResult> entry : results.entrySet())
        {
            final String name = entry.getKey();
            final LiveResult result = entry.getValue();
            if (result.passed())
            {
                passed++;
                if (known.containsKey(name) && !flaky.contains(name) && !known.get(name).startsWith("timing:"))
                {
                    unexpectedPasses.add(name);
                }
            }
            else if (!strictTiming && String.valueOf(result.message()).contains("timing error"))
            {
                // Twice too late/early on this shared machine: reported, counted, not a conformance failure.
                timingOnly.add(name);
                System.out.println("TIMING " + name + "\n    " + result.message().replace("\n", "\n    "));
            }
            else if (known.containsKey(name))
            {
                System.out.println("SKIPPED (known failure: " + known.get(name) + ") " + name + "\n    " +
                    result.message().replace("\n", "\n    "));
            }
            else
            {
                unexpectedFailures.add(name);
                System.out.println("FAIL " + name + "\n    " + result.message().replace("\n", "\n    "));
            }
        }
        System.out.printf("packetdrill ipv4 baseline: %d passed, %d failed of %d (%d of them only by timing " +
            "errors after a retry; %d known failures listed), %.1f s with parallelism %d%n", passed,
            results.size() - passed, results.size(), timingOnly.size(), known.size(), elapsedMillis / 1000.0,
            parallelism);
        assertThat(unexpectedFailures).as("baseline scripts failing that are not in live-known-failures.txt")
            .isEmpty();
        assertThat(unexpectedPasses).as("scripts in live-known-failures.txt that pass now: remove them").isEmpty();
    }

    private static Map<String, String> knownFailures() throws IOException
    {
        final Map<String, String> known = new LinkedHashMap<>();
        try (InputStream in = PacketdrillBaselineIpv4Test.class.getResourceAsStream("/live-known-failures.txt"))
        {
            if (null == in)
            {
                return known;
            }
            for (final String raw : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
            {
                final String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#"))
                {
                    continue;
                }
                final int space = line.indexOf(' ');
                known.put(space < 0 ? line : line.substring(0, space),
                    space < 0 ? "(no reason given)" : line.substring(space + 1).strip());
            }
        }
        return known;
    }

    private static List<String> lines(final Path file) throws IOException
    {
        final List<String> lines = new ArrayList<>();
        for (final String line : Files.readAllLines(file))
        {
            if (!line.isBlank())
            {
                lines.add(line.strip());
            }
        }
        return lines;
    }
}

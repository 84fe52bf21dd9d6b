package dev.hostplane.packetscript.live;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The conformance anchor: every script C packetdrill passed in ipv4 mode, on a kernel with {@code sch_fq}
 * ({@code baseline-pass-ipv4.txt}) or on this machine's 6.18.44 without it ({@code verdicts-c-kernel-6.18.44.tsv}),
 * must pass, except those listed with a reason in {@code live-known-failures.txt} (printed as skipped; a listed
 * script that passes fails this test, so the list only shrinks), and those whose own commands ask for what this
 * kernel lacks ({@code fq} here) and fail without it, which are skipped with the reason the kernel gave. Strict, as CI needs it ({@link BaselineRun}):
 * any failure, timing or functional, of a script that is not timing-sensitive fails the test at once; a
 * timing-sensitive script ({@code baseline-flaky-ipv4.txt}, or {@code live-timing-sensitive.txt}: measured to fail
 * the same way under C packetdrill on this kernel) gets one serial retry, and a second failure of it that is only a
 * timing error is printed as tolerated rather than failed.
 *
 * <p>{@code -Dpacketscript.only=REGEX} runs a subset; {@code -Dpacketscript.parallelism=N} (default
 * {@value #DEFAULT_PARALLELISM}).
 */
class PacketdrillBaselineIpv4Test
{
    static final int DEFAULT_PARALLELISM = 2;
    private static final Path SUITE = BaselineRun.SUITE;

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
        final Map<String, String> known = BaselineRun.listed("/live-known-failures.txt");
        final Map<String, String> sensitive = BaselineRun.timingSensitive();
        final String only = System.getProperty("packetscript.only", "");
        final int parallelism = Integer.getInteger("packetscript.parallelism", DEFAULT_PARALLELISM);

        final java.util.Set<String> expected = new java.util.TreeSet<>(BaselineRun.cPasses("ipv4"));
        for (final String line : Files.readAllLines(SUITE.resolve("baseline-pass-ipv4.txt")))
        {
            expected.add(line.strip());
        }
        final List<Path> toRun = new ArrayList<>();
        for (final String script : expected)
        {
            if (!script.isEmpty() && (only.isEmpty() || script.matches(only)))
            {
                toRun.add(SUITE.resolve(script));
            }
        }
        assertThat(sensitive.keySet()).as("every timing-sensitive script is a baseline script").allSatisfy(
            (script) -> assertThat(Files.isRegularFile(SUITE.resolve(script))).as(script).isTrue());

        final BaselineRun run = BaselineRun.run("ipv4 baseline", toRun, SuiteMode.IPV4, parallelism);
        final List<String> unexpectedFailures = new ArrayList<>();
        for (final String name : run.failures())
        {
            if (known.containsKey(name))
            {
                System.out.println("SKIPPED (known failure: " + known.get(name) + ") " + name);
            }
            else
            {
                unexpectedFailures.add(name);
            }
        }
        final List<String> unexpectedPasses = new ArrayList<>();
        for (final Map.Entry<String, LiveResult> entry : run.results().entrySet())
        {
            final String name = entry.getKey();
            if (entry.getValue().passed() && known.containsKey(name) && !sensitive.containsKey(name))
            {
                unexpectedPasses.add(name);
            }
        }
        assertThat(unexpectedFailures).as("baseline scripts failing (after one retry if timing-sensitive) that " +
            "are not in live-known-failures.txt").isEmpty();
        assertThat(unexpectedPasses).as("scripts in live-known-failures.txt that pass now: remove them").isEmpty();
    }
}

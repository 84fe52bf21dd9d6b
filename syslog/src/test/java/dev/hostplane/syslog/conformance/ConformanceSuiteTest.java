package dev.hostplane.syslog.conformance;

import dev.hostplane.syslog.SyslogConfigException;
import dev.hostplane.syslog.SyslogReplay;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs every conformance case (config + input + files written by real rsyslogd 8.2302)
 * through {@link SyslogReplay} and compares the engine's files with rsyslogd's byte for byte:
 * same set of files, same bytes. Cases in {@code known-failures.txt} are skipped with their
 * reason while they fail, and fail the run once they pass. Prints the pass count per spec row.
 */
class ConformanceSuiteTest
{
    /** A replay of a few hundred lines takes milliseconds; this only guards against a hang. */
    private static final Duration CASE_TIMEOUT = Duration.ofSeconds(30);

    private static final Path SUITE = ConformanceCase.suiteDirectory();
    private static final KnownFailures KNOWN = KnownFailures.load(SUITE);
    private static final List<ConformanceCase> CASES = ConformanceCase.loadAll(SUITE);

    /** case name -> outcome ("pass", "known-failure", "fail"). */
    private static final Map<String, String> OUTCOMES = new ConcurrentHashMap<>();

    @TestFactory
    Stream<DynamicTest> shouldWriteTheSameBytesAsRsyslogd()
    {
        assertThat(CASES).as("conformance cases in %s", SUITE).hasSizeGreaterThanOrEqualTo(150);
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), c.dir().toUri(), () -> runCase(c)));
    }

    @Test
    void shouldListOnlyExistingCasesAsKnownFailures()
    {
        final Set<String> names = CASES.stream().map(ConformanceCase::name).collect(Collectors.toSet());
        final List<String> stale = KNOWN.all().keySet().stream().filter(n -> !names.contains(n)).toList();
        assertThat(stale).as("entries in %s that name no case", KNOWN.file()).isEmpty();
    }

    @Test
    void shouldCoverEverySpecRowOfTheIssue()
    {
        final Set<String> covered = CASES.stream().flatMap(c -> c.rows().stream()).collect(Collectors.toSet());
        assertThat(covered).contains(
            "SL-M1", "SL-M2", "SL-M3", "SL-M4",
            "SL-F1", "SL-F2", "SL-F3", "SL-F4", "SL-F5", "SL-F6", "SL-F7", "SL-F8",
            "SL-T1", "SL-T2", "SL-T3", "SL-O1", "SL-O3", "SL-C1");
    }

    private static void runCase(final ConformanceCase c) throws Exception
    {
        final String knownReason = KNOWN.reason(c.name());
        final String problem = assertTimeoutPreemptively(CASE_TIMEOUT, () -> replayAndCompare(c),
            () -> "case=" + c.name() + " did not finish within " + CASE_TIMEOUT);
        if (problem.isEmpty())
        {
            OUTCOMES.put(c.name(), "pass");
            if (null != knownReason)
            {
                fail("case=" + c.name() + " passes but is listed in " + KNOWN.file() + " (reason given: " + knownReason
                    + "): remove it from the list");
            }
            return;
        }
        if (null != knownReason)
        {
            OUTCOMES.put(c.name(), "known-failure");
            final String firstLine = problem.lines().findFirst().orElse("");
            System.out.println("[conformance] skip " + c.name() + ": known failure: " + knownReason + " (now: " + firstLine + ")");
            throw new TestAbortedException("known failure: " + knownReason);
        }
        OUTCOMES.put(c.name(), "fail");
        fail("case=" + c.name() + " (" + c.description() + ")\n" + problem
            + "case folder: " + c.dir() + "\n");
    }

    /** Runs one case; returns "" when the outputs match, else a report. */
    private static String replayAndCompare(final ConformanceCase c) throws IOException
    {
        final Path work = Files.createTempDirectory("hp-conformance-" + c.name() + "-");
        try
        {
            final Path caseCopy = Files.createDirectories(work.resolve("case"));
            final Path out = Files.createDirectories(work.resolve("out"));
            final Path config = c.materialise(caseCopy, out);
            try
            {
                SyslogReplay.builder().config(config).input(c.input()).zone(c.zone()).clock(c.clock()).build().run();
            }
            catch (final SyslogConfigException ex)
            {
                return "engine rejected the config (rsyslogd accepted it): " + ex.getMessage()
                    + " [file=" + ex.file() + " line=" + ex.line() + " column=" + ex.column() + "]\n";
            }
            catch (final RuntimeException | IOException ex)
            {
                final StringWriter trace = new StringWriter();
                ex.printStackTrace(new PrintWriter(trace));
                return "engine threw " + ex + "\n" + trace.toString().lines().limit(12).collect(Collectors.joining("\n")) + "\n";
            }
            return OutputComparison.compare(c.expectedDir(), out);
        }
        finally
        {
            deleteTree(work);
        }
    }

    private static void deleteTree(final Path root) throws IOException
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (Stream<Path> walk = Files.walk(root))
        {
            for (final Path p : walk.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
    }

    @AfterAll
    static void printPassCountPerSpecRow()
    {
        if (OUTCOMES.isEmpty())
        {
            return;
        }
        final Map<String, int[]> perRow = new TreeMap<>();
        for (final ConformanceCase c : CASES)
        {
            final String outcome = OUTCOMES.get(c.name());
            if (null == outcome)
            {
                continue;
            }
            for (final String row : c.rows())
            {
                final int[] counts = perRow.computeIfAbsent(row, r -> new int[2]);
                counts[1]++;
                if ("pass".equals(outcome))
                {
                    counts[0]++;
                }
            }
        }
        final long passed = OUTCOMES.values().stream().filter("pass"::equals).count();
        final List<String> lines = new ArrayList<>();
        lines.add("[conformance] " + passed + "/" + OUTCOMES.size() + " cases pass byte for byte against rsyslogd 8.2302 outputs");
        perRow.forEach((row, counts) -> lines.add("[conformance]   " + row + ": " + counts[0] + "/" + counts[1]));
        lines.forEach(System.out::println);
    }
}

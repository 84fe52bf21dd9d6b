package dev.hostplane.packetscript.live;

import dev.hostplane.packetscript.live.internal.KernelFeatures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CI rule for the packetdrill baseline tests: every script runs once (N at a time); a functional failure
 * fails the build. A first run that fails only by a timing error gets one serial retry, since N scripts at once on
 * a small machine can delay one by a scheduler tick; the retry must pass. A script known to be timing-sensitive
 * gets the retry for any failure, and if the retry fails again <em>only by a timing error</em> that is printed
 * and counted as tolerated, not failed (a functional failure still fails). Timing-sensitive means listed in the suite's
 * {@code baseline-flaky-ipv4.txt} (verdict flipped between C packetdrill runs) or in
 * {@code live-timing-sensitive.txt} (measured here to fail under C packetdrill itself, same kernel, by the same
 * timing error: the kernel sends the ACK on a later jiffy tick, 15-30 % of the time, so even two tries in a row fail
 * too often for a CI gate). A script this kernel cannot run as written (its own commands ask for a qdisc or
 * sysctl value the kernel lacks, {@link KernelFeatures}) runs without it; if it fails then, it is skipped with the
 * reason and counts as neither. Prints
 * every skip, first-run failure, retry and final failure with its message and what its commands printed, the
 * counts, and what the kernel probe found.
 */
final class BaselineRun
{
    static final Path SUITE = Path.of(System.getProperty("hostplane.shared", "../../shared"))
        .resolve("conformance/packetdrill");

    private final String label;
    private final Map<String, String> retryable;
    private final Map<String, LiveResult> results = new LinkedHashMap<>();
    private final List<String> retried = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> tolerated = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();
    private int passed;
    private long elapsedMillis;

    private BaselineRun(final String label, final Map<String, String> retryable)
    {
        this.label = label;
        this.retryable = retryable;
    }

    /**
     * Runs the scripts under the rule.
     *
     * @param label       what is run, for the summary line.
     * @param scripts     the scripts (under {@link #SUITE}).
     * @param mode        the ip mode.
     * @param parallelism scripts at once in the first run.
     * @return the outcome.
     * @throws Exception when the runner itself fails.
     */
    static BaselineRun run(final String label, final List<Path> scripts, final SuiteMode mode,
        final int parallelism) throws Exception
    {
        return run(label, scripts, mode, parallelism, false);
    }

    /**
     * Runs the scripts under the rule, or with {@code retryAll} under the looser one: every failing script gets the
     * one serial retry, and what fails again fails the test (timing-sensitive scripts' timing errors still tolerated).
     *
     * @param label       what is run, for the summary line.
     * @param scripts     the scripts (under {@link #SUITE}).
     * @param mode        the ip mode.
     * @param parallelism scripts at once in the first run.
     * @param retryAll    whether every failing script, not only timing-sensitive ones, gets the retry.
     * @return the outcome.
     * @throws Exception when the runner itself fails.
     */
    static BaselineRun run(final String label, final List<Path> scripts, final SuiteMode mode,
        final int parallelism, final boolean retryAll) throws Exception
    {
        final BaselineRun run = new BaselineRun(label, timingSensitive());
        final long start = System.nanoTime();
        final List<LiveResult> first = SuiteRunner.run(scripts, mode, Map.of(), parallelism, (r) -> { });
        final List<Path> retry = new ArrayList<>();
        for (int i = 0; i < scripts.size(); i++)
        {
            final String name = SUITE.relativize(scripts.get(i)).toString();
            final LiveResult result = first.get(i);
            run.results.put(name, result);
            if (result.skipped())
            {
                run.skipped.add(name);
                System.out.println("SKIPPED " + name + ": " + result.message());
            }
            else if (!result.passed())
            {
                final String why = null != run.retryable.get(name) ? run.retryable.get(name) :
                    retryAll ? "any failure of this run is retried once" :
                    isTimingOnly(result) ? "a timing error in the parallel first run, retried alone" : null;
                System.out.println("first run failed: " + name + (null != why ? " (" + why + "; retried once)" :
                    " (not a timing error, not timing-sensitive: no retry)") + "\n    " + indent(result.message()) +
                    printed(result));
                if (null != why)
                {
                    retry.add(scripts.get(i));
                }
            }
        }
        if (!retry.isEmpty())
        {
            final List<LiveResult> second = SuiteRunner.run(retry, mode, Map.of(), 1, (r) -> { });
            for (int i = 0; i < retry.size(); i++)
            {
                final String name = SUITE.relativize(retry.get(i)).toString();
                System.out.println("retried " + name + ": " + (second.get(i).passed() ? "pass" : "FAIL again"));
                run.retried.add(name);
                run.results.put(name, second.get(i));
            }
        }
        run.elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        for (final Map.Entry<String, LiveResult> entry : run.results.entrySet())
        {
            if (entry.getValue().passed())
            {
                run.passed++;
            }
            else if (entry.getValue().skipped())
            {
                continue;
            }
            else if (run.retried.contains(entry.getKey()) && run.retryable.containsKey(entry.getKey()) &&
                isTimingOnly(entry.getValue()))
            {
                run.tolerated.add(entry.getKey());
                System.out.println("TOLERATED (timing-sensitive, timing error twice) " + entry.getKey() + "\n    " +
                    indent(entry.getValue().message()));
            }
            else
            {
                run.failures.add(entry.getKey());
                System.out.println("FAIL " + entry.getKey() + "\n    " + indent(entry.getValue().message()) +
                    printed(entry.getValue()));
            }
        }
        System.out.printf("packetdrill %s: %d passed, %d failed, %d skipped (this kernel lacks what they ask) of " +
            "%d; %d retried once, %d of them tolerated (timing-sensitive, second timing error), %.1f s with " +
            "parallelism %d; %s%n", label, run.passed, run.failures.size(), run.skipped.size(), run.results.size(),
            run.retried.size(), run.tolerated.size(), run.elapsedMillis / 1000.0, parallelism,
            KernelFeatures.current().summary());
        return run;
    }

    Map<String, LiveResult> results()
    {
        return results;
    }

    List<String> failures()
    {
        return failures;
    }

    List<String> skipped()
    {
        return skipped;
    }

    /**
     * The scripts C packetdrill passed in a mode on kernel 6.18.44 ({@code verdicts-c-kernel-6.18.44.tsv}: a
     * kernel without {@code sch_fq}, measured two at a time); empty when the suite has no such file.
     *
     * @param mode {@code ipv4}, {@code ipv6} or {@code mapped}, as the file names them.
     * @return the scripts, relative to {@link #SUITE}.
     * @throws IOException if the file cannot be read.
     */
    static java.util.Set<String> cPasses(final String mode) throws IOException
    {
        final Path verdicts = SUITE.resolve("verdicts-c-kernel-6.18.44.tsv");
        final java.util.Set<String> passes = new java.util.TreeSet<>();
        if (Files.isRegularFile(verdicts))
        {
            for (final String line : Files.readAllLines(verdicts))
            {
                final String[] columns = line.split("\t");
                if (3 == columns.length && mode.equals(columns[0]) && "1".equals(columns[2].strip()))
                {
                    passes.add(columns[1]);
                }
            }
        }
        return passes;
    }

    /**
     * Scripts that may be retried once, with why.
     *
     * @return script to reason.
     * @throws IOException if a list cannot be read.
     */
    static Map<String, String> timingSensitive() throws IOException
    {
        final Map<String, String> sensitive = new LinkedHashMap<>();
        for (final String line : Files.readAllLines(SUITE.resolve("baseline-flaky-ipv4.txt")))
        {
            if (!line.isBlank())
            {
                sensitive.put(line.strip().split("\\s+")[0], "timing-sensitive: baseline-flaky-ipv4.txt");
            }
        }
        for (final Map.Entry<String, String> entry : listed("/live-timing-sensitive.txt").entrySet())
        {
            sensitive.put(entry.getKey(), "timing-sensitive: " + entry.getValue());
        }
        return sensitive;
    }

    /**
     * A resource list of {@code script reason} lines ({@code #} comments).
     *
     * @param resource the resource name.
     * @return script to reason.
     * @throws IOException if it cannot be read.
     */
    static Map<String, String> listed(final String resource) throws IOException
    {
        final Map<String, String> listed = new LinkedHashMap<>();
        try (InputStream in = BaselineRun.class.getResourceAsStream(resource))
        {
            if (null == in)
            {
                throw new IOException("missing test resource " + resource);
            }
            for (final String raw : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
            {
                final String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#"))
                {
                    continue;
                }
                final int space = line.indexOf(' ');
                listed.put(space < 0 ? line : line.substring(0, space),
                    space < 0 ? "(no reason given)" : line.substring(space + 1).strip());
            }
        }
        return listed;
    }

    /** A timing error is the whole verdict: the packet or call was right, only its time was not. */
    private static boolean isTimingOnly(final LiveResult result)
    {
        final String message = String.valueOf(result.message());
        return message.contains(": timing error: ") || message.contains(": error handling packet: timing error: ");
    }

    /** What the script's commands printed (a refused sysctl says why only there), indented under its verdict. */
    private static String printed(final LiveResult result)
    {
        return result.output().isBlank() ? "" : "\n    | " + result.output().strip().replace("\n", "\n    | ");
    }

    private static String indent(final String message)
    {
        return String.valueOf(message).replace("\n", "\n    ");
    }
}

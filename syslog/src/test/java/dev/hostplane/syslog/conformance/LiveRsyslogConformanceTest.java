package dev.hostplane.syslog.conformance;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the conformance cases against a real rsyslogd ({@code conformance-tools/regenerate.sh
 * --check}): proves that the committed expected outputs are what rsyslogd 8.2302 writes, so
 * the engine is compared with rsyslog and not with a stale file. A self-test regenerates a
 * throw-away case and shows that the check fails on a tampered expected file. Skips (and
 * says why) when rsyslogd or bash is not installed.
 *
 * <p>Each case costs a start and a stop of rsyslogd, about 0.6 CPU-seconds, so all of them would
 * take most of the module's test time on two cores. The default run therefore checks every
 * third case in name order, a fixed sample that covers every feature prefix and still catches a
 * changed rsyslogd or a broken harness; {@code -Dhostplane.syslog.liveConformance=all} (or
 * {@code conformance-tools/regenerate.sh --check} itself) checks every case, which is what to run
 * after editing or regenerating a case. {@code ConformanceSuiteTest} compares the engine with every
 * case's expected output in either run.
 */
class LiveRsyslogConformanceTest
{
    /**
     * Every case takes about 90 s on an idle 2-core machine (4 cases at a time) and several
     * minutes when the machine is heavily shared; every case also has its own timeouts in
     * the script, so this only guards against a hang and must not make the test flaky.
     */
    private static final long TIMEOUT_SECONDS = 900;

    /** Set to {@code all} to check every case instead of the default sample. */
    static final String SCOPE_PROPERTY = "hostplane.syslog.liveConformance";

    private static final int SAMPLE_EVERY = 3;

    @Test
    void shouldMatchLiveRsyslogdForTheCheckedCases() throws IOException, InterruptedException
    {
        final Path script = Path.of("conformance-tools", "regenerate.sh").toAbsolutePath();
        final Path rsyslogd = findExecutable("rsyslogd", "/usr/sbin/rsyslogd", "/sbin/rsyslogd", "/usr/bin/rsyslogd");
        final Path bash = findExecutable("bash", "/bin/bash", "/usr/bin/bash");
        skipUnless(Files.isRegularFile(script), "regenerate.sh not found at " + script + " (test must run from the syslog module directory)");
        skipUnless(null != bash, "bash is not installed");
        skipUnless(null != rsyslogd, "rsyslogd is not installed (apt-get install -y rsyslog)");
        if (!Files.isRegularFile(Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")))
        {
            System.out.println("[conformance-live] note: libfaketime not installed (apt-get install -y faketime): "
                + "rsyslogd runs on today's clock, so year-less stamps only match while the year is the generation year");
        }

        final Path log = Files.createTempFile("hp-conformance-live-", ".log");
        try
        {
            final List<String> command = new java.util.ArrayList<>(List.of(bash.toString(), script.toString(), "--check"));
            if (!"all".equals(System.getProperty(SCOPE_PROPERTY)))
            {
                final List<String> sample = sampleOfCases(Path.of("src", "test", "resources", "conformance"));
                System.out.println("[conformance-live] checking a sample of " + sample.size() + " cases (one in "
                    + SAMPLE_EVERY + " in name order); -D" + SCOPE_PROPERTY + "=all checks every case");
                command.addAll(sample);
            }
            final ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
            pb.environment().put("RSYSLOGD", rsyslogd.toString());
            final Process process = pb.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                // The script traps TERM and stops its own rsyslogd by pid.
                process.destroy();
                if (!process.waitFor(15, TimeUnit.SECONDS))
                {
                    process.destroyForcibly();
                }
                throw new AssertionError("regenerate.sh --check did not finish within " + TIMEOUT_SECONDS + " s; output:\n" + tail(log));
            }
            final String output = Files.readString(log, StandardCharsets.UTF_8);
            final String summary = output.lines().filter(l -> l.startsWith("regenerate.sh mode=")).findFirst().orElse("(no summary line)");
            System.out.println("[conformance-live] " + summary);
            output.lines().filter(l -> l.startsWith("SKIP ")).forEach(l -> System.out.println("[conformance-live] " + l));
            assertThat(process.exitValue())
                .as("live rsyslogd differs from the committed expected outputs (run conformance-tools/regenerate.sh --check):\n%s", tail(log))
                .isZero();
            assertThat(summary).as("summary line").contains("failed=0");
        }
        finally
        {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void shouldRegenerateThenDetectATamperedExpectedFile() throws IOException, InterruptedException
    {
        final Path script = Path.of("conformance-tools", "regenerate.sh").toAbsolutePath();
        final Path rsyslogd = findExecutable("rsyslogd", "/usr/sbin/rsyslogd", "/sbin/rsyslogd", "/usr/bin/rsyslogd");
        final Path bash = findExecutable("bash", "/bin/bash", "/usr/bin/bash");
        skipUnless(Files.isRegularFile(script), "regenerate.sh not found at " + script);
        skipUnless(null != bash && null != rsyslogd, "bash or rsyslogd is not installed (apt-get install -y rsyslog)");

        final Path suite = Files.createTempDirectory("hp-conformance-selftest-");
        try
        {
            final Path c = Files.createDirectories(suite.resolve("selftest"));
            Files.writeString(c.resolve("rsyslog.conf"), String.join("\n",
                "global(localHostname=\"testhost\" net.enableDNS=\"off\")",
                "main_queue(queue.workerThreads=\"1\")",
                "module(load=\"imtcp\")",
                "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"@PORT@\")",
                "template(name=\"t\" type=\"string\" string=\"%hostname%|%programname%|%msg%\\n\")",
                "action(type=\"omfile\" file=\"@OUT@/sub/out.log\" template=\"t\")",
                ""), StandardCharsets.UTF_8);
            Files.writeString(c.resolve("input.txt"), "<13>Nov  3 08:01:08 host1 app[1]: hello\n<14>Nov  3 08:01:09 host2 other: world\n",
                StandardCharsets.UTF_8);

            final Result regenerated = runScript(bash, script, rsyslogd, "--cases", suite.toString(), "selftest");
            assertThat(regenerated.exitCode).as(regenerated.output).isZero();
            assertThat(Files.readString(c.resolve("expected/sub/out.log"), StandardCharsets.UTF_8))
                .isEqualTo("host1|app| hello\nhost2|other| world\n");
            assertThat(Files.readString(c.resolve("generated.properties"), StandardCharsets.UTF_8)).containsPattern("clock=\\d{4}-");

            final Result unchanged = runScript(bash, script, rsyslogd, "--check", "--cases", suite.toString(), "selftest");
            assertThat(unchanged.exitCode).as(unchanged.output).isZero();

            Files.writeString(c.resolve("expected/sub/out.log"), "host1|app| hello\nhost2|other| tampered\n", StandardCharsets.UTF_8);
            final Result tampered = runScript(bash, script, rsyslogd, "--check", "--cases", suite.toString(), "selftest");
            assertThat(tampered.exitCode).as(tampered.output).isEqualTo(1);
            assertThat(tampered.output).contains("FAIL selftest").contains("-host2|other| tampered").contains("+host2|other| world");
        }
        finally
        {
            try (java.util.stream.Stream<Path> walk = Files.walk(suite))
            {
                for (final Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static List<String> sampleOfCases(final Path casesDir) throws IOException
    {
        final List<String> names;
        try (java.util.stream.Stream<Path> list = Files.list(casesDir))
        {
            names = list.filter(d -> Files.isRegularFile(d.resolve("rsyslog.conf")))
                .map(d -> d.getFileName().toString())
                .sorted()
                .toList();
        }
        assertThat(names).as("conformance cases under %s", casesDir).isNotEmpty();
        final List<String> sample = new java.util.ArrayList<>();
        for (int i = 0; i < names.size(); i += SAMPLE_EVERY)
        {
            sample.add(names.get(i));
        }
        return sample;
    }

    private record Result(int exitCode, String output)
    {
    }

    private static Result runScript(final Path bash, final Path script, final Path rsyslogd, final String... args)
        throws IOException, InterruptedException
    {
        final List<String> command = new java.util.ArrayList<>(List.of(bash.toString(), script.toString()));
        command.addAll(List.of(args));
        final Path log = Files.createTempFile("hp-conformance-selftest-", ".log");
        try
        {
            final ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("RSYSLOGD", rsyslogd.toString());
            final Process process = pb.start();
            if (!process.waitFor(120, TimeUnit.SECONDS))
            {
                process.destroy();
                process.waitFor(15, TimeUnit.SECONDS);
                throw new AssertionError("regenerate.sh " + String.join(" ", args) + " did not finish; output:\n" + tail(log));
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        }
        finally
        {
            Files.deleteIfExists(log);
        }
    }

    private static void skipUnless(final boolean condition, final String reason)
    {
        if (!condition)
        {
            System.out.println("[conformance-live] skipped: " + reason);
        }
        assumeTrue(condition, reason);
    }

    private static Path findExecutable(final String name, final String... candidates)
    {
        for (final String c : candidates)
        {
            final Path p = Path.of(c);
            if (Files.isExecutable(p))
            {
                return p;
            }
        }
        final String path = System.getenv("PATH");
        if (null != path)
        {
            for (final String dir : path.split(":"))
            {
                final Path p = Path.of(dir, name);
                if (!dir.isEmpty() && Files.isExecutable(p))
                {
                    return p;
                }
            }
        }
        return null;
    }

    private static String tail(final Path log) throws IOException
    {
        final List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }
}

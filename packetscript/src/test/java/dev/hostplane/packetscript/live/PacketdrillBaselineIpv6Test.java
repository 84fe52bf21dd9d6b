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
 * The ipv6 counterpart of {@link PacketdrillBaselineIpv4Test}: every baseline script that can pass in ipv6
 * mode (the ipv4 baseline minus {@code *v4.pkt} and the scripts listed with a reason in
 * {@code live-ipv6-not-applicable.txt}, which is exactly the 97 + 1 flaky scripts that make up C packetdrill's
 * 98 ipv6 passes here) runs with {@code --ip_version=ipv6} and must not fail functionally. Exercises the ipv6
 * paths: tun0 addresses and routes, IPv6 headers and flow label, ICMPv6, SOL_IPV6 cmsgs, sockaddr_in6.
 * Every failure gets one serial retry; a script that still fails only by a timing error is printed and
 * counted, not failed (same reasoning as the ipv4 test), unless {@code -Dpacketscript.strictTiming=true}.
 *
 * <p>{@code -Dpacketscript.only=REGEX} runs a subset; {@code -Dpacketscript.parallelism=N} (default 2).
 */
class PacketdrillBaselineIpv6Test
{
    private static final Path SUITE = Path.of(System.getProperty("hostplane.shared", "../../shared"))
        .resolve("conformance/packetdrill");

    @BeforeEach
    void setUp()
    {
        LiveAssumptions.assumeNamespaces();
        if (!Files.isDirectory(SUITE))
        {
            System.out.println("SKIPPED packetdrill ipv6 baseline: no suite at " + SUITE.toAbsolutePath());
        }
        assumeTrue(Files.isDirectory(SUITE), "packetdrill suite missing at " + SUITE.toAbsolutePath());
    }

    @Test
    void shouldPassEveryApplicableBaselineScriptInIpv6Mode() throws Exception
    {
        final Set<String> notApplicable = listedScripts("/live-ipv6-not-applicable.txt");
        final String only = System.getProperty("packetscript.only", "");
        final int parallelism = Integer.getInteger("packetscript.parallelism", 2);
        final List<Path> toRun = new ArrayList<>();
        for (final String line : Files.readAllLines(SUITE.resolve("baseline-pass-ipv4.txt")))
        {
            final String script = line.strip();
            if (!script.isEmpty() && !script.endsWith("v4.pkt") && !notApplicable.contains(script) &&
                (only.isEmpty() || script.matches(only)))
            {
                toRun.add(SUITE.resolve(script));
            }
        }
        assertThat(notApplicable).as("every not-applicable script is in the baseline").allSatisfy(
            (script) -> assertThat(Files.isRegularFile(SUITE.resolve(script))).as(script).isTrue());

        final long start = System.nanoTime();
        final List<LiveResult> first = SuiteRunner.run(toRun, SuiteMode.IPV6, Map.of(), parallelism, (r) -> { });
        final Map<String, LiveResult> results = new LinkedHashMap<>();
        final List<Path> retry = new ArrayList<>();
        for (int i = 0; i < toRun.size(); i++)
        {
            results.put(SUITE.relativize(toRun.get(i)).toString(), first.get(i));
            if (!first.get(i).passed())
            {
                retry.add(toRun.get(i));
            }
        }
        if (!retry.isEmpty())
        {
            final List<LiveResult> second = SuiteRunner.run(retry, SuiteMode.IPV6, Map.of(), 1, (r) -> { });
            for (int i = 0; i < retry.size(); i++)
            {
                final String name = SUITE.relativize(retry.get(i)).toString();
                System.out.println("retried " + name + ": " + (second.get(i).passed() ? "pass" : "FAIL again"));
                results.put(name, second.get(i));
            }
        }
        final long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        final boolean strictTiming = Boolean.getBoolean("packetscript.strictTiming");
        int passed = 0;
        int timingOnly = 0;
        final List<String> failures = new ArrayList<>();
        for (final Map.Entry<String, LiveResult> entry : results.entrySet())
        {
            final LiveResult result = entry.getValue();
            if (result.passed())
            {
                passed++;
            }
            else if (!strictTiming && String.valueOf(result.message()).contains("timing error"))
            {
                timingOnly++;
                System.out.println("TIMING " + entry.getKey() + "\n    " + result.message().replace("\n", "\n    "));
            }
            else
            {
                failures.add(entry.getKey());
                System.out.println("FAIL " + entry.getKey() + "\n    " +
                    String.valueOf(result.message()).replace("\n", "\n    "));
            }
        }
        System.out.printf("packetdrill ipv6 baseline: %d passed, %d failed of %d (%d of them only by timing " +
            "errors after a retry; %d not applicable in ipv6), %.1f s with parallelism %d%n", passed,
            results.size() - passed, results.size(), timingOnly, notApplicable.size(), elapsedMillis / 1000.0,
            parallelism);
        assertThat(failures).as("baseline scripts failing in ipv6 mode other than by timing").isEmpty();
    }

    private static Set<String> listedScripts(final String resource) throws IOException
    {
        final Set<String> scripts = new TreeSet<>();
        try (InputStream in = PacketdrillBaselineIpv6Test.class.getResourceAsStream(resource))
        {
            assertThat(in).as(resource).isNotNull();
            for (final String raw : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
            {
                final String line = raw.strip();
                if (!line.isEmpty() && !line.startsWith("#"))
                {
                    final int space = line.indexOf(' ');
                    scripts.add(space < 0 ? line : line.substring(0, space));
                }
            }
        }
        return scripts;
    }
}

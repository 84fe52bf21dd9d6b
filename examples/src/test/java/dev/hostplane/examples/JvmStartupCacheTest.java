package dev.hostplane.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start-up cache the JVM cannot map: the launcher's real entry point, in a real JVM of the JDK running
 * the tests, given a damaged cache with the flags {@code bin/hostplane} passes, starts anyway and says so
 * in exactly one line; with the JDK's own archive in use it says nothing.
 */
class JvmStartupCacheTest
{
    @TempDir
    Path dir;

    @Test
    void shouldStartWithoutADamagedCacheAndSayItInOneLine() throws Exception
    {
        final Path cache = dir.resolve("damaged.cache");
        Files.write(cache, new byte[4096]);
        final List<String> flags = Runtime.version().feature() >= 25 ?
            List.of("-XX:AOTCache=" + cache, "-Xlog:aot=off") :
            List.of("-XX:SharedArchiveFile=" + cache, "-Xlog:cds=off");
        final Result result = run(flags, "-D" + JvmStartupCache.PROPERTY + "=" + cache);

        assertThat(result.exit).as(result.stderr).isZero();
        assertThat(result.stdout).contains("hostplane");
        final List<String> lines = result.stderr.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as(result.stderr).hasSize(1);
        assertThat(lines.get(0)).contains("WARN", "start-up cache " + cache, "HOSTPLANE_JVM_CACHE=off");
    }

    @Test
    void shouldSayNothingWhileTheJvmSharesClasses() throws Exception
    {
        assumeTrue(System.getProperty("java.vm.info", "").contains("sharing"),
            "this JDK maps no class-data-sharing archive by default (java.vm.info has no 'sharing'), so a JVM " +
            "started from it cannot show a cache in use");
        final Result result = run(List.of(), "-D" + JvmStartupCache.PROPERTY + "=" + dir.resolve("in-use.cache"));

        assertThat(result.exit).as(result.stderr).isZero();
        assertThat(result.stderr).isBlank();
    }

    private record Result(int exit, String stdout, String stderr)
    {
    }

    private static Result run(final List<String> flags, final String property) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(flags);
        command.add(property);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Hostplane.class.getName(), "--version"));
        final Process p = new ProcessBuilder(command).start();
        final byte[] err = p.getErrorStream().readAllBytes();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out, new String(err, StandardCharsets.UTF_8));
    }
}

package dev.hostplane.examples.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM flags {@code bin/hostplane} chooses per subcommand, read from the argument list it hands to
 * {@code java}: the launcher is copied into a scratch tree with a stand-in jar, and {@code JAVA_HOME}
 * points at a fake {@code java} that answers the version probe and prints its arguments one per line.
 */
class LauncherJvmFlagsTest
{
    private static final Path LAUNCHER = Path.of("..", "bin", "hostplane").toAbsolutePath().normalize();
    private static final String DONT_INLINE =
        "-XX:CompileCommand=dontinline,org.apache.kafka.clients.producer.internals.RecordAccumulator::tryAppend";

    @TempDir
    Path root;

    private Path javaHome;

    @BeforeEach
    void scratchTree() throws IOException
    {
        Files.createDirectories(root.resolve("bin"));
        Files.copy(LAUNCHER, root.resolve("bin/hostplane"));
        Files.createDirectories(root.resolve("examples/target/classes"));
        Files.writeString(root.resolve("examples/target/hostplane.jar"), "stand-in");
        Files.writeString(root.resolve("examples/target/classes/hostplane-jvm.flags"), "-Dfrom.flags.file=1\n");
        javaHome = fakeJdk("17");
    }

    /** A JDK directory whose java answers the version probe as {@code feature}.0.0-fake and prints its arguments. */
    private Path fakeJdk(final String feature) throws IOException
    {
        final Path home = Files.createDirectories(root.resolve("jdk" + feature + "/bin")).getParent();
        final Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/usr/bin/env bash\n" +
            "if [[ \"$1\" == -XshowSettings:properties ]]; then\n" +
            "  printf '    java.specification.version = " + feature + "\\n    java.vm.version = " + feature +
            ".0.0-fake\\n' >&2; exit 0\n" +
            "fi\n" +
            "printf '%s\\n' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    /** A start-up cache file for the fake JDK of that feature version, newer than the stand-in jar. */
    private Path cacheFile(final String feature, final String suffix) throws IOException
    {
        final Path cache = Files.createDirectories(root.resolve("examples/target/jvm-cache"))
            .resolve(feature + ".0.0-fake." + suffix);
        Files.writeString(cache, "recorded");
        final Path jar = root.resolve("examples/target/hostplane.jar");
        Files.setLastModifiedTime(cache, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 10_000));
        return cache;
    }

    @Test
    void shouldPassTheAotCacheOfThisJvmAndNameItForTheOneLineFallback() throws Exception
    {
        javaHome = fakeJdk("25");
        final Path cache = cacheFile("25", "aot");
        assertThat(jvmArgs(Map.of(), "syslogd", "-f", "x.conf"))
            .contains("-XX:AOTCache=" + cache, "-Xlog:aot=off", "-Dhostplane.jvm.cache=" + cache);
        assertThat(jvmArgs(Map.of("HOSTPLANE_JVM_CACHE", "off"), "syslogd")).noneMatch(a -> a.contains("AOTCache"));

        // A jar built after the cache was recorded: the cache describes other classes, so it is left out.
        Files.setLastModifiedTime(cache, FileTime.fromMillis(0));
        assertThat(jvmArgs(Map.of(), "syslogd")).noneMatch(a -> a.contains("AOTCache") || a.contains("hostplane.jvm.cache"));
    }

    @Test
    void shouldUseTheClassDataSharingArchiveOnlyWhenAskedFor() throws Exception
    {
        final Path cache = cacheFile("17", "jsa");
        assertThat(jvmArgs(Map.of(), "syslogd")).noneMatch(a -> a.contains("SharedArchiveFile"));
        assertThat(jvmArgs(Map.of("HOSTPLANE_JVM_CACHE", "cds"), "syslogd"))
            .contains("-XX:SharedArchiveFile=" + cache, "-Xlog:cds=off", "-Dhostplane.jvm.cache=" + cache);
    }

    @Test
    void shouldGivePacketscriptCommandsTheirOwnCacheOnEveryJdk() throws Exception
    {
        final Path archive = cacheFile("17", "packetscript.jsa");
        assertThat(jvmArgs(Map.of(), "packetscript", "--ip_version=ipv4", "a.pkt"))
            .contains("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Dhostplane.jvm.cache=" + archive);
        assertThat(jvmArgs(Map.of(), "packetscript", "run-all", "suite")).contains("-XX:SharedArchiveFile=" + archive);
        assertThat(jvmArgs(Map.of(), "syslogd")).noneMatch(a -> a.contains("SharedArchiveFile"));
        assertThat(jvmArgs(Map.of("HOSTPLANE_JVM_CACHE", "off"), "packetscript", "a.pkt"))
            .noneMatch(a -> a.contains("SharedArchiveFile"));

        javaHome = fakeJdk("25");
        final Path shared = cacheFile("25", "aot");
        final Path own = cacheFile("25", "packetscript.aot");
        assertThat(jvmArgs(Map.of(), "packetscript", "a.pkt"))
            .contains("-XX:AOTCache=" + own, "-Xlog:aot=off", "-Dhostplane.jvm.cache=" + own)
            .doesNotContain("-XX:AOTCache=" + shared);
        assertThat(jvmArgs(Map.of(), "syslogd")).contains("-XX:AOTCache=" + shared);
        // Without its own cache (an older build), packetscript still starts with the shared one.
        Files.delete(own);
        assertThat(jvmArgs(Map.of(), "packetscript", "a.pkt")).contains("-XX:AOTCache=" + shared);
    }

    @Test
    void shouldPointJnaAtTheNativeLibraryTheBuildUnpackedWhileItIsNewerThanTheJar() throws Exception
    {
        assertThat(jvmArgs(Map.of(), "packetscript", "a.pkt")).noneMatch(a -> a.contains("jna.boot.library.path"));
        final Path jna = cacheFile("17", "jsa").resolveSibling("jna");
        final Path library = Files.createDirectories(jna).resolve("libjnidispatch.so");
        Files.writeString(library, "unpacked");
        final Path jar = root.resolve("examples/target/hostplane.jar");
        Files.setLastModifiedTime(library, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 10_000));
        assertThat(jvmArgs(Map.of(), "packetscript", "a.pkt")).contains("-Djna.boot.library.path=" + jna);
        assertThat(jvmArgs(Map.of(), "switch", "run")).contains("-Djna.boot.library.path=" + jna);
        assertThat(jvmArgs(Map.of("HOSTPLANE_JVM_CACHE", "off"), "packetscript", "a.pkt"))
            .noneMatch(a -> a.contains("jna.boot.library.path"));
        assertThat(jvmArgs(Map.of("HOSTPLANE_JAVA_OPTS", "-Djna.boot.library.path=/elsewhere"), "packetscript", "a.pkt"))
            .contains("-Djna.boot.library.path=/elsewhere").doesNotContain("-Djna.boot.library.path=" + jna);
        // Left from an older jar: JNA would refuse a library of another version, so it unpacks its own again.
        Files.setLastModifiedTime(library, FileTime.fromMillis(0));
        assertThat(jvmArgs(Map.of(), "packetscript", "a.pkt")).noneMatch(a -> a.contains("jna.boot.library.path"));
    }

    @Test
    void shouldAskAJavaForItsVersionAgainWhenItsPathLeadsToAnotherBinary() throws Exception
    {
        // The probe is kept per java path; here it names another binary, as after an alternatives switch.
        final Path cache = cacheFile("25", "aot");
        final Path java = javaHome.resolve("bin/java");
        final Path probe = cache.getParent().resolve("probe" + java.toString().replaceAll("[^A-Za-z0-9._-]", "_"));
        Files.writeString(probe, "25 25.0.0-fake " + root.resolve("elsewhere/java") + "\n");
        assertThat(jvmArgs(Map.of(), "syslogd")).noneMatch(a -> a.contains("AOTCache"));
        assertThat(Files.readString(probe)).startsWith("17 17.0.0-fake " + java.toRealPath());

        javaHome = fakeJdk("25");
        final Path java25 = javaHome.resolve("bin/java");
        final Path probe25 = cache.getParent().resolve("probe" + java25.toString().replaceAll("[^A-Za-z0-9._-]", "_"));
        assertThat(jvmArgs(Map.of(), "syslogd")).contains("-XX:AOTCache=" + cache);
        // Asked once, kept: the second start reads the probe file.
        assertThat(Files.readString(probe25)).startsWith("25 25.0.0-fake ");
        assertThat(jvmArgs(Map.of(), "syslogd")).contains("-XX:AOTCache=" + cache);
    }

    @Test
    void shouldKeepTheKafkaAppendPathApartFromItsCallerInTheDaemonOnly() throws Exception
    {
        final List<String> daemon = jvmArgs(Map.of(), "syslogd", "-f", "x.conf");
        assertThat(daemon).contains("-XX:CompileCommand=quiet", DONT_INLINE, "-XX:+UseSerialGC", "-Dfrom.flags.file=1");
        assertThat(daemon.indexOf(DONT_INLINE)).isLessThan(daemon.indexOf("-jar"));
        assertThat(daemon.subList(daemon.indexOf("-jar"), daemon.size()))
            .containsExactly("-jar", root.resolve("examples/target/hostplane.jar").toString(), "syslogd", "-f", "x.conf");

        assertThat(jvmArgs(Map.of(), "syslog", "check", "--config", "x.conf"))
            .contains("-XX:TieredStopAtLevel=1")
            .doesNotContain(DONT_INLINE);
        assertThat(jvmArgs(Map.of(), "pipe", "serve")).doesNotContain(DONT_INLINE);
    }

    @Test
    void shouldRunASingleScriptOnC1AndASuiteWithAllTiers() throws Exception
    {
        assertThat(jvmArgs(Map.of(), "packetscript", "--ip_version=ipv4", "a.pkt"))
            .contains("-XX:TieredStopAtLevel=1").doesNotContain(DONT_INLINE);
        assertThat(jvmArgs(Map.of(), "packetscript", "run-all", "suite")).doesNotContain("-XX:TieredStopAtLevel=1");
        assertThat(jvmArgs(Map.of("HOSTPLANE_JAVA_OPTS", "-XX:-TieredCompilation"), "packetscript", "a.pkt"))
            .contains("-XX:-TieredCompilation").doesNotContain("-XX:TieredStopAtLevel=1");
    }

    @Test
    void shouldGiveTheDaemonSmallerInliningLimitsUnlessHostplaneJavaOptsSetsOne() throws Exception
    {
        final String[] limits = {"-XX:MaxInlineSize=20", "-XX:FreqInlineSize=120", "-XX:InlineSmallCode=1000"};
        final List<String> daemon = jvmArgs(Map.of(), "syslogd", "-f", "x.conf");
        assertThat(daemon).contains(limits);
        assertThat(daemon.indexOf(limits[0])).isLessThan(daemon.indexOf("-jar"));
        assertThat(jvmArgs(Map.of(), "syslog", "replay", "--config", "x.conf")).doesNotContain(limits);

        final List<String> own = jvmArgs(Map.of("HOSTPLANE_JAVA_OPTS", "-XX:FreqInlineSize=325"), "syslogd");
        assertThat(own).contains("-XX:FreqInlineSize=325").doesNotContain(limits);
    }

    @Test
    void shouldLeaveTheCompilerToACompileCommandInHostplaneJavaOpts() throws Exception
    {
        final List<String> daemon = jvmArgs(Map.of("HOSTPLANE_JAVA_OPTS", "-XX:CompileCommand=print,Foo::bar"), "syslogd");
        assertThat(daemon).contains("-XX:CompileCommand=print,Foo::bar").doesNotContain(DONT_INLINE);
    }

    private List<String> jvmArgs(final Map<String, String> env, final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(root.resolve("bin/hostplane").toString());
        command.addAll(List.of(args));
        final ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("HOSTPLANE_JAVA_OPTS");
        pb.environment().remove("HOSTPLANE_JVM_CACHE");
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.environment().putAll(env);
        final Process p = pb.start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return List.of(out.split("\n"));
    }
}

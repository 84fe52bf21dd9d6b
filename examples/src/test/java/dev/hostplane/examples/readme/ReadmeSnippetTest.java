package dev.hostplane.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.hostplane.syslog.SyslogReplay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The README's Java snippets and JVM flags, checked the way a user meets them: each snippet is a
 * program in this package, pasted into the README verbatim, and run in a fresh JVM started with
 * exactly the flags the README lists for its module. With them the module must take its fast path
 * (Agrona rings for vswitch, sendfile for iopipe) without a warning; without any one of them it must
 * not, so the list is both sufficient and minimal.
 */
class ReadmeSnippetTest
{
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path SNIPPETS = Path.of("src/main/java/dev/hostplane/examples/readme");
    private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    private static final long TIMEOUT_SECONDS = 60;
    /** A warning or error line of slf4j-simple, with or without the thread name in front. */
    private static final Pattern SLF4J_WARNING = Pattern.compile("(^|\\s)(WARN|ERROR) ");

    /**
     * A README snippet: its region name, the module whose flags it runs with ({@code null}: none),
     * and what its output says on the fast path.
     */
    record Snippet(String module, String flagsOf, Class<?> program, Pattern fastPath)
    {
        Snippet(final String module, final Class<?> program, final Pattern fastPath)
        {
            this(module, module, program, fastPath);
        }

        List<String> flags() throws IOException
        {
            return null == flagsOf ? List.of() : ReadmeSnippetTest.flags(flagsOf);
        }

        @Override
        public String toString()
        {
            return null == module ? program.getSimpleName() : module;
        }
    }

    static Stream<Snippet> snippets()
    {
        return Stream.of(
            new Snippet("vswitch", VswitchReadme.class, Pattern.compile("vm2 received a 60-byte frame; vm1 rx=1")),
            new Snippet("iopipe", IopipeReadme.class, Pattern.compile("moved 4194304 bytes by SENDFILE")),
            new Snippet("flashcache", FlashcacheReadme.class, Pattern.compile("block 7 byte 0 = 42; ")),
            new Snippet("syslog", null, SyslogReadme.class,
                Pattern.compile("-11-03T08:01:02\\S* mail01 postfix/smtpd\\[4242\\]: connect from unknown")),
            new Snippet("syslogd", "syslog", SyslogDaemonReadme.class,
                Pattern.compile("-11-03T08:01:02\\S* app01 myapp\\[7\\]: hello over TCP")),
            new Snippet(null, "syslog", SyslogForwardProbe.class,
                Pattern.compile("forwarded: <13>Nov  3 08:01:02 app01 myapp\\[7\\]: forwarded over TCP")));
    }

    /** The modules that list flags, each with the programs that run with them. */
    static Stream<String> modulesWithFlags()
    {
        return snippets().map(Snippet::flagsOf).filter(java.util.Objects::nonNull).distinct();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snippets")
    void shouldTakeTheFastPathWithExactlyTheDocumentedFlags(final Snippet snippet) throws Exception
    {
        final Run run = Run.of(snippet.program(), snippet.flags());

        assertThat(run.exit).as(run.toString()).isZero();
        assertThat(run.stdout).as(run.toString()).containsPattern(snippet.fastPath());
        assertThat(run.warnings()).as(run.toString()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modulesWithFlags")
    void shouldLoseTheFastPathWithoutAnyOneOfTheDocumentedFlags(final String module) throws Exception
    {
        final List<Snippet> programs = snippets().filter((s) -> module.equals(s.flagsOf())).toList();
        for (final String flag : flags(module))
        {
            if (NATIVE_ACCESS.equals(flag) && Runtime.version().feature() < 22)
            {
                System.out.println("ReadmeSnippetTest: " + module + " without " + flag +
                    " not checked: Java " + Runtime.version().feature() + " allows native access without it (22+ warns)");
                continue;
            }
            final List<String> without = new ArrayList<>(flags(module));
            without.remove(flag);
            final List<Run> runs = new ArrayList<>();
            boolean lost = false;
            for (final Snippet program : programs)
            {
                final Run run = Run.of(program.program(), without);
                runs.add(run);
                lost |= !(0 == run.exit && program.fastPath().matcher(run.stdout).find() && run.warnings().isEmpty());
            }
            assertThat(lost).as("%s is listed for %s, yet every program took the fast path without it:%n%s", flag,
                module, runs).isTrue();
        }
    }

    @Test
    void shouldPasteEverySnippetIntoTheReadmeVerbatim() throws IOException
    {
        final String readme = Files.readString(ROOT.resolve("README.md"));
        for (final Snippet snippet : snippets().filter((s) -> null != s.module()).toList())
        {
            final Path source = SNIPPETS.resolve(snippet.program().getSimpleName() + ".java");
            final String block = readmeBlock(Files.readAllLines(source), snippet.module());

            assertThat(readme).as("README lacks the %s snippet of %s as a java block:%n%s", snippet.module(), source, block)
                .contains("```java\n" + block + "```\n");
        }
    }

    @Test
    void shouldRunTheSyslogQuickStartSampleShippedWithTheReadme(@TempDir final Path dir) throws Exception
    {
        final Path sample = ROOT.resolve("examples/syslog");
        final Path config = dir.resolve("rsyslog.conf");
        Files.writeString(config,
            Files.readString(sample.resolve("rsyslog.conf")).replace("/tmp/hostplane-quickstart", dir.toString()));

        SyslogReplay.builder().config(config).input(sample.resolve("messages.txt")).zone(ZoneOffset.UTC).build().run();

        assertThat(Files.readAllLines(dir.resolve("mail.log"))).hasSize(2).allMatch((l) -> l.contains(" mail01 postfix/"));
        assertThat(Files.readAllLines(dir.resolve("ssh.log"))).hasSize(2).allMatch((l) -> l.contains(" web01 sshd["));
        assertThat(Files.readAllLines(dir.resolve("errors.log"))).hasSize(2);
        assertThat(Files.readAllLines(dir.resolve("messages"))).hasSize(4).noneMatch((l) -> l.contains("postfix"));
    }

    @Test
    void shouldListEveryModulesFlagsInTheReadme() throws IOException
    {
        final List<String> rows = Files.readAllLines(ROOT.resolve("README.md")).stream()
            .filter((line) -> line.startsWith("| `")).toList();
        for (final String module : List.of("vswitch", "iopipe", "flashcache", "syslog", "packetscript"))
        {
            final String row = rows.stream().filter((line) -> line.startsWith("| `" + module + "` |")).findFirst()
                .orElseThrow(() -> new AssertionError("README has no flag row | `" + module + "` |"));
            final String cell = row.split("\\|")[2];
            final Set<String> listed = new LinkedHashSet<>();
            final var matcher = Pattern.compile("`(--[^`]+|-D[^`]+)`").matcher(cell);
            while (matcher.find())
            {
                listed.add(matcher.group(1));
            }
            assertThat(listed).as("README flags of %s: %s", module, row).containsExactlyElementsOf(flags(module));
        }
    }

    @Test
    void shouldStartTestsBenchmarksAndTheLauncherWithTheUnionOfTheModulesFlags() throws IOException
    {
        final Set<String> union = new LinkedHashSet<>();
        for (final String module : List.of("vswitch", "iopipe", "flashcache", "syslog", "packetscript"))
        {
            union.addAll(flags(module));
        }
        assertThat(flags("all")).containsExactlyInAnyOrderElementsOf(union);
    }

    /**
     * The README block of a snippet: its import region, a blank line, then its code region
     * without the indentation it has in the program.
     */
    private static String readmeBlock(final List<String> lines, final String module)
    {
        final List<List<String>> regions = new ArrayList<>();
        List<String> region = null;
        for (final String line : lines)
        {
            if (line.strip().equals("// README " + module))
            {
                region = new ArrayList<>();
            }
            else if (line.strip().equals("// README end"))
            {
                regions.add(region);
                region = null;
            }
            else if (null != region)
            {
                region.add(line);
            }
        }
        assertThat(regions).as("regions marked // README %s", module).hasSize(2);
        final int indent = regions.get(1).stream().filter((l) -> !l.isBlank())
            .mapToInt((l) -> l.length() - l.stripLeading().length()).min().orElse(0);
        final StringBuilder block = new StringBuilder();
        regions.get(0).forEach((l) -> block.append(l).append('\n'));
        block.append('\n');
        regions.get(1).forEach((l) -> block.append(l.isBlank() ? "" : l.substring(indent)).append('\n'));
        return block.toString();
    }

    private static List<String> flags(final String module) throws IOException
    {
        final Properties properties = new Properties();
        try (InputStream in = ReadmeSnippetTest.class.getResourceAsStream("/hostplane-module-flags.properties"))
        {
            properties.load(in);
        }
        final String value = properties.getProperty(module);
        assertThat(value).as("flags of %s", module).isNotNull().doesNotContain("${");
        return Arrays.stream(value.trim().split("\\s+")).filter((f) -> !f.isEmpty()).toList();
    }

    /** One child JVM: the program's exit status, standard output and standard error. */
    private record Run(List<String> command, int exit, String stdout, String stderr)
    {
        static Run of(final Class<?> program, final List<String> flags) throws IOException, InterruptedException
        {
            final String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            final List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(flags);
            command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classPath, program.getName()));
            final Path out = Files.createTempFile("readme-snippet", ".out");
            final Path err = Files.createTempFile("readme-snippet", ".err");
            try
            {
                final Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
                {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError(program.getSimpleName() + " did not finish within " + TIMEOUT_SECONDS +
                        " s with flags " + flags + "; stderr:\n" + Files.readString(err));
                }
                return new Run(command.stream().filter((c) -> !c.equals(classPath)).toList(), process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            }
            finally
            {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        }

        /** JVM warnings (restricted or deprecated access) and SLF4J warnings: a fast path is taken silently. */
        List<String> warnings()
        {
            return stderr.lines().filter((l) -> l.startsWith("WARNING:") || SLF4J_WARNING.matcher(l).find())
                .collect(Collectors.toList());
        }

        @Override
        public String toString()
        {
            return "command: " + String.join(" ", command) + "\nexit: " + exit + "\nstdout:\n" + stdout + "stderr:\n" + stderr;
        }
    }
}

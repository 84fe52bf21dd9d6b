package dev.hostplane.syslog.conformance;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * One conformance case folder (see {@code src/test/resources/conformance/README.md}): the
 * rsyslog config, the input frames, the files rsyslogd wrote, and the case's time zone and
 * regeneration clock.
 */
final class ConformanceCase
{
    /** Port substituted for {@code @PORT@}: the replay checks inputs but does not start them. */
    static final String REPLAY_PORT = "10514";

    private static final String CONFIG = "rsyslog.conf";
    private static final String INPUT = "input.txt";
    private static final String EXPECTED = "expected";
    private static final String CASE_PROPERTIES = "case.properties";
    private static final String GENERATED_PROPERTIES = "generated.properties";

    private final String name;
    private final Path dir;
    private final Properties properties;
    private final Properties generated;

    private ConformanceCase(final String name, final Path dir, final Properties properties, final Properties generated)
    {
        this.name = name;
        this.dir = dir;
        this.properties = properties;
        this.generated = generated;
    }

    /**
     * The conformance folder: the module's source tree when the test runs from the module
     * directory (surefire does), else the copy on the test class path.
     */
    static Path suiteDirectory()
    {
        final Path source = Path.of("src", "test", "resources", "conformance").toAbsolutePath();
        if (Files.isDirectory(source))
        {
            return source;
        }
        final java.net.URL url = ConformanceCase.class.getResource("/conformance/README.md");
        if (null == url)
        {
            throw new IllegalStateException("conformance folder not found: tried=" + source + " and classpath /conformance");
        }
        try
        {
            return Path.of(url.toURI()).getParent();
        }
        catch (final java.net.URISyntaxException ex)
        {
            throw new IllegalStateException("conformance folder url=" + url, ex);
        }
    }

    /** Every case folder (one holding an rsyslog.conf), sorted by name. */
    static List<ConformanceCase> loadAll(final Path suite)
    {
        final List<ConformanceCase> cases = new ArrayList<>();
        try (Stream<Path> children = Files.list(suite))
        {
            final List<Path> dirs = children.filter(p -> Files.isRegularFile(p.resolve(CONFIG))).sorted().toList();
            for (final Path d : dirs)
            {
                cases.add(new ConformanceCase(
                    d.getFileName().toString(), d, readProperties(d.resolve(CASE_PROPERTIES)), readProperties(d.resolve(GENERATED_PROPERTIES))));
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list conformance cases dir=" + suite, ex);
        }
        return cases;
    }

    private static Properties readProperties(final Path file) throws IOException
    {
        final Properties p = new Properties();
        if (Files.isRegularFile(file))
        {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8))
            {
                p.load(r);
            }
        }
        return p;
    }

    String name()
    {
        return name;
    }

    Path dir()
    {
        return dir;
    }

    Path input()
    {
        return dir.resolve(INPUT);
    }

    Path expectedDir()
    {
        return dir.resolve(EXPECTED);
    }

    String description()
    {
        return properties.getProperty("description", "");
    }

    /** Spec rows this case covers (e.g. SL-M2), from case.properties. */
    List<String> rows()
    {
        final String rows = properties.getProperty("rows", "").trim();
        return rows.isEmpty() ? Collections.emptyList() : Arrays.stream(rows.split(",")).map(String::trim).toList();
    }

    /** The receiver's time zone (the TZ rsyslogd ran with). */
    ZoneId zone()
    {
        return ZoneId.of(properties.getProperty("tz", "UTC").trim());
    }

    /**
     * A clock fixed at the instant the expected outputs were generated, so year-less RFC 3164
     * stamps and {@code $year}/{@code $now} get the values rsyslogd gave them.
     */
    Clock clock()
    {
        final String clock = generated.getProperty("clock");
        if (null == clock)
        {
            throw new IllegalStateException("case=" + name + " has no clock in " + GENERATED_PROPERTIES + ": run conformance-tools/regenerate.sh " + name);
        }
        return Clock.fixed(Instant.parse(clock.trim()), zone());
    }

    /**
     * Copies every file of the case except input and expected outputs into {@code target},
     * replacing the placeholders, and returns the path of the copied rsyslog.conf.
     *
     * @param target empty directory for the substituted copy (it becomes {@code @CASEDIR@}).
     * @param out    the output directory ({@code @OUT@}).
     */
    Path materialise(final Path target, final Path out) throws IOException
    {
        final List<Path> files;
        try (Stream<Path> walk = Files.walk(dir))
        {
            files = walk.filter(Files::isRegularFile)
                .filter(p -> !dir.relativize(p).startsWith(EXPECTED))
                .filter(p -> !p.getFileName().toString().equals(INPUT) || !p.getParent().equals(dir))
                .filter(p -> !p.getFileName().toString().equals(GENERATED_PROPERTIES) || !p.getParent().equals(dir))
                .toList();
        }
        for (final Path f : files)
        {
            final Path copy = target.resolve(dir.relativize(f).toString());
            Files.createDirectories(copy.getParent());
            final String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            final String substituted = text
                .replace("@OUT@", out.toAbsolutePath().toString())
                .replace("@PORT@", REPLAY_PORT)
                .replace("@CASEDIR@", target.toAbsolutePath().toString())
                .replace("@SENTINEL@", "");
            Files.write(copy, substituted.getBytes(StandardCharsets.ISO_8859_1));
        }
        return target.resolve(CONFIG);
    }
}

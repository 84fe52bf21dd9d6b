package dev.hostplane.syslog.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code known-failures.txt}: cases the engine does not pass yet, one per line as
 * {@code <case> <reason>}; {@code #} starts a comment. Such a case is reported as skipped with
 * its reason, and fails when it passes, so the list can only shrink.
 */
final class KnownFailures
{
    static final String FILE_NAME = "known-failures.txt";

    private final Map<String, String> reasons;
    private final Path file;

    private KnownFailures(final Path file, final Map<String, String> reasons)
    {
        this.file = file;
        this.reasons = reasons;
    }

    static KnownFailures load(final Path suite)
    {
        final Path file = suite.resolve(FILE_NAME);
        final Map<String, String> reasons = new LinkedHashMap<>();
        if (!Files.isRegularFile(file))
        {
            return new KnownFailures(file, reasons);
        }
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + file, ex);
        }
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final int space = indexOfWhitespace(line);
            final String name = space < 0 ? line : line.substring(0, space);
            final String reason = space < 0 ? "" : line.substring(space).strip();
            if (reason.isEmpty())
            {
                throw new IllegalStateException(file + ":" + (i + 1) + ":1: known failure without a reason: case=" + name);
            }
            if (null != reasons.put(name, reason))
            {
                throw new IllegalStateException(file + ":" + (i + 1) + ":1: case listed twice: case=" + name);
            }
        }
        return new KnownFailures(file, reasons);
    }

    private static int indexOfWhitespace(final String s)
    {
        for (int i = 0; i < s.length(); i++)
        {
            if (Character.isWhitespace(s.charAt(i)))
            {
                return i;
            }
        }
        return -1;
    }

    /** The reason a case is expected to fail, or null when it must pass. */
    String reason(final String caseName)
    {
        return reasons.get(caseName);
    }

    Map<String, String> all()
    {
        return Collections.unmodifiableMap(reasons);
    }

    Path file()
    {
        return file;
    }
}

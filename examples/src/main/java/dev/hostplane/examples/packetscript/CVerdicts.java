package dev.hostplane.examples.packetscript;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.hostplane.packetscript.live.SuiteMode;

/**
 * C packetdrill's verdicts on a suite, read for {@code run-all --baseline FILE}, so a run can say which of its
 * failures the reference tool has too on this kernel. The file is tab-separated, one script a line:
 * {@code MODE SCRIPT PASS} ({@code ipv4}, {@code ipv6} or {@code mapped}, the script's path relative to the
 * suite directory, {@code 1} or {@code 0}), as in {@code shared/conformance/packetdrill/verdicts-c-*.tsv}, or
 * {@code SCRIPT PASS} for every mode; a header line and {@code #} comments are skipped.
 */
final class CVerdicts
{
    private final Map<String, Boolean> passes;

    private CVerdicts(final Map<String, Boolean> passes)
    {
        this.passes = passes;
    }

    /**
     * Reads the verdicts of one mode.
     *
     * @param file the baseline file.
     * @param mode the run's mode; lines of other modes are ignored.
     * @return the verdicts.
     * @throws IOException when the file cannot be read.
     * @throws IllegalArgumentException naming file:line and the bad field.
     */
    static CVerdicts read(final Path file, final SuiteMode mode) throws IOException
    {
        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        final Map<String, Boolean> passes = new HashMap<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || (0 == i && line.startsWith("mode\t")))
            {
                continue;
            }
            final String[] fields = line.split("\t");
            if (fields.length != 2 && fields.length != 3)
            {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected MODE<TAB>SCRIPT<TAB>PASS or " +
                    "SCRIPT<TAB>PASS, found " + fields.length + " tab-separated fields");
            }
            final String verdict = fields[fields.length - 1].strip();
            if (!"0".equals(verdict) && !"1".equals(verdict))
            {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": verdict must be 1 (pass) or 0 (fail): " +
                    verdict);
            }
            if (3 == fields.length && !isMode(fields[0].strip().toLowerCase(Locale.ROOT), mode))
            {
                continue;
            }
            passes.put(fields[fields.length - 2].strip(), "1".equals(verdict));
        }
        return new CVerdicts(passes);
    }

    private static boolean isMode(final String name, final SuiteMode mode)
    {
        switch (mode)
        {
            case IPV6:
                return "ipv6".equals(name);
            case IPV4_MAPPED_IPV6:
                return "mapped".equals(name) || "ipv4mappedv6".equals(name) || "ipv4-mapped-ipv6".equals(name);
            case IPV4:
            default:
                return "ipv4".equals(name);
        }
    }

    /**
     * @param script the script's path relative to the suite directory.
     * @return C packetdrill's verdict, or null when the baseline does not list the script.
     */
    Boolean passes(final String script)
    {
        return passes.get(script);
    }
}

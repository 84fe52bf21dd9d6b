package dev.hostplane.syslog.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Byte-for-byte comparison of two output trees (rsyslogd's expected files against the
 * engine's), with a readable report: missing files, unexpected files, and for each differing
 * file the first differing line with a few lines of context, control bytes made visible.
 */
final class OutputComparison
{
    private static final int CONTEXT_LINES = 2;
    private static final int MAX_FILES_REPORTED = 5;

    private OutputComparison()
    {
    }

    /**
     * Compares the trees.
     *
     * @param expected directory of expected files (may be absent: no files expected).
     * @param actual   directory the engine wrote.
     * @return empty when identical, else the report.
     */
    static String compare(final Path expected, final Path actual) throws IOException
    {
        final TreeSet<String> expectedFiles = listFiles(expected);
        final TreeSet<String> actualFiles = listFiles(actual);
        final StringBuilder report = new StringBuilder();
        int reported = 0;
        for (final String rel : expectedFiles)
        {
            if (!actualFiles.contains(rel))
            {
                report.append("missing file: ").append(rel).append(" (rsyslogd wrote ")
                    .append(Files.size(expected.resolve(rel))).append(" bytes)\n");
                continue;
            }
            final byte[] want = Files.readAllBytes(expected.resolve(rel));
            final byte[] got = Files.readAllBytes(actual.resolve(rel));
            if (!Arrays.equals(want, got))
            {
                if (reported++ < MAX_FILES_REPORTED)
                {
                    report.append(describeDifference(rel, want, got));
                }
                else
                {
                    report.append("differs: ").append(rel).append('\n');
                }
            }
        }
        for (final String rel : actualFiles)
        {
            if (!expectedFiles.contains(rel))
            {
                report.append("unexpected file: ").append(rel).append(" (")
                    .append(Files.size(actual.resolve(rel))).append(" bytes; rsyslogd wrote no such file)\n");
            }
        }
        return report.toString();
    }

    private static TreeSet<String> listFiles(final Path root) throws IOException
    {
        final TreeSet<String> files = new TreeSet<>();
        if (!Files.isDirectory(root))
        {
            return files;
        }
        try (Stream<Path> walk = Files.walk(root))
        {
            walk.filter(Files::isRegularFile).forEach(p -> files.add(root.relativize(p).toString().replace('\\', '/')));
        }
        return files;
    }

    static String describeDifference(final String rel, final byte[] want, final byte[] got)
    {
        final List<String> wantLines = lines(want);
        final List<String> gotLines = lines(got);
        int first = 0;
        while (first < wantLines.size() && first < gotLines.size() && wantLines.get(first).equals(gotLines.get(first)))
        {
            first++;
        }
        final StringBuilder sb = new StringBuilder();
        sb.append("differs: ").append(rel).append(" expectedBytes=").append(want.length).append(" actualBytes=").append(got.length)
            .append(" expectedLines=").append(wantLines.size()).append(" actualLines=").append(gotLines.size())
            .append(" firstDifferentLine=").append(first + 1).append('\n');
        final int from = Math.max(0, first - CONTEXT_LINES);
        for (int i = from; i < first; i++)
        {
            sb.append("      ").append(visible(wantLines.get(i))).append('\n');
        }
        for (int i = first; i < Math.min(wantLines.size(), first + CONTEXT_LINES + 1); i++)
        {
            sb.append("  -   ").append(visible(wantLines.get(i))).append('\n');
        }
        for (int i = first; i < Math.min(gotLines.size(), first + CONTEXT_LINES + 1); i++)
        {
            sb.append("  +   ").append(visible(gotLines.get(i))).append('\n');
        }
        sb.append("  (- rsyslogd, + engine)\n");
        return sb.toString();
    }

    /**
     * Splits on LF keeping a marker for a missing final LF; decodes as UTF-8 when the file is
     * valid UTF-8 (readable diffs of non-ASCII text), else byte for byte as ISO-8859-1.
     */
    private static List<String> lines(final byte[] data)
    {
        final java.nio.charset.Charset charset = isUtf8(data) ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
        final List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < data.length; i++)
        {
            if (data[i] == '\n')
            {
                out.add(new String(data, start, i - start, charset));
                start = i + 1;
            }
        }
        if (start < data.length)
        {
            out.add(new String(data, start, data.length - start, charset) + "<no final LF>");
        }
        return out;
    }

    private static boolean isUtf8(final byte[] data)
    {
        try
        {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(data));
            return true;
        }
        catch (final java.nio.charset.CharacterCodingException ex)
        {
            return false;
        }
    }

    private static String visible(final String line)
    {
        final StringBuilder sb = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++)
        {
            final char c = line.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\ufffd')
            {
                sb.append(String.format("\\x%02x", (int)c));
            }
            else
            {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}

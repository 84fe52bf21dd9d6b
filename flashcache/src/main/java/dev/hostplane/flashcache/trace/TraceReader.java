package dev.hostplane.flashcache.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads a block trace (plain or {@code .gz}) and hands every block access to a handler. Bad lines raise a
 * {@link TraceFormatException} naming {@code file:line:column}.
 */
public final class TraceReader
{
    private static final int CLOUDPHYSICS_BLOCK = 4096;
    private static final int SECTOR = 512;

    private TraceReader()
    {
    }

    /**
     * Reads a whole trace.
     *
     * @param file    the trace file; {@code .gz} is decompressed.
     * @param format  its format.
     * @param handler receives each access.
     * @param limit   stop after this many accesses ({@code Long.MAX_VALUE} for all).
     * @return the number of accesses delivered.
     * @throws IOException when the file cannot be read.
     */
    public static long read(final Path file, final TraceFormat format, final BlockAccessHandler handler, final long limit)
        throws IOException
    {
        try (InputStream raw = Files.newInputStream(file);
            InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII), 1 << 16))
        {
            return read(reader, file.getFileName().toString(), format, handler, limit);
        }
    }

    /**
     * Reads a trace from a reader.
     *
     * @param reader  the trace text.
     * @param source  name used in error messages.
     * @param format  its format.
     * @param handler receives each access.
     * @param limit   stop after this many accesses.
     * @return the number of accesses delivered.
     * @throws IOException when reading fails.
     */
    public static long read(
        final BufferedReader reader,
        final String source,
        final TraceFormat format,
        final BlockAccessHandler handler,
        final long limit) throws IOException
    {
        long lineNo = 0;
        long count = 0;
        String line;
        while (count < limit && null != (line = reader.readLine()))
        {
            lineNo++;
            if (line.isBlank() || line.startsWith("#"))
            {
                continue;
            }
            switch (format)
            {
                case ARC:
                {
                    final String[] f = fields(line, ' ', 4, source, lineNo);
                    final long start = number(f[0], source, lineNo, column(line, 0, ' '));
                    final long n = number(f[1], source, lineNo, column(line, 1, ' '));
                    for (long i = 0; i < n && count < limit; i++, count++)
                    {
                        handler.onAccess(start + i, false);
                    }
                    break;
                }
                case LIRS:
                {
                    final String trimmed = line.trim();
                    if ("*".equals(trimmed))
                    {
                        continue;
                    }
                    handler.onAccess(number(trimmed, source, lineNo, 1), false);
                    count++;
                    break;
                }
                default:
                {
                    if (1 == lineNo && line.startsWith("version"))
                    {
                        continue;
                    }
                    final String[] f = fields(line, ',', 5, source, lineNo);
                    final String op = f[2].trim();
                    final boolean write;
                    if ("2a".equalsIgnoreCase(op))
                    {
                        write = true;
                    }
                    else if ("28".equals(op))
                    {
                        write = false;
                    }
                    else
                    {
                        throw new TraceFormatException(source, lineNo, column(line, 2, ','),
                            "op=" + op + " is not 28 (READ(10)) or 2a (WRITE(10))");
                    }
                    final long size = number(f[3], source, lineNo, column(line, 3, ','));
                    final long lbn = number(f[4], source, lineNo, column(line, 4, ','));
                    final long first = lbn * SECTOR / CLOUDPHYSICS_BLOCK;
                    final long last = (lbn * SECTOR + Math.max(1, size) - 1) / CLOUDPHYSICS_BLOCK;
                    for (long b = first; b <= last && count < limit; b++, count++)
                    {
                        handler.onAccess(b, write);
                    }
                    break;
                }
            }
        }
        return count;
    }

    private static String[] fields(
        final String line, final char separator, final int expected, final String source, final long lineNo)
    {
        final String[] f = separator == ' ' ? line.trim().split("\\s+") : line.split(",", -1);
        if (f.length < expected)
        {
            throw new TraceFormatException(source, lineNo, line.length() + 1,
                "expected " + expected + " fields, found " + f.length);
        }
        return f;
    }

    private static int column(final String line, final int field, final char separator)
    {
        int col = 0;
        int seen = 0;
        while (col < line.length() && seen < field)
        {
            if (line.charAt(col) == separator)
            {
                seen++;
                while (separator == ' ' && col + 1 < line.length() && line.charAt(col + 1) == ' ')
                {
                    col++;
                }
            }
            col++;
        }
        return col + 1;
    }

    private static long number(final String text, final String source, final long lineNo, final int column)
    {
        final String t = text.trim();
        if (t.isEmpty())
        {
            throw new TraceFormatException(source, lineNo, column, "empty number");
        }
        long value = 0;
        for (int i = 0; i < t.length(); i++)
        {
            final char c = t.charAt(i);
            if (c < '0' || c > '9')
            {
                throw new TraceFormatException(source, lineNo, column + i, "'" + c + "' in number '" + t + "'");
            }
            value = value * 10 + (c - '0');
            if (value < 0)
            {
                throw new TraceFormatException(source, lineNo, column, "number '" + t + "' overflows a long");
            }
        }
        return value;
    }
}

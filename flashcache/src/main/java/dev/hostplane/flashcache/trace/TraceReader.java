package dev.hostplane.flashcache.trace;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a block trace (plain or {@code .gz}) and hands every block access to a handler. Bad lines raise a
 * {@link TraceFormatException} naming {@code file:line:column}, and so does a {@code .gz} file that is not
 * gzip or is cut short. A request larger than {@link #MAX_REQUEST_BLOCKS} blocks, or a block number past
 * {@link #MAX_BLOCK}, is refused: the published traces stay far below both (largest requests: 128 pages in
 * the ARC traces, 17 blocks in CloudPhysics), and such a line would otherwise be replayed for hours.
 */
public final class TraceReader
{
    /** Most blocks one trace line may expand to. */
    public static final long MAX_REQUEST_BLOCKS = 1 << 16;
    /** Largest block number a trace may name (the cache's key space: 2^40 - 1). */
    public static final long MAX_BLOCK = (1L << 40) - 1;

    private static final int CLOUDPHYSICS_BLOCK = 4096;
    private static final int SECTOR = 512;
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

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
        final String source = file.getFileName().toString();
        final long[] lines = new long[1];
        try (InputStream raw = Files.newInputStream(file);
            InputStream in = source.endsWith(".gz") ? gunzip(raw, source) : raw;
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII), 1 << 16))
        {
            return read(reader, source, format, handler, limit, lines);
        }
        catch (final ZipException ex)
        {
            throw new TraceFormatException(source, lines[0] + 1, 1, "damaged gzip data (" + ex.getMessage() + ")");
        }
        catch (final EOFException ex)
        {
            throw new TraceFormatException(source, lines[0] + 1, 1, "gzip stream cut short (unexpected end of file)");
        }
    }

    private static InputStream gunzip(final InputStream raw, final String source) throws IOException
    {
        try
        {
            return new GZIPInputStream(raw, 1 << 16);
        }
        catch (final ZipException ex)
        {
            raw.close();
            throw new TraceFormatException(source, 1, 1, "not a gzip file (" + ex.getMessage() + ")");
        }
        catch (final EOFException ex)
        {
            raw.close();
            throw new TraceFormatException(source, 1, 1, "not a gzip file (shorter than a gzip header)");
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
        return read(reader, source, format, handler, limit, new long[1]);
    }

    private static long read(
        final BufferedReader reader,
        final String source,
        final TraceFormat format,
        final BlockAccessHandler handler,
        final long limit,
        final long[] lines) throws IOException
    {
        long lineNo = 0;
        long count = 0;
        String line;
        while (count < limit && null != (line = reader.readLine()))
        {
            lineNo++;
            lines[0] = lineNo;
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
                    checkRequest(start, n, source, lineNo, column(line, 1, ' '));
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
                    final long block = number(trimmed, source, lineNo, 1);
                    checkRequest(block, 1, source, lineNo, 1);
                    handler.onAccess(block, false);
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
                    if (size > MAX_REQUEST_BLOCKS * CLOUDPHYSICS_BLOCK)
                    {
                        throw new TraceFormatException(source, lineNo, column(line, 3, ','),
                            "size=" + size + " exceeds " + MAX_REQUEST_BLOCKS * CLOUDPHYSICS_BLOCK + " bytes per request");
                    }
                    if (lbn > MAX_BLOCK * (CLOUDPHYSICS_BLOCK / SECTOR))
                    {
                        throw new TraceFormatException(source, lineNo, column(line, 4, ','),
                            "lbn=" + lbn + " is past the largest block " + MAX_BLOCK);
                    }
                    final long first = lbn * SECTOR / CLOUDPHYSICS_BLOCK;
                    final long last = (lbn * SECTOR + Math.max(1, size) - 1) / CLOUDPHYSICS_BLOCK;
                    checkRequest(first, last - first + 1, source, lineNo, column(line, 4, ','));
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

    private static void checkRequest(
        final long first, final long blocks, final String source, final long lineNo, final int column)
    {
        if (blocks > MAX_REQUEST_BLOCKS)
        {
            throw new TraceFormatException(source, lineNo, column,
                "request of " + blocks + " blocks exceeds " + MAX_REQUEST_BLOCKS + " per line");
        }
        if (first > MAX_BLOCK - blocks + 1)
        {
            throw new TraceFormatException(source, lineNo, column,
                "block " + first + (blocks > 1 ? " + " + blocks : "") + " is past the largest block " + MAX_BLOCK);
        }
    }

    private static String[] fields(
        final String line, final char separator, final int expected, final String source, final long lineNo)
    {
        // A compiled pattern: String.split compiles a multi-character regex again on every line.
        final String[] f = separator == ' ' ? WHITESPACE.split(line.trim()) : line.split(",", -1);
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

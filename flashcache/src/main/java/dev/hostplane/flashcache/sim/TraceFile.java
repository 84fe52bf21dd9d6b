package dev.hostplane.flashcache.sim;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import dev.hostplane.flashcache.trace.TraceFormatException;

/**
 * The paper's trace format as text, one event a line: {@code host thread time_ns op file offset length},
 * fields separated by spaces, {@code op} is {@code R} or {@code W}; lines starting with {@code #} are comments.
 * Bad lines raise a {@link TraceFormatException} naming {@code file:line:column}.
 */
public final class TraceFile
{
    private TraceFile()
    {
    }

    /**
     * Writes events, one per line.
     *
     * @param path   where.
     * @param events the events, in any order (the simulator orders by time per thread).
     * @param count  how many to take from {@code events}.
     * @throws IOException when the file cannot be written.
     */
    public static void write(final Path path, final WorkloadGenerator events, final long count) throws IOException
    {
        try (BufferedWriter out = Files.newBufferedWriter(path, StandardCharsets.US_ASCII))
        {
            out.write("# host thread time_ns op file offset length\n");
            final TraceEvent event = new TraceEvent();
            for (long i = 0; i < count && events.next(event); i++)
            {
                out.write(event.toString());
                out.write('\n');
            }
        }
    }

    /**
     * Reads a trace and hands every event to {@code handler} (the same flyweight each time).
     *
     * @param path    the trace.
     * @param handler receives each event.
     * @return events read.
     * @throws IOException when the file cannot be read.
     */
    public static long read(final Path path, final Consumer<TraceEvent> handler) throws IOException
    {
        final String source = path.getFileName().toString();
        final TraceEvent event = new TraceEvent();
        long lineNo = 0;
        long count = 0;
        try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.US_ASCII))
        {
            String line;
            while (null != (line = in.readLine()))
            {
                lineNo++;
                if (line.isBlank() || line.startsWith("#"))
                {
                    continue;
                }
                parse(line, source, lineNo, event);
                handler.accept(event);
                count++;
            }
        }
        return count;
    }

    static void parse(final String line, final String source, final long lineNo, final TraceEvent event)
    {
        final String[] f = line.trim().split("\\s+");
        if (f.length != 7)
        {
            throw new TraceFormatException(source, lineNo, 1, "expected 7 fields (host thread time_ns op file offset"
                + " length), found " + f.length);
        }
        event.host = (int)number(f[0], line, 0, source, lineNo, Integer.MAX_VALUE);
        event.thread = (int)number(f[1], line, 1, source, lineNo, Integer.MAX_VALUE);
        event.timeNanos = number(f[2], line, 2, source, lineNo, Long.MAX_VALUE);
        if ("R".equals(f[3]) || "r".equals(f[3]))
        {
            event.write = false;
        }
        else if ("W".equals(f[3]) || "w".equals(f[3]))
        {
            event.write = true;
        }
        else
        {
            throw new TraceFormatException(source, lineNo, column(line, 3), "op=" + f[3] + " is not R or W");
        }
        event.file = (int)number(f[4], line, 4, source, lineNo, (1 << 23) - 1);
        event.offset = number(f[5], line, 5, source, lineNo, (1L << 52) - 1);
        event.length = (int)number(f[6], line, 6, source, lineNo, 1 << 28);
    }

    private static long number(
        final String text, final String line, final int field, final String source, final long lineNo, final long max)
    {
        long value = 0;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                throw new TraceFormatException(source, lineNo, column(line, field) + i,
                    "'" + c + "' in number '" + text + "'");
            }
            value = value * 10 + (c - '0');
            if (value > max || value < 0)
            {
                throw new TraceFormatException(source, lineNo, column(line, field),
                    "number '" + text + "' exceeds " + max);
            }
        }
        return value;
    }

    private static int column(final String line, final int field)
    {
        int col = 0;
        int seen = 0;
        while (col < line.length() && line.charAt(col) == ' ')
        {
            col++;
        }
        while (col < line.length() && seen < field)
        {
            if (line.charAt(col) == ' ')
            {
                seen++;
                while (col + 1 < line.length() && line.charAt(col + 1) == ' ')
                {
                    col++;
                }
            }
            col++;
        }
        return col + 1;
    }
}

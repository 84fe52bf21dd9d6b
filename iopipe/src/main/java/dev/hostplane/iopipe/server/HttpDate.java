package dev.hostplane.iopipe.server;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * IMF-fixdate values (RFC 9110 section 5.6.7) for the {@code Date} and {@code Last-Modified} headers,
 * formatted once per distinct second and reused: formatting costs about a microsecond, a response head
 * should cost less than that in all.
 */
final class HttpDate
{
    /** RFC 1123's formatter drops the day's leading zero, which IMF-fixdate requires. */
    private static final DateTimeFormatter IMF =
        DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /** One formatted second; immutable, so racing threads at worst format the same second twice. */
    private static final class Entry
    {
        final long second;
        final byte[] bytes;

        Entry(final long second)
        {
            this.second = second;
            this.bytes = IMF.format(Instant.ofEpochSecond(second)).getBytes(StandardCharsets.US_ASCII);
        }
    }

    private static volatile Entry now = new Entry(System.currentTimeMillis() / 1000);
    private static final ThreadLocal<Entry[]> RECENT = ThreadLocal.withInitial(() -> new Entry[16]);

    private HttpDate()
    {
    }

    /**
     * The current time.
     *
     * @return the formatted date; do not modify.
     */
    static byte[] now()
    {
        final long second = System.currentTimeMillis() / 1000;
        Entry e = now;
        if (e.second != second)
        {
            e = new Entry(second);
            now = e;
        }
        return e.bytes;
    }

    /**
     * A file time, from a small per-thread cache keyed by the second (served files share few mtimes).
     *
     * @param second seconds since the epoch.
     * @return the formatted date; do not modify.
     */
    static byte[] of(final long second)
    {
        final Entry[] recent = RECENT.get();
        final int slot = (int)(second ^ (second >>> 32)) & (recent.length - 1);
        Entry e = recent[slot];
        if (null == e || e.second != second)
        {
            e = new Entry(second);
            recent[slot] = e;
        }
        return e.bytes;
    }
}

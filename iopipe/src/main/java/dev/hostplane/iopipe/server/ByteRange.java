package dev.hostplane.iopipe.server;

/**
 * One byte range of a file selected by an HTTP {@code Range} header (RFC 9110 section 14):
 * {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n}. Several ranges are not served as multipart;
 * the server then ignores the header and sends the whole file, which the RFC allows, as it does for a
 * header it cannot parse.
 */
final class ByteRange
{
    /** Marker: header absent, not a bytes range, malformed or several ranges: serve the whole file. */
    static final ByteRange WHOLE = new ByteRange(-1, -1);
    /** Marker: a valid range that starts beyond the file: 416. */
    static final ByteRange UNSATISFIABLE = new ByteRange(-2, -2);

    final long first;
    final long length;

    private ByteRange(final long first, final long length)
    {
        this.first = first;
        this.length = length;
    }

    static ByteRange parse(final String header, final long size)
    {
        if (null == header || !header.startsWith("bytes="))
        {
            return WHOLE;
        }
        final String spec = header.substring(6).trim();
        if (spec.indexOf(',') >= 0)
        {
            return WHOLE;
        }
        final int dash = spec.indexOf('-');
        if (dash < 0)
        {
            return WHOLE;
        }
        final String a = spec.substring(0, dash).trim();
        final String b = spec.substring(dash + 1).trim();
        final long from = digits(a);
        final long to = digits(b);
        if (a.isEmpty())
        {
            if (to < 0)
            {
                return WHOLE;
            }
            if (0 == to || 0 == size)
            {
                return UNSATISFIABLE;
            }
            final long n = Math.min(to, size);
            return new ByteRange(size - n, n);
        }
        if (from < 0 || (!b.isEmpty() && (to < 0 || to < from)))
        {
            return WHOLE;
        }
        if (from >= size)
        {
            return UNSATISFIABLE;
        }
        final long last = b.isEmpty() ? size - 1 : Math.min(to, size - 1);
        return new ByteRange(from, last - from + 1);
    }

    /** A non-negative decimal without sign or overflow, or -1. */
    private static long digits(final String s)
    {
        if (s.isEmpty() || s.length() > 18)
        {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}

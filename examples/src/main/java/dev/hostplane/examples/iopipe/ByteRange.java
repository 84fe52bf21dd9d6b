package dev.hostplane.examples.iopipe;

/**
 * One byte range of a file selected by an HTTP {@code Range} header (RFC 9110 section 14): {@code
 * bytes=a-b}, {@code bytes=a-} or {@code bytes=-n}. Several ranges are not served as multipart; the
 * server then ignores the header and sends the whole file, which the RFC allows.
 */
final class ByteRange
{
    /** Marker: header absent, not a bytes range, or several ranges: serve the whole file. */
    static final ByteRange WHOLE = new ByteRange(-1, -1);
    /** Marker: syntactically a range but outside the file: 416. */
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
        try
        {
            final String a = spec.substring(0, dash).trim();
            final String b = spec.substring(dash + 1).trim();
            if (a.isEmpty())
            {
                final long suffix = Long.parseLong(b);
                if (suffix <= 0 || 0 == size)
                {
                    return UNSATISFIABLE;
                }
                final long n = Math.min(suffix, size);
                return new ByteRange(size - n, n);
            }
            final long first = Long.parseLong(a);
            final long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            if (!b.isEmpty() && Long.parseLong(b) < first)
            {
                return WHOLE;
            }
            if (first >= size)
            {
                return UNSATISFIABLE;
            }
            return new ByteRange(first, last - first + 1);
        }
        catch (final NumberFormatException ex)
        {
            return WHOLE;
        }
    }
}

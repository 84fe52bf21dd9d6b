package dev.hostplane.iopipe.server;

/**
 * Turns a request-target into the path of a file beneath the root: origin-form ({@code /a/b?q}) or
 * absolute-form ({@code http://host/a/b}, which RFC 9112 section 3.2.2 says a server must accept);
 * query and fragment dropped; percent-decoded; {@code .} and empty segments removed and {@code ..}
 * applied, as nginx normalises a URI, with a {@code ..} above the root refused. The result is relative
 * ({@code a/b}, or {@code .} for the root) and holds no NUL, so the kernel sees exactly the path that
 * was checked. One instance per thread; {@link #parse} reuses its buffer.
 */
final class RequestTarget
{
    static final int OK = 0;
    static final int BAD = 1;
    static final int TOO_LONG = 2;
    /** Room kept for {@code /index.html} after a directory. */
    static final int MAX_LENGTH = NativeScratch.PATH_CAPACITY - 16;

    private static final ThreadLocal<RequestTarget> PER_THREAD = ThreadLocal.withInitial(RequestTarget::new);

    final byte[] path = new byte[NativeScratch.PATH_CAPACITY];
    private final int[] segments = new int[NativeScratch.PATH_CAPACITY / 2];
    int length;
    boolean trailingSlash;
    boolean absoluteForm;

    private RequestTarget()
    {
    }

    static RequestTarget get()
    {
        return PER_THREAD.get();
    }

    /**
     * Parses {@code uri} into {@link #path}/{@link #length}.
     *
     * @param uri the request-target as Netty decoded it (ISO-8859-1, one char per byte).
     * @return {@link #OK}, {@link #BAD} or {@link #TOO_LONG}.
     */
    int parse(final String uri)
    {
        length = 0;
        trailingSlash = false;
        absoluteForm = false;
        final int n = uri.length();
        int i;
        if (n > 0 && '/' == uri.charAt(0))
        {
            i = 0;
        }
        else
        {
            final int scheme = uri.regionMatches(true, 0, "http://", 0, 7) ? 7
                : uri.regionMatches(true, 0, "https://", 0, 8) ? 8 : -1;
            if (scheme < 0)
            {
                return BAD;
            }
            absoluteForm = true;
            int slash = scheme;
            while (slash < n && '/' != uri.charAt(slash) && '?' != uri.charAt(slash) && '#' != uri.charAt(slash))
            {
                slash++;
            }
            if (slash == scheme)
            {
                return BAD;
            }
            i = slash;
        }
        int depth = 0;
        int segmentStart = 0;
        int len = 0;
        final byte[] out = path;
        while (true)
        {
            final boolean end = i >= n || '?' == uri.charAt(i) || '#' == uri.charAt(i);
            int b = -1;
            if (!end)
            {
                final char c = uri.charAt(i);
                if ('%' == c)
                {
                    if (i + 2 >= n)
                    {
                        return BAD;
                    }
                    final int hi = Character.digit(uri.charAt(i + 1), 16);
                    final int lo = Character.digit(uri.charAt(i + 2), 16);
                    if (hi < 0 || lo < 0)
                    {
                        return BAD;
                    }
                    b = hi << 4 | lo;
                    i += 3;
                }
                else
                {
                    if (c > 0xFF)
                    {
                        return BAD;
                    }
                    b = c;
                    i++;
                }
                if (b < 0x20 || 0x7F == b)
                {
                    return BAD;
                }
            }
            if (end || '/' == b)
            {
                final int segLen = len - segmentStart;
                final boolean dot = 1 == segLen && '.' == out[segmentStart];
                final boolean dotDot = 2 == segLen && '.' == out[segmentStart] && '.' == out[segmentStart + 1];
                if (0 == segLen || dot)
                {
                    len = segmentStart;
                }
                else if (dotDot)
                {
                    if (0 == depth)
                    {
                        return BAD;
                    }
                    depth--;
                    len = segments[depth];
                    segmentStart = len;
                }
                else if (!end)
                {
                    segments[depth++] = segmentStart;
                    out[len++] = '/';
                    segmentStart = len;
                }
                if (end)
                {
                    trailingSlash = 0 == segLen || dot || dotDot;
                    break;
                }
                continue;
            }
            if (len >= MAX_LENGTH)
            {
                return TOO_LONG;
            }
            out[len++] = (byte)b;
        }
        if (len > 0 && '/' == out[len - 1])
        {
            len--;
        }
        if (0 == len)
        {
            out[len++] = '.';
            trailingSlash = true;
        }
        length = len;
        return OK;
    }
}

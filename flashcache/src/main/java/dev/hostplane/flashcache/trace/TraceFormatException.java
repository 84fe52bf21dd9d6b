package dev.hostplane.flashcache.trace;

import dev.hostplane.flashcache.FlashCacheException;

/**
 * A trace line that does not parse; the message is {@code file:line:column: what}.
 */
public final class TraceFormatException extends FlashCacheException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param source where the trace came from (a file name).
     * @param line   1-based line number.
     * @param column 1-based column of the offending field.
     * @param what   what is wrong.
     */
    public TraceFormatException(final String source, final long line, final int column, final String what)
    {
        super(source + ":" + line + ":" + column + ": " + what);
    }
}

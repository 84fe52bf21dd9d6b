package dev.hostplane.syslog;

/**
 * The syslog module's own error type: every failure the engine reports (bad configuration, bad
 * input it cannot accept, an output that cannot be written) is a {@code SyslogException} or a
 * subclass, so callers (and the fuzz tests) can rely on nothing else escaping.
 */
public class SyslogException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message in {@code key=value} style.
     *
     * @param message what went wrong and where.
     */
    public SyslogException(final String message)
    {
        super(message);
    }

    /**
     * Creates an exception wrapping its cause.
     *
     * @param message what went wrong and where.
     * @param cause   the underlying failure.
     */
    public SyslogException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}

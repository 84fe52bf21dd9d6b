package dev.hostplane.syslog.internal.relp;

import dev.hostplane.syslog.SyslogException;

/**
 * A RELP protocol violation: a malformed frame, a response out of order, a refused session. RELP has
 * no way to resynchronise a byte stream, so whoever sees one closes the session.
 */
public final class RelpException extends SyslogException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what was wrong, {@code key=value} style.
     */
    public RelpException(final String message)
    {
        super(message);
    }
}

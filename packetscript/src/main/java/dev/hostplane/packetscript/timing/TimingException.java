package dev.hostplane.packetscript.timing;

/**
 * An event did not happen within its timing window; the message is packetdrill's, e.g.
 * {@code timing error: expected outbound packet at 0.100000 sec but happened at 0.150000 sec; tolerance 0.004000 sec}.
 */
public final class TimingException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the timing error.
     */
    public TimingException(final String message)
    {
        super(message);
    }
}

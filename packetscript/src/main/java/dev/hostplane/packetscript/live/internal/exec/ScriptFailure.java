package dev.hostplane.packetscript.live.internal.exec;

/**
 * A script did not behave as written: the message is packetdrill-style and starts with the
 * script's {@code file:line}.
 */
public final class ScriptFailure extends Exception
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message the full message including the script position.
     */
    public ScriptFailure(final String message)
    {
        super(message);
    }

    /**
     * @param message the full message including the script position.
     * @param cause what went wrong underneath.
     */
    public ScriptFailure(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}

package dev.hostplane.packetscript.live;

/**
 * The verdict of one script run against the kernel: pass, or the packetdrill-style failure
 * message (starting with {@code file:line:}), and how long the run took.
 */
public final class LiveResult
{
    private final String script;
    private final boolean passed;
    private final String message;
    private final long elapsedNanos;

    LiveResult(final String script, final boolean passed, final String message, final long elapsedNanos)
    {
        this.script = script;
        this.passed = passed;
        this.message = message;
        this.elapsedNanos = elapsedNanos;
    }

    /**
     * The script's path as given.
     *
     * @return the path text.
     */
    public String script()
    {
        return script;
    }

    /**
     * Whether the kernel behaved as the script says.
     *
     * @return true on pass.
     */
    public boolean passed()
    {
        return passed;
    }

    /**
     * Why it failed.
     *
     * @return the failure message, or null on pass.
     */
    public String message()
    {
        return message;
    }

    /**
     * Wall time of the run, namespace setup and teardown included.
     *
     * @return nanoseconds.
     */
    public long elapsedNanos()
    {
        return elapsedNanos;
    }

    @Override
    public String toString()
    {
        return script + (passed ? ": pass" : ": FAIL " + message);
    }
}

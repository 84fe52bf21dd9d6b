package dev.hostplane.packetscript.live;

import java.util.Objects;

/**
 * The verdict of one script run against the kernel: passed, failed with the packetdrill-style message (starting
 * with {@code file:line:}), or skipped because this kernel cannot offer what the script asks
 * ({@link Precondition}), with the reason; what its shell commands printed, and how long the run took.
 */
public final class LiveResult
{
    /** The three verdicts, as kselftest has them. */
    public enum Status
    {
        /** The kernel behaved as the script says. */
        PASSED,
        /** It did not, or the script could not be run as written. */
        FAILED,
        /** Not run: this kernel lacks what the script asks of it. */
        SKIPPED
    }

    private final String script;
    private final Status status;
    private final String message;
    private final String output;
    private final long elapsedNanos;

    LiveResult(final String script, final Status status, final String message, final String output,
        final long elapsedNanos)
    {
        this.script = Objects.requireNonNull(script, "script");
        this.status = Objects.requireNonNull(status, "status");
        this.message = message;
        this.output = null == output ? "" : output;
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
     * The verdict.
     *
     * @return passed, failed or skipped.
     */
    public Status status()
    {
        return status;
    }

    /**
     * Whether the kernel behaved as the script says.
     *
     * @return true on pass.
     */
    public boolean passed()
    {
        return Status.PASSED == status;
    }

    /**
     * Whether the script was not run because this kernel lacks what it asks.
     *
     * @return true on skip.
     */
    public boolean skipped()
    {
        return Status.SKIPPED == status;
    }

    /**
     * Why it failed or was skipped.
     *
     * @return the failure message or skip reason, or null on pass.
     */
    public String message()
    {
        return message;
    }

    /**
     * What the script's shell commands and python code printed, standard output and error in order: C
     * packetdrill leaves it on its terminal (e.g. {@code Error: Specified qdisc kind is unknown.} from {@code tc}).
     *
     * @return the text; empty when nothing was printed.
     */
    public String output()
    {
        return output;
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
        return script + (passed() ? ": pass" : skipped() ? ": SKIP " + message : ": FAIL " + message);
    }
}

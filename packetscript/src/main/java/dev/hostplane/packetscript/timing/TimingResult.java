package dev.hostplane.packetscript.timing;

/**
 * The outcome of checking one event's time: what was expected (in script time, microseconds since the script
 * started), what happened, and the tolerance that applied.
 *
 * @param ok              whether the event was on time.
 * @param expectedMicros  expected script time (window start for ranges).
 * @param expectedEnd     window end for ranges, {@link Long#MAX_VALUE} for {@code *}, else equal to the start.
 * @param actualMicros    when it happened, in script time.
 * @param toleranceMicros the tolerance used.
 * @param message         packetdrill-style error text, or null when ok.
 */
public record TimingResult(boolean ok, long expectedMicros, long expectedEnd, long actualMicros,
    long toleranceMicros, String message)
{
    /**
     * Throws when the event was not on time.
     *
     * @return this result when ok.
     * @throws TimingException with {@link #message()} otherwise.
     */
    public TimingResult orThrow()
    {
        if (!ok)
        {
            throw new TimingException(message);
        }
        return this;
    }
}

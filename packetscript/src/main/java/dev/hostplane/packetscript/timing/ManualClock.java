package dev.hostplane.packetscript.timing;

/**
 * A clock that moves only when told to: for tests and dry runs.
 */
public final class ManualClock implements Clock
{
    private long now;

    /**
     * Creates a clock.
     *
     * @param startMicros the initial time.
     */
    public ManualClock(final long startMicros)
    {
        this.now = startMicros;
    }

    @Override
    public long nowMicros()
    {
        return now;
    }

    /**
     * Moves the clock forward.
     *
     * @param micros microseconds to add (not negative).
     * @return the new time.
     */
    public long advance(final long micros)
    {
        if (micros < 0)
        {
            throw new IllegalArgumentException("clock cannot go backwards: micros=" + micros);
        }
        now += micros;
        return now;
    }

    /**
     * Sets the clock.
     *
     * @param micros the new time, not before the current one.
     */
    public void set(final long micros)
    {
        advance(micros - now);
    }
}

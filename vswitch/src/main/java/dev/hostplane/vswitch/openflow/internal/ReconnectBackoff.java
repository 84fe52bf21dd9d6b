package dev.hostplane.vswitch.openflow.internal;

/**
 * The wait between attempts to reach a controller, with Open vSwitch's rules (its {@code rconn}):
 * the first attempt is immediate; each failed attempt doubles the wait, from the initial value up to
 * the maximum; a connection that drops before it has outlived the wait it was reached after counts as
 * a failure too (a controller that accepts and then closes at once must not be hammered), while one
 * that lived longer starts over at the initial wait.
 *
 * <p>Times are in nanoseconds on any monotonic clock the caller passes in, so that the schedule can
 * be checked without waiting. Not thread-safe: one instance per controller target, used from the
 * agent's I/O thread.
 */
public final class ReconnectBackoff
{
    private final long initialNanos;
    private final long maxNanos;
    private long currentNanos;
    private long deadlineNanos;
    private boolean connected;

    /**
     * A schedule.
     *
     * @param initialNanos the first wait (Open vSwitch: 1 s).
     * @param maxNanos the longest wait (Open vSwitch's max_backoff: 8 s).
     */
    public ReconnectBackoff(final long initialNanos, final long maxNanos)
    {
        if (initialNanos <= 0 || maxNanos < initialNanos)
        {
            throw new IllegalArgumentException("reconnect back-off needs 0 < initial <= max: initial " +
                initialNanos + " ns, max " + maxNanos + " ns");
        }
        this.initialNanos = initialNanos;
        this.maxNanos = maxNanos;
    }

    /**
     * An attempt failed (refused, timed out, TLS or HELLO failure before the connection was up).
     *
     * @return how long to wait before the next attempt.
     */
    public long failed()
    {
        connected = false;
        return grow();
    }

    /**
     * An attempt succeeded.
     *
     * @param nowNanos the time it came up.
     */
    public void connected(final long nowNanos)
    {
        connected = true;
        deadlineNanos = nowNanos + currentNanos;
    }

    /**
     * An established connection closed.
     *
     * @param nowNanos the time it closed.
     * @return how long to wait before the next attempt.
     */
    public long dropped(final long nowNanos)
    {
        final boolean outlived = connected && nowNanos - deadlineNanos >= 0;
        connected = false;
        if (outlived)
        {
            currentNanos = initialNanos;
            return currentNanos;
        }
        return grow();
    }

    /**
     * The wait the next failure starts from (0 before the first failure).
     *
     * @return nanoseconds.
     */
    public long currentNanos()
    {
        return currentNanos;
    }

    private long grow()
    {
        currentNanos = Math.min(maxNanos, Math.max(initialNanos, currentNanos * 2));
        return currentNanos;
    }
}

package dev.hostplane.packetscript.timing;

import java.util.Locale;

import dev.hostplane.packetscript.Script;
import dev.hostplane.packetscript.model.Timing;

/**
 * Checks each event of a running script against its timing form, as packetdrill's {@code verify_time} does.
 *
 * <p>Script time is microseconds since {@link #start()}. A relative time ({@code +0.1}, {@code +0.1~+0.2}) counts
 * from the previous event's time: its script time for exact timings, and the time it actually happened for
 * {@code *} and range events (packetdrill shifts later relative events by the same offset). A blocking system
 * call {@code +a...b} starts at {@code previous+a} and must return at {@code previous+b}
 * ({@code a...b} without {@code +}: at absolute {@code b}).
 *
 * <p>Tolerance: {@code max(tolerance_usecs, tolerance_percent% of the script gap since the previous event)},
 * defaults 4000 µs and 12.5 % (packetdrill's {@code config.c}); an event is on time if it happened within
 * {@code [expected - tolerance, expected_end + tolerance]}.
 *
 * <p>Not thread-safe: the script's main thread owns it.
 */
public final class TimingEngine
{
    /** packetdrill's default {@code --tolerance_usecs}. */
    public static final long DEFAULT_TOLERANCE_USECS = 4000;
    /** packetdrill's default {@code --tolerance_percent}. */
    public static final double DEFAULT_TOLERANCE_PERCENT = 12.5;

    private final Clock clock;
    private final long toleranceUsecs;
    private final double tolerancePercent;
    private long liveStart;
    private boolean started;
    private long lastMicros;

    /**
     * Creates an engine.
     *
     * @param clock            the clock.
     * @param toleranceUsecs   fixed tolerance in microseconds (not negative).
     * @param tolerancePercent tolerance as a percentage of the gap since the previous event (not negative).
     */
    public TimingEngine(final Clock clock, final long toleranceUsecs, final double tolerancePercent)
    {
        if (toleranceUsecs < 0 || tolerancePercent < 0 || Double.isNaN(tolerancePercent))
        {
            throw new IllegalArgumentException("tolerance must not be negative: toleranceUsecs=" + toleranceUsecs +
                " tolerancePercent=" + tolerancePercent);
        }
        this.clock = clock;
        this.toleranceUsecs = toleranceUsecs;
        this.tolerancePercent = tolerancePercent;
    }

    /**
     * Creates an engine with a script's {@code --tolerance_usecs} / {@code --tolerance_percent} (or the defaults).
     *
     * @param script the script.
     * @param clock  the clock.
     * @return the engine.
     * @throws IllegalArgumentException if an option value is not a number.
     */
    public static TimingEngine forScript(final Script script, final Clock clock)
    {
        final String usecs = script.option("tolerance_usecs");
        final String percent = script.option("tolerance_percent");
        try
        {
            return new TimingEngine(clock, usecs == null ? DEFAULT_TOLERANCE_USECS : Long.parseLong(usecs),
                percent == null ? DEFAULT_TOLERANCE_PERCENT : Double.parseDouble(percent));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("bad tolerance option: tolerance_usecs=" + usecs +
                " tolerance_percent=" + percent, ex);
        }
    }

    /**
     * Marks script time 0 as now.
     */
    public void start()
    {
        liveStart = clock.nowMicros();
        lastMicros = 0;
        started = true;
    }

    /**
     * Current script time.
     *
     * @return microseconds since {@link #start()}.
     */
    public long nowScriptMicros()
    {
        requireStarted();
        return clock.nowMicros() - liveStart;
    }

    /**
     * Converts script time to clock time.
     *
     * @param scriptMicros script time.
     * @return the clock reading at that script time.
     */
    public long toLive(final long scriptMicros)
    {
        requireStarted();
        return liveStart + scriptMicros;
    }

    /**
     * When an event is scheduled: the start of its window in script time. An executor injects an inbound packet
     * or runs a system call at this time; for {@code *} it is the previous event's time.
     *
     * @param timing the event's timing.
     * @return the window start.
     */
    public long scheduledMicros(final Timing timing)
    {
        return windowStart(timing);
    }

    /**
     * The last script time at which the event is still on time (window end plus tolerance): how long an executor
     * waits for an outbound packet. {@link Long#MAX_VALUE} for {@code *}.
     *
     * @param timing the event's timing.
     * @return the deadline in script time.
     */
    public long deadlineMicros(final Timing timing)
    {
        final long end = windowEnd(timing);
        return end == Long.MAX_VALUE ? end : end + tolerance(windowStart(timing));
    }

    /**
     * Checks that an event happened on time and makes it the previous event.
     *
     * @param timing       the event's timing.
     * @param actualLive   clock time at which it happened.
     * @param description  what happened, for the message (e.g. {@code outbound packet}).
     * @return the result; {@link TimingResult#ok()} false with a packetdrill-style message when late or early.
     */
    public TimingResult check(final Timing timing, final long actualLive, final String description)
    {
        requireStarted();
        final long base = timing instanceof Timing.Relative || timing instanceof Timing.RelativeRange ||
            timing instanceof Timing.AnyTime ? lastMicros : 0;
        final long start = windowStart(timing);
        final long end = windowEnd(timing);
        final long actual = actualLive - liveStart;
        final long tolerance = tolerance(start);
        boolean ok = true;
        String message = null;
        if (timing instanceof Timing.AnyTime)
        {
            lastMicros = actual;
        }
        else if (end != start)
        {
            if (actual < start - tolerance || actual > end + tolerance)
            {
                ok = false;
                message = String.format(Locale.ROOT,
                    "timing error: expected %s in time range %.6f~%.6f sec but happened at %.6f sec",
                    description, sec(start), sec(end), sec(actual));
            }
            lastMicros = actual;
        }
        else
        {
            if (actual < start - tolerance || actual > start + tolerance)
            {
                ok = false;
                message = String.format(Locale.ROOT,
                    "timing error: expected %s at %.6f sec but happened at %.6f sec; tolerance %.6f sec",
                    description, sec(start), sec(actual), sec(tolerance));
            }
            lastMicros = start;
        }
        return new TimingResult(ok, start, end, actual, tolerance, base, message);
    }

    /**
     * Checks when a system call returned. A blocking call ({@code endMicros} given) must return at its end time;
     * a non-blocking call must not block for longer than the tolerance.
     *
     * @param started     the result of {@link #check} for the call's start.
     * @param endMicros   the call's {@code ...b} end value, or null for a non-blocking call.
     * @param relative    whether the call's timing was relative ({@code +a...b}).
     * @param returnLive  clock time at which the call returned.
     * @return the result.
     */
    public TimingResult checkReturn(final TimingResult started, final Long endMicros, final boolean relative,
        final long returnLive)
    {
        requireStarted();
        final long actual = returnLive - liveStart;
        if (endMicros == null)
        {
            final long blocked = actual - started.actualMicros();
            final long tolerance = toleranceUsecs;
            final boolean ok = blocked <= tolerance;
            return new TimingResult(ok, started.actualMicros(), started.actualMicros(), actual, tolerance,
                started.baseMicros(), ok ? null : String.format(Locale.ROOT,
                "timing error: expected non-blocking system call but it blocked for %.6f sec; tolerance %.6f sec",
                sec(blocked), sec(tolerance)));
        }
        final long expected = (relative ? started.baseMicros() : 0) + endMicros;
        final long tolerance = tolerance(expected);
        final boolean ok = actual >= expected - tolerance && actual <= expected + tolerance;
        return new TimingResult(ok, expected, expected, actual, tolerance, started.baseMicros(), ok ? null :
            String.format(Locale.ROOT,
            "timing error: expected system call return at %.6f sec but happened at %.6f sec; tolerance %.6f sec",
            sec(expected), sec(actual), sec(tolerance)));
    }

    private long windowStart(final Timing timing)
    {
        if (timing instanceof Timing.Absolute a)
        {
            return a.micros();
        }
        if (timing instanceof Timing.Relative r)
        {
            return lastMicros + r.micros();
        }
        if (timing instanceof Timing.AbsoluteRange r)
        {
            return r.startMicros();
        }
        if (timing instanceof Timing.RelativeRange r)
        {
            return lastMicros + r.startMicros();
        }
        return lastMicros;
    }

    private long windowEnd(final Timing timing)
    {
        if (timing instanceof Timing.AbsoluteRange r)
        {
            return r.endMicros();
        }
        if (timing instanceof Timing.RelativeRange r)
        {
            return lastMicros + r.endMicros();
        }
        if (timing instanceof Timing.AnyTime)
        {
            return Long.MAX_VALUE;
        }
        return windowStart(timing);
    }

    private long tolerance(final long expectedMicros)
    {
        final long gap = Math.max(0, expectedMicros - lastMicros);
        return Math.max(toleranceUsecs, (long)(gap * tolerancePercent / 100.0));
    }

    private void requireStarted()
    {
        if (!started)
        {
            throw new IllegalStateException("timing engine not started: call start() first");
        }
    }

    private static double sec(final long micros)
    {
        return micros / 1e6;
    }
}

package dev.hostplane.packetscript.timing;

import java.util.Locale;

import dev.hostplane.packetscript.Script;
import dev.hostplane.packetscript.model.Timing;

/**
 * Checks each event of a running script against its timing form, as packetdrill's {@code verify_time} and
 * {@code adjust_relative_event_times} do.
 *
 * <p>Script time is microseconds since {@link #start()}. The executor calls {@link #begin} when it reaches an
 * event: a relative timing ({@code +0.1}, {@code +0.1~+0.2}, {@code *}) then counts from <em>now</em>, i.e. from
 * when the previous event actually completed, except that consecutive inbound packets are anchored to the
 * previous packet's scheduled time so that processing delays do not accumulate. A blocking system call
 * {@code +a...b} must return at {@code offset+b} ({@code a...b} without {@code +}: at absolute {@code b}).
 *
 * <p>Tolerance: {@code max(tolerance_usecs, tolerance_percent% of the script gap since the previous event)},
 * defaults 4000 µs and 12.5 % (packetdrill's {@code config.c}; 12.5 % is the worst-case timer-wheel slack of
 * modern Linux). An event is on time within {@code [start - tolerance, end + tolerance]}; {@code *} always is.
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
    private boolean first;
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
        first = true;
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
     * Fixes when an event is due, at the moment the executor reaches it. An executor then waits until
     * {@link EventWindow#startMicros()} to inject an inbound packet or start a system call, or until
     * {@link #deadlineMicros(EventWindow)} for an outbound packet.
     *
     * @param timing   the event's timing.
     * @param anchored true when this event and the previous one are both inbound packets.
     * @return the window.
     */
    public EventWindow begin(final Timing timing, final boolean anchored)
    {
        requireStarted();
        final long offset;
        if (timing instanceof Timing.Relative || timing instanceof Timing.RelativeRange ||
            timing instanceof Timing.AnyTime)
        {
            offset = anchored && !first ? lastMicros : nowScriptMicros();
        }
        else
        {
            offset = 0;
        }
        if (timing instanceof Timing.Absolute a)
        {
            return new EventWindow(timing, a.micros(), a.micros(), 0);
        }
        if (timing instanceof Timing.Relative r)
        {
            return new EventWindow(timing, offset + r.micros(), offset + r.micros(), offset);
        }
        if (timing instanceof Timing.AbsoluteRange r)
        {
            return new EventWindow(timing, r.startMicros(), r.endMicros(), 0);
        }
        if (timing instanceof Timing.RelativeRange r)
        {
            return new EventWindow(timing, offset + r.startMicros(), offset + r.endMicros(), offset);
        }
        return new EventWindow(timing, offset, Long.MAX_VALUE, offset);
    }

    /**
     * The last script time at which the event is still on time (window end plus tolerance): how long an executor
     * waits for an outbound packet. {@link Long#MAX_VALUE} for {@code *}.
     *
     * @param window the event's window.
     * @return the deadline in script time.
     */
    public long deadlineMicros(final EventWindow window)
    {
        return window.endMicros() == Long.MAX_VALUE ? Long.MAX_VALUE : window.endMicros() + tolerance(window);
    }

    /**
     * Checks that an event happened on time and makes it the previous event.
     *
     * @param window      from {@link #begin}.
     * @param actualLive  clock time at which it happened.
     * @param description what happened, for the message ({@code outbound packet}, {@code system call start}...).
     * @return the result; not ok, with packetdrill's message, when early or late.
     */
    public TimingResult check(final EventWindow window, final long actualLive, final String description)
    {
        requireStarted();
        final long actual = actualLive - liveStart;
        final long tolerance = tolerance(window);
        final long start = window.startMicros();
        final long end = window.endMicros();
        String message = null;
        if (window.timing() instanceof Timing.AbsoluteRange)
        {
            if (actual < start - tolerance || actual > end + tolerance)
            {
                message = String.format(Locale.ROOT,
                    "timing error: expected %s in time range %.6f~%.6f sec but happened at %.6f sec",
                    description, sec(start), sec(end), sec(actual));
            }
        }
        else if (window.timing() instanceof Timing.RelativeRange)
        {
            if (actual < start - tolerance || actual > end + tolerance)
            {
                final long offset = window.offsetMicros();
                message = String.format(Locale.ROOT,
                    "timing error: expected %s in relative time range +%.6f~+%.6f sec but happened at %+.6f sec",
                    description, sec(start - offset), sec(end - offset), sec(actual - offset));
            }
        }
        else if (!(window.timing() instanceof Timing.AnyTime) &&
            (actual < start - tolerance || actual > start + tolerance))
        {
            message = String.format(Locale.ROOT,
                "timing error: expected %s at %.6f sec but happened at %.6f sec; tolerance %.6f sec",
                description, sec(start), sec(actual), sec(tolerance));
        }
        lastMicros = start;
        first = false;
        return new TimingResult(message == null, start, end, actual, tolerance, message);
    }

    /**
     * Checks when a system call returned. A blocking call ({@code endMicros} given) must return at its end time;
     * a non-blocking call must not block for longer than the tolerance.
     *
     * @param window     the call's window from {@link #begin}.
     * @param startLive  clock time at which the call started.
     * @param endMicros  the call's {@code ...b} value, or null for a non-blocking call.
     * @param returnLive clock time at which the call returned.
     * @return the result.
     */
    public TimingResult checkReturn(final EventWindow window, final long startLive, final Long endMicros,
        final long returnLive)
    {
        requireStarted();
        final long actual = returnLive - liveStart;
        if (endMicros == null)
        {
            final long blocked = returnLive - startLive;
            final boolean ok = blocked <= toleranceUsecs;
            return new TimingResult(ok, startLive - liveStart, startLive - liveStart, actual, toleranceUsecs,
                ok ? null : String.format(Locale.ROOT,
                "timing error: expected non-blocking system call but it blocked for %.6f sec; tolerance %.6f sec",
                sec(blocked), sec(toleranceUsecs)));
        }
        final long expected = (window.timing() instanceof Timing.Relative ? window.offsetMicros() : 0) + endMicros;
        final long tolerance = Math.max(toleranceUsecs,
            (long)(tolerancePercent / 100.0 * Math.max(0, expected - window.startMicros())));
        final boolean ok = actual >= expected - tolerance && actual <= expected + tolerance;
        return new TimingResult(ok, expected, expected, actual, tolerance, ok ? null : String.format(Locale.ROOT,
            "timing error: expected system call return at %.6f sec but happened at %.6f sec; tolerance %.6f sec",
            sec(expected), sec(actual), sec(tolerance)));
    }

    private long tolerance(final EventWindow window)
    {
        final long gap = Math.max(0, window.startMicros() - lastMicros);
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

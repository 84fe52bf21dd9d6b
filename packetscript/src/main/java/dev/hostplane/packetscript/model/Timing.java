package dev.hostplane.packetscript.model;

/**
 * When an event is expected, as packetdrill writes it in front of each statement. All times are microseconds.
 */
public sealed interface Timing permits Timing.Absolute, Timing.Relative, Timing.AnyTime, Timing.AbsoluteRange,
    Timing.RelativeRange
{
    /**
     * {@code 0.750}: at a fixed time since the script started.
     *
     * @param micros microseconds since the start of the script.
     */
    record Absolute(long micros) implements Timing
    {
    }

    /**
     * {@code +0.2}: a fixed time after the previous event.
     *
     * @param micros microseconds after the previous event.
     */
    record Relative(long micros) implements Timing
    {
    }

    /**
     * {@code *}: any time (outbound packets only).
     */
    record AnyTime() implements Timing
    {
    }

    /**
     * {@code 0.750~0.900}: any time within an absolute window (outbound packets only).
     *
     * @param startMicros window start since script start.
     * @param endMicros   window end since script start.
     */
    record AbsoluteRange(long startMicros, long endMicros) implements Timing
    {
    }

    /**
     * {@code +0.1~+0.2}: any time within a window relative to the previous event (outbound packets only).
     *
     * @param startMicros window start after the previous event.
     * @param endMicros   window end after the previous event.
     */
    record RelativeRange(long startMicros, long endMicros) implements Timing
    {
    }
}

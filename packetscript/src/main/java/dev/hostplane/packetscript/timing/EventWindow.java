package dev.hostplane.packetscript.timing;

import dev.hostplane.packetscript.model.Timing;

/**
 * When one event is due, fixed when the executor reaches it ({@link TimingEngine#begin}): script times in
 * microseconds since the script started.
 *
 * @param timing       the event's timing as written.
 * @param startMicros  the expected time (window start for ranges; for {@code *}, when waiting began).
 * @param endMicros    window end for ranges, {@link Long#MAX_VALUE} for {@code *}, else equal to the start.
 * @param offsetMicros what a relative time was counted from (0 for absolute timings).
 */
public record EventWindow(Timing timing, long startMicros, long endMicros, long offsetMicros)
{
    /**
     * Whether the timing was written relative ({@code +...}, {@code +a~+b}, or {@code *}).
     *
     * @return true for relative timings.
     */
    public boolean isRelative()
    {
        return timing instanceof Timing.Relative || timing instanceof Timing.RelativeRange ||
            timing instanceof Timing.AnyTime;
    }
}

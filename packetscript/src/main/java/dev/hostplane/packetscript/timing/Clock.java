package dev.hostplane.packetscript.timing;

/**
 * A monotonic microsecond clock, injectable so timing checks can be tested without sleeping.
 */
@FunctionalInterface
public interface Clock
{
    /** The real monotonic clock ({@link System#nanoTime()} in microseconds). */
    Clock SYSTEM = () -> System.nanoTime() / 1000;

    /**
     * The current time.
     *
     * @return microseconds from an arbitrary origin; never goes backwards.
     */
    long nowMicros();
}

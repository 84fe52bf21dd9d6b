package dev.hostplane.packetscript.model;

import java.util.Objects;

/**
 * One timed statement of a script. Equality ignores the source position so that a printed and re-parsed script
 * compares equal to the original.
 *
 * @param position where the statement's time was written.
 * @param timing   when the event is expected.
 * @param action   what the event does.
 */
public record Event(SourcePosition position, Timing timing, Action action)
{
    /**
     * Checks the components.
     *
     * @param position where the statement's time was written.
     * @param timing   when the event is expected.
     * @param action   what the event does.
     */
    public Event
    {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(action, "action");
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof Event that && timing.equals(that.timing) && action.equals(that.action);
    }

    @Override
    public int hashCode()
    {
        return 31 * timing.hashCode() + action.hashCode();
    }
}

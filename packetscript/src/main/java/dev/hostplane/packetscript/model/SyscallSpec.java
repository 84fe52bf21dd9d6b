package dev.hostplane.packetscript.model;

import java.util.List;

/**
 * A system call in strace syntax: {@code read(4, ..., 1000) = -1 EAGAIN (Resource temporarily unavailable)}.
 *
 * @param endMicros blocking end time of {@code a...b} (absolute microseconds), or null for a non-blocking call.
 * @param name      the call's name, e.g. {@code setsockopt}.
 * @param arguments argument expressions.
 * @param result    expected return value expression.
 * @param errno     expected errno name (e.g. {@code EAGAIN}), or null.
 * @param note      the parenthesized text after the result (e.g. strerror text), or null.
 */
public record SyscallSpec(Long endMicros, String name, List<Expression> arguments, Expression result, String errno,
    String note) implements Action
{
    /**
     * Copies the list.
     *
     * @param endMicros blocking end time or null.
     * @param name      call name.
     * @param arguments arguments.
     * @param result    expected result.
     * @param errno     errno name or null.
     * @param note      note or null.
     */
    public SyscallSpec
    {
        arguments = List.copyOf(arguments);
    }

    /**
     * Whether the call was written as blocking ({@code a...b}).
     *
     * @return true if blocking.
     */
    public boolean isBlocking()
    {
        return endMicros != null;
    }
}

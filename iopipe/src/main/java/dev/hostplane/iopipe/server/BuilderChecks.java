package dev.hostplane.iopipe.server;

import java.time.Duration;

/**
 * Argument checks shared by the servers' builders, so a bad setting fails where it is set and names the setting,
 * its value and what was expected.
 */
final class BuilderChecks
{
    private BuilderChecks()
    {
    }

    static int inRange(final String name, final int value, final int min, final int max)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(name + "=" + value + " (expected: " + min + ".." + max + ")");
        }
        return value;
    }

    static Duration positive(final String name, final Duration value)
    {
        if (null == value || value.isNegative() || value.isZero())
        {
            throw new IllegalArgumentException(name + "=" + value + " (expected: > 0)");
        }
        return value;
    }
}

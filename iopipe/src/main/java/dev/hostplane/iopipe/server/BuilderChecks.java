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

    /** A congestion control name as the kernel takes it (TCP_CA_NAME_MAX 16, with its NUL), or null for the automatic choice. */
    static String congestionControl(final String name)
    {
        if (null == name)
        {
            return null;
        }
        if (name.isEmpty() || name.length() > 15 || !name.chars().allMatch(c -> c > ' ' && c < 127))
        {
            throw new IllegalArgumentException("congestionControl=" + name
                + " (expected: an algorithm name of 1..15 printable ASCII characters, e.g. reno, cubic, bbr, or "
                + CongestionControl.SYSTEM + ")");
        }
        return name;
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

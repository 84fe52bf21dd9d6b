package dev.hostplane.vswitch;

import java.util.Locale;

/**
 * What a switching worker does when a poll of its ports found no work. The choice trades latency
 * against CPU: the spinning modes answer fastest and keep a core busy; {@link #BLOCKING} is the one
 * for machines shared with other work.
 */
public enum IdleMode
{
    /** Spin on the ports without pausing: lowest latency, one core per worker at 100 %. */
    BUSY_SPIN("busy-spin"),
    /** Spin, yielding the core to other runnable threads between polls. */
    YIELD("yield"),
    /** Spin, then yield, then park for growing intervals up to 1 ms (the default). */
    BACKOFF("backoff"),
    /** Sleep 1 ms between empty polls. */
    SLEEP("sleep"),
    /** Spin briefly, then wait in poll(2)/park until a port has frames: no CPU while idle. */
    BLOCKING("blocking");

    private final String alias;

    IdleMode(final String alias)
    {
        this.alias = alias;
    }

    /**
     * The lower-case name used on command lines and in configuration files.
     *
     * @return the alias, e.g. {@code busy-spin}.
     */
    public String alias()
    {
        return alias;
    }

    /**
     * Reads a mode from its alias or its constant name, case-insensitively.
     *
     * @param text e.g. {@code blocking}, {@code busy-spin} or {@code BUSY_SPIN}.
     * @return the mode.
     * @throws IllegalArgumentException naming the text and the accepted aliases.
     */
    public static IdleMode fromAlias(final String text)
    {
        final String key = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (final IdleMode mode : values())
        {
            if (mode.alias.equals(key))
            {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown idle mode (expected busy-spin, yield, backoff, sleep, blocking): " +
            text);
    }

    @Override
    public String toString()
    {
        return alias;
    }
}

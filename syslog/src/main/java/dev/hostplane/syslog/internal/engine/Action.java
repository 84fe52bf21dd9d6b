package dev.hostplane.syslog.internal.engine;

import dev.hostplane.syslog.internal.template.RenderContext;

/**
 * An output or message modification module instance (omfile, omdiscard, mmjsonparse, ...).
 */
public interface Action
{
    /**
     * Processes the current message.
     *
     * @param ctx context.
     */
    void execute(RenderContext ctx);

    /**
     * The daemon is about to take messages (replay and check never call this): an output whose
     * transport is costly to set up may start setting it up now, on a thread of its own, so that
     * the first messages do not wait for it.
     */
    default void daemonStarting()
    {
    }

    /** Writes buffered data out. */
    default void flush()
    {
    }

    /** Log rotation (HUP): files close so the next message re-opens them by name. */
    default void reopen()
    {
        close();
    }

    /**
     * Outage counters of an action that can fail (files, network targets), or null.
     *
     * @return stats or null.
     */
    default ActionStats stats()
    {
        return null;
    }

    /** Flushes and releases files. */
    default void close()
    {
    }
}

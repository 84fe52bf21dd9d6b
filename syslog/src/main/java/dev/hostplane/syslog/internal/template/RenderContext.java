package dev.hostplane.syslog.internal.template;

import java.util.Map;

import dev.hostplane.syslog.internal.message.EngineClock;
import dev.hostplane.syslog.internal.message.SyslogMessage;

/**
 * What rendering and filtering need besides the message: the clock and the global variable tree.
 * One per worker; the message is re-pointed for every message.
 */
public final class RenderContext
{
    /** The message being processed. */
    public SyslogMessage message;
    /** The engine clock. */
    public final EngineClock clock;
    /** Error state of the last function call, for {@code script_error()}. */
    public boolean scriptError;
    /** The {@code $/} tree, shared by all workers. */
    public final Map<String, Object> globals;

    /**
     * Creates a context.
     *
     * @param clock   engine clock.
     * @param globals global variables (shared).
     */
    public RenderContext(final EngineClock clock, final Map<String, Object> globals)
    {
        this.clock = clock;
        this.globals = globals;
    }

    /**
     * A fresh global tree.
     *
     * @return a thread-safe map.
     */
    public static Map<String, Object> newGlobals()
    {
        return java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    }
}

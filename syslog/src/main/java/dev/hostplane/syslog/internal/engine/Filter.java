package dev.hostplane.syslog.internal.engine;

import dev.hostplane.syslog.internal.template.RenderContext;

/**
 * A compiled condition. Specialised implementations (PRI bitmask, property compare, hash-set
 * array match) evaluate without allocating.
 */
public interface Filter
{
    /**
     * Tests the current message.
     *
     * @param ctx context.
     * @return true when the filter matches.
     */
    boolean test(RenderContext ctx);
}

package dev.hostplane.syslog.internal.script;

import dev.hostplane.syslog.internal.template.RenderContext;

/**
 * A RainerScript expression node.
 */
public interface Expr
{
    /**
     * Evaluates the expression.
     *
     * @param ctx current message context.
     * @return String, Long, JSON container or null.
     */
    Object eval(RenderContext ctx);
}

package dev.hostplane.syslog.internal.engine;

import dev.hostplane.syslog.internal.template.RenderContext;

/**
 * A node of the compiled rule graph.
 */
public interface Stmt
{
    /**
     * Runs the statement for the current message.
     *
     * @param ctx context.
     * @return false when processing of the message must stop ({@code stop}, {@code ~}).
     */
    boolean exec(RenderContext ctx);

    /**
     * Appends a readable form for {@code syslog check}.
     *
     * @param out    destination.
     * @param indent indentation.
     */
    void describe(StringBuilder out, String indent);
}

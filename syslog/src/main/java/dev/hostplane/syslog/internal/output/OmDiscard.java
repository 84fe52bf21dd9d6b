package dev.hostplane.syslog.internal.output;

import dev.hostplane.syslog.internal.engine.Action;
import dev.hostplane.syslog.internal.template.RenderContext;

/**
 * omdiscard (and outputs with no effect in this engine, such as omusrmsg): accepts and drops.
 */
public final class OmDiscard implements Action
{
    private final String name;

    /**
     * Creates the action.
     *
     * @param name module name shown by {@code check}.
     */
    public OmDiscard(final String name)
    {
        this.name = name;
    }

    @Override
    public void execute(final RenderContext ctx)
    {
        // Dropping the message is the whole point of this action.
    }

    @Override
    public String toString()
    {
        return name + "()";
    }
}

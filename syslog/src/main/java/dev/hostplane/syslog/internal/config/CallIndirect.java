package dev.hostplane.syslog.internal.config;

import java.util.Map;

import dev.hostplane.syslog.internal.engine.Stmt;
import dev.hostplane.syslog.internal.engine.Stmts;
import dev.hostplane.syslog.internal.script.Expr;
import dev.hostplane.syslog.internal.script.Values;
import dev.hostplane.syslog.internal.template.RenderContext;

/**
 * {@code call_indirect expr;}: calls the ruleset whose name the expression yields; an unknown
 * name does nothing (rsyslog reports it and carries on).
 */
final class CallIndirect implements Stmt
{
    private final Expr target;
    private final Map<String, Stmts.Block> rulesets;

    CallIndirect(final Expr target, final Map<String, Stmts.Block> rulesets)
    {
        this.target = target;
        this.rulesets = rulesets;
    }

    @Override
    public boolean exec(final RenderContext ctx)
    {
        final Stmts.Block block = rulesets.get(Values.str(target.eval(ctx)));
        return null == block || block.exec(ctx);
    }

    @Override
    public void describe(final StringBuilder out, final String indent)
    {
        out.append(indent).append("call_indirect ").append(target).append('\n');
    }
}

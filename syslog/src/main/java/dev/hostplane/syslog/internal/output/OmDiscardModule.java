package dev.hostplane.syslog.internal.output;

import dev.hostplane.syslog.internal.engine.Action;
import dev.hostplane.syslog.internal.module.OutputContext;
import dev.hostplane.syslog.internal.module.OutputModule;
import dev.hostplane.syslog.internal.module.ParamSet;
import dev.hostplane.syslog.internal.module.Params;

/**
 * {@code omdiscard} (built in): does nothing with the message; {@code omusrmsg} (user terminals) is
 * declared here too and also writes nothing, since a library must not write to users' terminals.
 */
public final class OmDiscardModule implements OutputModule
{
    /** {@code omdiscard}. */
    public static final OmDiscardModule DISCARD = new OmDiscardModule("omdiscard", ParamSet.EMPTY);
    /** {@code omusrmsg}: accepted, writes nothing. */
    public static final OmDiscardModule USRMSG = new OmDiscardModule("omusrmsg", ParamSet.of(
        dev.hostplane.syslog.internal.module.Param.array("users").required(),
        dev.hostplane.syslog.internal.module.Param.string("template")));

    private final String name;
    private final ParamSet params;

    private OmDiscardModule(final String name, final ParamSet params)
    {
        this.name = name;
        this.params = params;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public ParamSet params()
    {
        return params;
    }

    @Override
    public boolean needsLoad()
    {
        return false;
    }

    @Override
    public Action create(final Params params, final OutputContext ctx)
    {
        return new OmDiscard(name);
    }
}

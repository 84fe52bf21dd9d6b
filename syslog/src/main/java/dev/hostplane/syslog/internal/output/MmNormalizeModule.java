package dev.hostplane.syslog.internal.output;

import java.nio.file.Paths;

import dev.hostplane.syslog.SyslogConfigException;
import dev.hostplane.syslog.SyslogException;
import dev.hostplane.syslog.internal.engine.Action;
import dev.hostplane.syslog.internal.module.OutputContext;
import dev.hostplane.syslog.internal.module.OutputModule;
import dev.hostplane.syslog.internal.module.Param;
import dev.hostplane.syslog.internal.module.ParamSet;
import dev.hostplane.syslog.internal.module.Params;

/** {@code mmnormalize}: a liblognorm v1 rulebase into the {@code $!} tree. */
public final class MmNormalizeModule implements OutputModule
{
    /** The one instance. */
    public static final MmNormalizeModule INSTANCE = new MmNormalizeModule();

    private static final ParamSet PARAMS = ParamSet.of(
        Param.string("rulebase").required(),
        Param.string("rule").noEffect("rules come from the rulebase file"),
        Param.binary("userawmsg", false),
        Param.string("path").withDefault("$!"),
        Param.string("variable").noEffect("the message text is normalized"));

    private MmNormalizeModule()
    {
    }

    @Override
    public String name()
    {
        return "mmnormalize";
    }

    @Override
    public ParamSet params()
    {
        return PARAMS;
    }

    @Override
    public ParamSet moduleParams()
    {
        return ParamSet.of(Param.binary("allow_regex", false).noEffect("rulebases without regex"));
    }

    @Override
    public Action create(final Params p, final OutputContext ctx)
    {
        try
        {
            return new MmNormalize(Paths.get(p.string("rulebase")), p.bool("userawmsg"), p.string("path"));
        }
        catch (final SyslogConfigException ex)
        {
            throw ex;
        }
        catch (final SyslogException ex)
        {
            throw p.error("rulebase", ex.getMessage());
        }
    }
}

package dev.hostplane.syslog.internal.output;

import dev.hostplane.syslog.internal.engine.Action;
import dev.hostplane.syslog.internal.module.OutputContext;
import dev.hostplane.syslog.internal.module.OutputModule;
import dev.hostplane.syslog.internal.module.Param;
import dev.hostplane.syslog.internal.module.ParamSet;
import dev.hostplane.syslog.internal.module.Params;

/** {@code mmjsonparse}: CEE JSON into the {@code $!} tree. */
public final class MmJsonParseModule implements OutputModule
{
    /** The one instance. */
    public static final MmJsonParseModule INSTANCE = new MmJsonParseModule();

    private static final ParamSet PARAMS = ParamSet.of(
        Param.string("cookie").withDefault("@cee:"),
        Param.binary("userawmsg", false),
        Param.string("container").withDefault("$!"),
        Param.choice("mode", "cookie", "cookie", "find-json").noEffect("only the cookie mode"),
        Param.integer("max_scan_bytes", 0, Integer.MAX_VALUE, 65536).noEffect("only the cookie mode"),
        Param.binary("allow_trailing", true).noEffect("only the cookie mode"));

    private MmJsonParseModule()
    {
    }

    @Override
    public String name()
    {
        return "mmjsonparse";
    }

    @Override
    public ParamSet params()
    {
        return PARAMS;
    }

    @Override
    public Action create(final Params p, final OutputContext ctx)
    {
        return new MmJsonParse(p.string("cookie"), p.bool("userawmsg"), p.string("container"));
    }
}

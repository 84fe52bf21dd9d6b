package dev.hostplane.syslog.internal.output;

import java.nio.file.Paths;

import dev.hostplane.syslog.internal.engine.Action;
import dev.hostplane.syslog.internal.module.ActionParams;
import dev.hostplane.syslog.internal.module.OutputContext;
import dev.hostplane.syslog.internal.module.OutputModule;
import dev.hostplane.syslog.internal.module.Param;
import dev.hostplane.syslog.internal.module.ParamSet;
import dev.hostplane.syslog.internal.module.Params;

/**
 * {@code omfile} (built in): a static file ({@code file=}) or a file per message ({@code dynaFile=}).
 * Owner/group, compression and signing parameters are accepted as rsyslog spells them and warned about.
 */
public final class OmFileModule implements OutputModule
{
    /** The one instance. */
    public static final OmFileModule INSTANCE = new OmFileModule();

    private static final String NO_CHOWN = "files keep the daemon's owner and group";
    private static final String NO_ZIP = "files are written uncompressed";
    private static final String WRITE_PATH = "files are written at the end of each batch";

    private static final ParamSet PARAMS = ParamSet.of(
        Param.string("file"),
        Param.string("dynafile"),
        Param.string("template"),
        Param.binary("createdirs", true),
        Param.fileMode("dircreatemode", 0700),
        Param.fileMode("filecreatemode", 0644),
        Param.binary("sync", false),
        Param.integer("dynafilecachesize", 1, 1000, 10),
        Param.binary("flushontxend", true).noEffect(WRITE_PATH),
        Param.binary("asyncwriting", false).noEffect(WRITE_PATH),
        Param.size("iobuffersize", 1, Integer.MAX_VALUE, 4096).noEffect("the write buffer is 64 KiB"),
        Param.integer("flushinterval", 0, Integer.MAX_VALUE, 1).noEffect(WRITE_PATH),
        Param.string("fileowner").noEffect(NO_CHOWN),
        Param.string("filegroup").noEffect(NO_CHOWN),
        Param.string("dirowner").noEffect(NO_CHOWN),
        Param.string("dirgroup").noEffect(NO_CHOWN),
        Param.integer("fileownernum", 0, Integer.MAX_VALUE, 0).noEffect(NO_CHOWN),
        Param.integer("filegroupnum", 0, Integer.MAX_VALUE, 0).noEffect(NO_CHOWN),
        Param.integer("dirownernum", 0, Integer.MAX_VALUE, 0).noEffect(NO_CHOWN),
        Param.integer("dirgroupnum", 0, Integer.MAX_VALUE, 0).noEffect(NO_CHOWN),
        Param.binary("failonchownfailure", true).noEffect(NO_CHOWN),
        Param.integer("ziplevel", 0, 9, 0).noEffect(NO_ZIP),
        Param.binary("veryrobustzip", true).noEffect(NO_ZIP),
        Param.string("compression.driver").noEffect(NO_ZIP),
        Param.integer("compression.zstd.workers", 0, 64, 0).noEffect(NO_ZIP),
        Param.integer("closetimeout", 0, Integer.MAX_VALUE, 0).noEffect("files stay open until HUP"),
        Param.size("rotation.sizelimit", 0, Long.MAX_VALUE, 0).noEffect("rotate with HUP"),
        Param.string("rotation.sizelimitcommand").noEffect("rotate with HUP"),
        Param.string("sig.provider").noEffect("no log signing"),
        Param.string("cry.provider").noEffect("no log encryption"),
        Param.binary("addlf", false).noEffect("templates end their own lines"),
        Param.binary("dynafile.donotsuspend", true).noEffect("a failing dynafile suspends only its own writes"));

    private OmFileModule()
    {
    }

    @Override
    public String name()
    {
        return "omfile";
    }

    @Override
    public ParamSet params()
    {
        return PARAMS;
    }

    @Override
    public ParamSet moduleParams()
    {
        return ParamSet.of(Param.string("template"), Param.fileMode("filecreatemode", 0644),
            Param.fileMode("dircreatemode", 0700),
            Param.binary("dynafile.donotsuspend", true).noEffect("a failing dynafile suspends only its own writes"),
            Param.string("compression.driver").noEffect(NO_ZIP));
    }

    @Override
    public boolean needsLoad()
    {
        return false;
    }

    @Override
    public Action create(final Params p, final OutputContext ctx)
    {
        final FileOptions o = ctx.fileDefaults();
        if (p.isSet("createdirs"))
        {
            o.createDirs = p.bool("createdirs");
        }
        if (p.isSet("dircreatemode"))
        {
            o.dirCreateMode = p.integer("dircreatemode");
        }
        if (p.isSet("filecreatemode"))
        {
            o.fileCreateMode = p.integer("filecreatemode");
        }
        o.sync = p.bool("sync");
        if (p.isSet("dynafilecachesize"))
        {
            o.dynaFileCacheSize = p.integer("dynafilecachesize");
        }
        if (p.isSet("file") == p.isSet("dynafile"))
        {
            throw p.error("expected exactly one of the parameters 'file' and 'dynaFile'");
        }
        if (p.isSet("queue.size"))
        {
            o.holdLimit = p.integer("queue.size");
        }
        if (p.isSet("file"))
        {
            return new OmFile(Paths.get(p.string("file")), ctx.template(p, null), o,
                ActionParams.resumption(p, "omfile(file=" + p.string("file") + ")"));
        }
        return new DynaFile(ctx.namedTemplate(p, "dynafile"), ctx.template(p, null), o,
            ActionParams.resumption(p, "omfile(dynaFile=" + p.string("dynafile") + ")"));
    }
}

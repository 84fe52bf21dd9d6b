package dev.hostplane.syslog.internal.config;

import dev.hostplane.syslog.internal.module.Param;
import dev.hostplane.syslog.internal.module.ParamSet;

/**
 * Parameters of the config objects that are not modules ({@code global}, {@code main_queue},
 * {@code template} and its items, {@code ruleset}, {@code parser}, {@code lookup_table},
 * {@code include}), as rsyslog 8.2302 declares them. Those this engine does not act on are
 * declared with the reason, so configs that use them still load with a warning.
 */
final class ObjectParams
{
    private static final long MAX = Integer.MAX_VALUE;
    private static final String NO_PRIVDROP = "the embedding process owns its identity";
    private static final String NO_DEBUG = "diagnostics go through SLF4J";

    /** Parameters every {@code module(load=)} takes besides the module's own. */
    static final ParamSet MODULE_LOAD = ParamSet.of(Param.string("load").required(),
        Param.binary("config.enabled", true));

    /** Parameters every {@code input()} takes besides the module's own. */
    static final ParamSet INPUT_COMMON = ParamSet.of(Param.string("type").required(),
        Param.binary("config.enabled", true));

    static final ParamSet GLOBAL = ParamSet.of(
        Param.string("workdirectory"),
        Param.string("localhostname"),
        Param.binary("preservefqdn", false).noEffect("host names are taken as written"),
        Param.binary("net.enabledns", true),
        Param.size("maxmessagesize", 128, 200_000_000, 8096),
        Param.binary("parser.escapecontrolcharactersonreceive", true),
        Param.binary("parser.escapecontrolcharactertab", true),
        Param.binary("parser.escape8bitcharactersonreceive", false),
        Param.string("parser.controlcharacterescapeprefix"),
        Param.binary("parser.permitslashinprogramname", false),
        Param.binary("parser.droptrailinglfonreception", true).noEffect("trailing LFs are always dropped"),
        Param.binary("parser.escapecontrolcharacterscstyle", false).noEffect("octal escapes"),
        Param.binary("parser.parsehostnameandtag", true).noEffect("host name and tag are always parsed"),
        Param.binary("parser.spacelfonreceive", false).noEffect("LFs are escaped"),
        Param.binary("parser.supportcompressionextension", true).noEffect("no compressed syslog"),
        Param.binary("processinternalmessages", false).noEffect("internal messages go through SLF4J"),
        Param.binary("action.reportsuspension", true),
        Param.binary("action.reportsuspensioncontinuation", false),
        Param.binary("dropmsgswithmaliciousdnsptrrecords", false).noEffect("names are not trusted"),
        Param.choice("defaultnetstreamdriver", "ptcp", "ptcp", "gtls", "ossl"),
        Param.string("defaultnetstreamdrivercafile"),
        Param.string("defaultnetstreamdrivercertfile"),
        Param.string("defaultnetstreamdriverkeyfile"),
        Param.string("netstreamdrivercaextrafiles").unsupported("give every CA in defaultNetstreamDriverCAFile"),
        Param.string("stdlog.channelspec").noEffect(NO_DEBUG),
        Param.string("operatingstatefile").noEffect(NO_DEBUG),
        Param.fileMode("umask", 022).noEffect("file modes are set explicitly"),
        Param.string("privdrop.user.name").noEffect(NO_PRIVDROP),
        Param.integer("privdrop.user.id", 0, MAX, 0).noEffect(NO_PRIVDROP),
        Param.string("privdrop.group.name").noEffect(NO_PRIVDROP),
        Param.integer("privdrop.group.id", 0, MAX, 0).noEffect(NO_PRIVDROP),
        Param.binary("privdrop.group.keepsupplemental", false).noEffect(NO_PRIVDROP),
        Param.choice("net.ipprotocol", "unspecified", "unspecified", "ipv4-only", "ipv6-only")
            .noEffect("listeners bind the address given"),
        Param.binary("net.acladdhostnameonfail", false).noEffect("allowed senders match by address"),
        Param.binary("net.aclresolvehostname", true).noEffect("allowed senders match by address"),
        Param.binary("net.permitaclwarning", true).noEffect("refused senders are counted"),
        Param.binary("abortonuncleanconfig", false).noEffect("config errors always stop the load"),
        Param.binary("abortonfailedqueuestartup", false).noEffect("queue start-up errors stop the daemon"),
        Param.binary("variables.casesensitive", false).noEffect("variable names are case-insensitive"),
        Param.array("environment").noEffect("the environment is the embedding process's"),
        Param.integer("internalmsg.ratelimit.interval", 0, MAX, 5).noEffect(NO_DEBUG),
        Param.integer("internalmsg.ratelimit.burst", 0, MAX, 500).noEffect(NO_DEBUG),
        Param.string("internalmsg.severity").noEffect(NO_DEBUG),
        Param.integer("errormessagestostderr.maxnumber", 0, MAX, 0).noEffect(NO_DEBUG),
        Param.binary("shutdown.enable.ctlc", false).noEffect("SIGINT always stops the daemon"),
        Param.binary("shutdown.queue.doublesize", false).noEffect("queues keep their size"),
        Param.integer("inputs.timeout.shutdown", 0, MAX, 1000).noEffect("inputs stop at once"),
        Param.integer("default.action.queue.timeoutshutdown", 0, MAX, 0).noEffect("set it per action"),
        Param.integer("default.action.queue.timeoutactioncompletion", 0, MAX, 0).noEffect("set it per action"),
        Param.integer("default.action.queue.timeoutenqueue", 0, MAX, 0).noEffect("set it per action"),
        Param.integer("default.action.queue.timeoutworkerthreadshutdown", 0, MAX, 0).noEffect("set it per action"),
        Param.integer("default.ruleset.queue.timeoutshutdown", 0, MAX, 0).noEffect("rulesets share the main queue"),
        Param.integer("default.ruleset.queue.timeoutactioncompletion", 0, MAX, 0).noEffect("rulesets share the main queue"),
        Param.integer("default.ruleset.queue.timeoutenqueue", 0, MAX, 0).noEffect("rulesets share the main queue"),
        Param.integer("default.ruleset.queue.timeoutworkerthreadshutdown", 0, MAX, 0)
            .noEffect("rulesets share the main queue"),
        Param.integer("reverselookup.cache.ttl.default", 0, MAX, 86400).noEffect("names are cached for the run"),
        Param.binary("reverselookup.cache.ttl.enable", false).noEffect("names are cached for the run"),
        Param.binary("senders.keeptrack", false).noEffect("senders are counted per input"),
        Param.binary("senders.reportgoneaway", false).noEffect("senders are counted per input"),
        Param.binary("senders.reportnew", false).noEffect("senders are counted per input"),
        Param.integer("senders.timeoutafter", 0, MAX, 43200).noEffect("senders are counted per input"),
        Param.array("debug.files").noEffect(NO_DEBUG),
        Param.binary("debug.whitelist", true).noEffect(NO_DEBUG),
        Param.binary("debug.gnutls", false).noEffect(NO_DEBUG),
        Param.string("debug.logfile").noEffect(NO_DEBUG),
        Param.binary("debug.onshutdown", false).noEffect(NO_DEBUG),
        Param.binary("debug.unloadmodules", true).noEffect(NO_DEBUG),
        Param.integer("janitor.interval", 0, MAX, 10).noEffect("no janitor"),
        Param.string("oversizemsg.errorfile").noEffect("oversized messages are counted"),
        Param.string("oversizemsg.input.mode").noEffect("oversized messages are truncated"),
        Param.binary("oversizemsg.report", true).noEffect("oversized messages are counted"),
        Param.binary("security.abortonidresolutionfail", true).noEffect(NO_PRIVDROP),
        Param.string("internal.developeronly.options").noEffect(NO_DEBUG),
        Param.binary("reportchildprocessexits", false).noEffect("no child processes"));

    static final ParamSet MAIN_QUEUE = ParamSet.of(
        Param.choice("queue.type", "fixedarray", "direct", "linkedlist", "fixedarray", "disk"),
        Param.size("queue.size", 1, 1 << 30, 100_000),
        Param.size("queue.dequeuebatchsize", 1, MAX, 256),
        Param.string("queue.filename"),
        Param.string("queue.spooldirectory"),
        Param.size("queue.highwatermark", 0, MAX, 0),
        Param.size("queue.lowwatermark", 0, MAX, 0),
        Param.size("queue.fulldelaymark", 0, MAX, 0),
        Param.size("queue.lightdelaymark", 0, MAX, 0),
        Param.size("queue.discardmark", 0, MAX, 0),
        Param.integer("queue.discardseverity", 0, 8, 8),
        Param.size("queue.maxdiskspace", 0, Long.MAX_VALUE, 0),
        Param.size("queue.maxfilesize", 1, Long.MAX_VALUE, 1_048_576),
        Param.integer("queue.checkpointinterval", 0, MAX, 0),
        Param.binary("queue.syncqueuefiles", false),
        Param.binary("queue.saveonshutdown", false),
        Param.integer("queue.timeoutshutdown", 0, MAX, 1500),
        Param.integer("queue.timeoutenqueue", 0, MAX, 2000),
        Param.integer("queue.timeoutactioncompletion", 0, MAX, 1000),
        Param.integer("queue.timeoutworkerthreadshutdown", 0, MAX, 60000),
        Param.integer("queue.workerthreads", 1, MAX, 2),
        Param.integer("queue.workerthreadminimummessages", 0, MAX, 0),
        Param.integer("queue.mindequeuebatchsize", 0, MAX, 0),
        Param.integer("queue.mindequeuebatchsize.timeout", 0, MAX, 1000),
        Param.integer("queue.dequeueslowdown", 0, MAX, 0),
        Param.integer("queue.dequeuetimebegin", 0, 25, 0),
        Param.integer("queue.dequeuetimeend", 0, 25, 25),
        Param.integer("queue.samplinginterval", 0, MAX, 0),
        Param.binary("queue.takeflowctlfrommsg", false),
        Param.string("queue.cry.provider"));

    static final ParamSet TEMPLATE = ParamSet.of(
        Param.string("name").required(),
        Param.choice("type", "string", "string", "list", "subtree", "plugin"),
        Param.string("string"),
        Param.string("subtree"),
        Param.string("plugin"),
        Param.binary("option.json", false),
        Param.binary("option.jsonf", false),
        Param.binary("option.sql", false),
        Param.binary("option.stdsql", false),
        Param.binary("option.casesensitive", false).noEffect("property names are case-insensitive"));

    static final ParamSet PROPERTY = ParamSet.of(
        Param.string("name").required(),
        Param.string("outname"),
        Param.string("dateformat"),
        Param.string("date.format"),
        Param.string("date.inutc"),
        Param.integer("position.from", 0, MAX, 0),
        Param.integer("position.to", 0, MAX, 0),
        Param.binary("position.relativetoend", false),
        Param.integer("field.number", 0, MAX, 0),
        Param.integer("field.delimiter", 0, 255, 9),
        Param.string("regex.expression"),
        Param.choice("regex.type", "bre", "bre", "ere"),
        Param.integer("regex.submatch", 0, 50, 0),
        Param.integer("regex.match", 0, MAX, 0),
        Param.choice("regex.nomatchmode", "dflt", "dflt", "blank", "zero", "field"),
        Param.choice("caseconversion", "none", "none", "lower", "upper"),
        Param.choice("controlcharacters", "keep", "keep", "escape", "drop", "space"),
        Param.choice("securepath", "none", "none", "drop", "replace"),
        Param.choice("format", "none", "none", "csv", "json", "jsonf", "jsonr", "jsonfr"),
        Param.choice("datatype", "string", "string", "number", "auto", "bool"),
        Param.choice("onempty", "keep", "keep", "skip", "null"),
        Param.binary("droplastlf", false),
        Param.binary("spifno1stsp", false),
        Param.binary("fixedwidth", false),
        Param.binary("compressspace", false).noEffect("spaces are kept"),
        Param.binary("mandatory", false).noEffect("empty properties are rendered as empty"));

    static final ParamSet CONSTANT = ParamSet.of(
        Param.string("value").required(),
        Param.string("outname").noEffect("constants are rendered as text"),
        Param.string("format").noEffect("constants are rendered as text"));

    static final ParamSet RULESET;

    static
    {
        ParamSet rs = ParamSet.of(Param.string("name").required(), Param.array("parser"));
        for (final Param q : MAIN_QUEUE.all())
        {
            rs = rs.plus(ParamSet.of(q));
        }
        RULESET = rs;
    }

    static final ParamSet PARSER = ParamSet.of(
        Param.string("name").required(),
        Param.string("type").required(),
        Param.binary("force.tagendingbycolon", false),
        Param.binary("remove.msgfirstspace", false),
        Param.binary("permit.squarebracketsinhostname", false),
        Param.binary("permit.slashesinhostname", false),
        Param.binary("permit.atsignsinhostname", false),
        Param.binary("detect.yearaftertimestamp", false).noEffect("years after the time are not looked for"),
        Param.binary("detect.headerless", false).noEffect("headerless messages are detected by their first byte"),
        Param.string("headerless.hostname").noEffect("headerless messages are detected by their first byte"),
        Param.string("headerless.tag").noEffect("headerless messages are detected by their first byte"),
        Param.string("headerless.ruleset").noEffect("headerless messages are detected by their first byte"),
        Param.string("headerless.errorfile").noEffect("headerless messages are detected by their first byte"),
        Param.binary("headerless.drop", false).noEffect("headerless messages are detected by their first byte"));

    static final ParamSet LOOKUP_TABLE = ParamSet.of(
        Param.string("name").required(),
        Param.string("file").required(),
        Param.binary("reloadonhup", true).noEffect("tables are read at load"));

    static final ParamSet INCLUDE = ParamSet.of(
        Param.string("file"),
        Param.string("text"),
        Param.choice("mode", "abort-if-missing", "abort-if-missing", "optional"));

    private ObjectParams()
    {
    }

    /**
     * Objects accepted without effect ({@code timezone}, {@code dyn_stats}, {@code percentile_stats},
     * {@code ratelimit}): their parameters.
     *
     * @param kind object name.
     * @return declarations.
     */
    static ParamSet accepted(final String kind)
    {
        switch (kind)
        {
            case "timezone":
                return ParamSet.of(Param.string("id").required(), Param.string("offset").required());
            case "dyn_stats":
                return ParamSet.of(Param.string("name").required(), Param.binary("resettable", true),
                    Param.integer("maxcardinality", 0, MAX, 2000), Param.integer("unusedmetriclife", 0, MAX, 3600));
            case "percentile_stats":
                return ParamSet.of(Param.string("name").required(), Param.array("percentiles"),
                    Param.integer("windowsize", 0, MAX, 0), Param.string("delimiter"));
            default:
                return ParamSet.of(Param.string("name").required(), Param.integer("interval", 0, MAX, 0),
                    Param.integer("burst", 0, MAX, 0), Param.integer("severity", 0, 7, 7));
        }
    }
}

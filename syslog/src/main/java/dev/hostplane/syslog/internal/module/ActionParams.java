package dev.hostplane.syslog.internal.module;

import java.nio.file.Path;
import java.nio.file.Paths;

import dev.hostplane.syslog.internal.engine.Resumption;
import dev.hostplane.syslog.internal.queue.QueueOptions;

/**
 * The parameters every {@code action(...)} accepts whatever its type, as rsyslog 8.2302 declares
 * them: {@code name}, {@code type}, the {@code action.*} retry and execution settings, and the
 * {@code queue.*} settings of the action's queue. Also turns them into {@link QueueOptions}.
 */
public final class ActionParams
{
    private static final long MAX = Integer.MAX_VALUE;
    private static final String ONLY_RULE_THREAD = "actions run on the rule thread or their own queue thread";

    /** {@code queue.*}: the action queue (also {@code $ActionQueue*} in legacy syntax). */
    public static final ParamSet QUEUE = ParamSet.of(
        Param.choice("queue.type", "direct", "direct", "linkedlist", "fixedarray", "disk"),
        Param.size("queue.size", 1, MAX, 1000),
        Param.size("queue.dequeuebatchsize", 1, MAX, 128),
        Param.string("queue.filename"),
        Param.string("queue.spooldirectory"),
        Param.size("queue.highwatermark", 0, MAX, 0),
        Param.size("queue.lowwatermark", 0, MAX, 0),
        Param.size("queue.fulldelaymark", 0, MAX, 0).noEffect("the queue blocks the rules only when full"),
        Param.size("queue.lightdelaymark", 0, MAX, 0).noEffect("the queue blocks the rules only when full"),
        Param.size("queue.discardmark", 0, MAX, 0),
        Param.integer("queue.discardseverity", 0, 8, 8),
        Param.size("queue.maxdiskspace", 0, Long.MAX_VALUE, 0),
        Param.size("queue.maxfilesize", 1, Long.MAX_VALUE, 1_048_576),
        Param.integer("queue.checkpointinterval", 0, MAX, 0),
        Param.binary("queue.syncqueuefiles", false),
        Param.binary("queue.saveonshutdown", false),
        Param.integer("queue.timeoutshutdown", 0, MAX, 0),
        Param.integer("queue.timeoutenqueue", 0, MAX, 2000).noEffect("a full in-memory queue blocks the rules"),
        Param.integer("queue.timeoutactioncompletion", 0, MAX, 1000).noEffect("shutdown waits queue.timeoutShutdown"),
        Param.integer("queue.timeoutworkerthreadshutdown", 0, MAX, 60000).noEffect("one worker per queue"),
        Param.integer("queue.workerthreads", 1, MAX, 1).noEffect("one worker per queue keeps the order"),
        Param.integer("queue.workerthreadminimummessages", 0, MAX, 0).noEffect("one worker per queue"),
        Param.integer("queue.mindequeuebatchsize", 0, MAX, 0).noEffect("batches take what is queued"),
        Param.integer("queue.mindequeuebatchsize.timeout", 0, MAX, 1000).noEffect("batches take what is queued"),
        Param.integer("queue.dequeueslowdown", 0, MAX, 0).noEffect("no artificial delay"),
        Param.integer("queue.dequeuetimebegin", 0, 25, 0).noEffect("no dequeue time window"),
        Param.integer("queue.dequeuetimeend", 0, 25, 25).noEffect("no dequeue time window"),
        Param.integer("queue.samplinginterval", 0, MAX, 0).noEffect("no sampling"),
        Param.binary("queue.takeflowctlfrommsg", false).noEffect("flow control is TCP backpressure"),
        Param.string("queue.cry.provider").noEffect("spool files are not encrypted"));

    /** {@code action.*} and the identity parameters. */
    public static final ParamSet ACTION = ParamSet.of(
        Param.string("type").required(),
        Param.string("name"),
        Param.binary("config.enabled", true),
        Param.integer("action.resumeretrycount", -1, MAX, 0),
        Param.integer("action.resumeinterval", 0, MAX, 30),
        Param.integer("action.resumeintervalmax", 0, MAX, 1800),
        Param.binary("action.reportsuspension", true),
        Param.binary("action.reportsuspensioncontinuation", false),
        Param.string("action.errorfile").noEffect("failed messages are counted and reported, not written aside"),
        Param.size("action.errorfile.maxsize", 0, Long.MAX_VALUE, 0).noEffect("no error file"),
        Param.string("action.externalstate.file").noEffect("no external state file"),
        Param.binary("action.copymsg", false).noEffect(ONLY_RULE_THREAD),
        Param.integer("action.execonlyeverynthtime", 0, MAX, 0).noEffect("every matching message is executed"),
        Param.integer("action.execonlyeverynthtimetimeout", 0, MAX, 0).noEffect("every matching message is executed"),
        Param.integer("action.execonlyonceeveryinterval", 0, MAX, 0).noEffect("every matching message is executed"),
        Param.binary("action.execonlywhenpreviousissuspended", false).noEffect("no failover chains"),
        Param.binary("action.repeatedmsgcontainsoriginalmsg", false).noEffect("no repeated-message reduction"),
        Param.binary("action.writeallmarkmessages", true).noEffect("no mark messages"))
        .plus(QUEUE);

    private ActionParams()
    {
    }

    /**
     * The suspend/resume rules the {@code action.*} parameters ask for (rsyslog's defaults: retry every 30 s,
     * growing to 30 min, and give a message up when the action cannot hold it).
     *
     * @param p    validated action parameters.
     * @param name the action's name for reports.
     * @return the rules.
     */
    public static Resumption resumption(final Params p, final String name)
    {
        return new Resumption(name, p.number("action.resumeinterval") * 1000L,
            p.number("action.resumeintervalmax") * 1000L, p.integer("action.resumeretrycount"),
            p.bool("action.reportsuspension"));
    }

    /**
     * The queue settings the parameters ask for.
     *
     * @param p       validated action parameters (or legacy {@code $ActionQueue*} settings).
     * @param workDir work directory for relative spool names (may be null: current directory).
     * @return options.
     */
    public static QueueOptions queueOptions(final Params p, final Path workDir)
    {
        final QueueOptions q = new QueueOptions();
        if (p.isSet("queue.size"))
        {
            q.size = p.integer("queue.size");
        }
        if (p.isSet("queue.dequeuebatchsize"))
        {
            q.batchSize = p.integer("queue.dequeuebatchsize");
        }
        if (p.isSet("queue.filename"))
        {
            final Path f = Paths.get(p.string("queue.filename"));
            final Path dir = p.isSet("queue.spooldirectory") ? Paths.get(p.string("queue.spooldirectory")) : workDir;
            q.spoolFile = f.isAbsolute() || null == dir ? f : dir.resolve(f);
        }
        if (p.isSet("action.resumeretrycount"))
        {
            q.resumeRetryCount = p.integer("action.resumeretrycount");
        }
        if (p.isSet("action.resumeinterval"))
        {
            q.resumeIntervalMs = Math.max(1, p.number("action.resumeinterval")) * 1000L;
            q.maxBackoffMs = Math.max(q.maxBackoffMs, q.resumeIntervalMs);
        }
        if (p.isSet("queue.timeoutshutdown"))
        {
            q.shutdownTimeoutMs = p.number("queue.timeoutshutdown");
        }
        final String type = p.string("queue.type");
        if ("disk".equals(type) && !q.diskAssisted())
        {
            throw p.error("queue.type", "queue.type=\"Disk\" needs queue.filename (the file in the work directory " +
                "that holds the queue)");
        }
        if (q.diskAssisted())
        {
            q.syncFiles = p.bool("queue.syncqueuefiles");
            // A spool written for every message is what makes Disk, checkpointInterval=1 and syncQueueFiles
            // lose nothing when the process is killed.
            q.persistAll = "disk".equals(type) || q.syncFiles || p.isSet("queue.checkpointinterval") &&
                p.integer("queue.checkpointinterval") == 1;
            if (!p.isSet("queue.size"))
            {
                // rsyslog's action queue default: 1000 messages, 90% of them in memory before spooling.
                q.size = 1000;
            }
            q.highWatermark = p.isSet("queue.highwatermark") ? p.integer("queue.highwatermark") : q.size * 9 / 10;
        }
        if (q.diskAssisted() && q.resumeRetryCount >= 0)
        {
            // A spool exists so that nothing is lost: never give a batch up.
            q.resumeRetryCount = -1;
        }
        return q;
    }
}

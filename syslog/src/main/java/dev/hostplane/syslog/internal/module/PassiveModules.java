package dev.hostplane.syslog.internal.module;

import java.util.Map;

/**
 * Modules a real config loads that this engine accepts without running anything for them: the
 * built-in parsers, and inputs that read the local kernel, journal or files (a library embedding
 * the engine owns none of those). Their {@code module(load=)} parameters are declared so that typos
 * are still caught; {@code input()} of these types is refused by the loader with the reason.
 */
final class PassiveModules
{
    private static final String NOT_RUN = "this module's input is not run by this engine";

    private PassiveModules()
    {
    }

    static void registerAll(final Map<String, ParamSet> into)
    {
        into.put("pmrfc3164", ParamSet.EMPTY);
        into.put("pmrfc5424", ParamSet.EMPTY);
        into.put("imklog", ParamSet.of(
            Param.binary("permitnonkernelfacility", false).noEffect(NOT_RUN),
            Param.integer("consoleloglevel", -1, 7, -1).noEffect(NOT_RUN),
            Param.binary("parsekerneltimestamp", false).noEffect(NOT_RUN),
            Param.binary("keepkerneltimestamp", false).noEffect(NOT_RUN),
            Param.string("internalmsgfacility").noEffect(NOT_RUN),
            Param.string("logpath").noEffect(NOT_RUN),
            Param.integer("ratelimit.interval", 0, Integer.MAX_VALUE, 0).noEffect(NOT_RUN),
            Param.integer("ratelimit.burst", 0, Integer.MAX_VALUE, 10000).noEffect(NOT_RUN)));
        into.put("immark", ParamSet.of(
            Param.integer("interval", 0, Integer.MAX_VALUE, 1200).noEffect(NOT_RUN),
            Param.integer("markmessageperiod", 0, Integer.MAX_VALUE, 1200).noEffect(NOT_RUN)));
        into.put("imjournal", ParamSet.of(
            Param.integer("persiststateinterval", 0, Integer.MAX_VALUE, 10).noEffect(NOT_RUN),
            Param.string("statefile").noEffect(NOT_RUN),
            Param.integer("ratelimit.interval", 0, Integer.MAX_VALUE, 600).noEffect(NOT_RUN),
            Param.integer("ratelimit.burst", 0, Integer.MAX_VALUE, 20000).noEffect(NOT_RUN),
            Param.binary("ignorepreviousmessages", false).noEffect(NOT_RUN),
            Param.string("defaultseverity").noEffect(NOT_RUN),
            Param.string("defaultfacility").noEffect(NOT_RUN),
            Param.string("usepidfromsystem").noEffect(NOT_RUN),
            Param.string("usepid").noEffect(NOT_RUN),
            Param.binary("workaroundjournalbug", true).noEffect(NOT_RUN),
            Param.binary("fsync", false).noEffect(NOT_RUN),
            Param.binary("remote", false).noEffect(NOT_RUN),
            Param.string("defaulttag").noEffect(NOT_RUN),
            Param.binary("ignorenonvalidstatefile", true).noEffect(NOT_RUN),
            Param.binary("main", false).noEffect(NOT_RUN)));
        into.put("impstats", ParamSet.of(
            Param.integer("interval", 0, Integer.MAX_VALUE, 300).noEffect(NOT_RUN),
            Param.string("facility").noEffect(NOT_RUN),
            Param.string("severity").noEffect(NOT_RUN),
            Param.binary("log.syslog", true).noEffect(NOT_RUN),
            Param.string("log.file").noEffect(NOT_RUN),
            Param.binary("log.file.overwrite", false).noEffect(NOT_RUN),
            Param.string("format").noEffect(NOT_RUN),
            Param.binary("resetcounters", false).noEffect(NOT_RUN),
            Param.string("ruleset").noEffect(NOT_RUN),
            Param.binary("bracketing", false).noEffect(NOT_RUN)));
        into.put("imfile", ParamSet.of(
            Param.choice("mode", "inotify", "inotify", "polling", "fen").noEffect(NOT_RUN),
            Param.integer("readtimeout", 0, Integer.MAX_VALUE, 0).noEffect(NOT_RUN),
            Param.integer("timeoutgranularity", 0, Integer.MAX_VALUE, 1).noEffect(NOT_RUN),
            Param.binary("sortfiles", false).noEffect(NOT_RUN),
            Param.integer("pollinginterval", 0, Integer.MAX_VALUE, 10).noEffect(NOT_RUN),
            Param.string("statefile.directory").noEffect(NOT_RUN)));
        into.put("imdiag", ParamSet.EMPTY);
    }
}

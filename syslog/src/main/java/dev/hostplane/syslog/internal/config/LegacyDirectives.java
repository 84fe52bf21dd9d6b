package dev.hostplane.syslog.internal.config;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * The legacy {@code $Directive} names rsyslogd 8.2302 knows with the modules this engine can load
 * (core, imtcp, imptcp, imudp, imuxsock, imklog, immark, omfile, omfwd): a directive outside this
 * list stops the load, as it makes {@code rsyslogd -N1} fail ("invalid or yet-unknown config file
 * command"); one inside it that the loader does not act on leaves a warning.
 */
final class LegacyDirectives
{
    static final Set<String> KNOWN = Collections.unmodifiableSet(new HashSet<>(Arrays.asList(
        "abortonuncleanconfig", "actionexeconlyeverynthtime", "actionexeconlyeverynthtimetimeout",
        "actionexeconlyonceeveryinterval", "actionexeconlywhenpreviousissuspended", "actionfiledefaulttemplate",
        "actionfileenablesync", "actionforwarddefaulttemplate", "actionname", "actionqueuecheckpointinterval",
        "actionqueuedequeuebatchsize", "actionqueuedequeueslowdown", "actionqueuedequeuetimebegin",
        "actionqueuedequeuetimeend", "actionqueuediscardmark", "actionqueuediscardseverity", "actionqueuefilename",
        "actionqueuehighwatermark", "actionqueuelowwatermark", "actionqueuemaxdiskspace", "actionqueuemaxfilesize",
        "actionqueuesaveonshutdown", "actionqueuesize", "actionqueuesyncqueuefiles",
        "actionqueuetimeoutactioncompletion", "actionqueuetimeoutenqueue", "actionqueuetimeoutshutdown",
        "actionqueuetype", "actionqueueworkerthreadminimummessages", "actionqueueworkerthreads",
        "actionqueueworkertimeoutthreadshutdown", "actionresumeinterval", "actionresumeretrycount",
        "actionsendresendlastmsgonreconnect", "actionsendstreamdriver", "actionsendstreamdriverauthmode",
        "actionsendstreamdrivermode", "actionsendstreamdriverpermittedpeer", "actionsendtcpkeepalive",
        "actionsendtcprebindinterval", "actionsendudprebindinterval", "actionwriteallmarkmessages",
        "addunixlistensocket", "allowedsender", "controlcharacterescapeprefix", "createdirs", "debugfile",
        "debuglevel", "debugprintcfsyslinehandlerlist", "debugprintkernelsymbols", "debugprintmodulelist",
        "debugprinttemplatelist", "defaultnetstreamdriver", "defaultnetstreamdrivercafile",
        "defaultnetstreamdrivercertfile", "defaultnetstreamdriverkeyfile", "defaultruleset", "dircreatemode",
        "dirgroup", "dirgroupnum", "dirowner", "dirownernum", "dropmsgswithmaliciousdnsptrrecords",
        "droptrailinglfonreception", "dynafilecachesize", "errormessagestostderr", "escape8bitcharactersonreceive",
        "escapecontrolcharactersonreceive", "escapecontrolcharactertab", "failonchownfailure", "filecreatemode",
        "filegroup", "filegroupnum", "fileowner", "fileownernum", "generateconfiggraph", "imudpschedulingpolicy",
        "imudpschedulingpriority", "imuxsockratelimitburst", "imuxsockratelimitinterval", "imuxsockratelimitseverity",
        "includeconfig", "inputptcpserveraddtlframedelimiter", "inputptcpserverbindruleset",
        "inputptcpserverhelperthreads", "inputptcpserverinputname", "inputptcpserverkeepalive",
        "inputptcpserverlistenip", "inputptcpservernotifyonconnectionclose", "inputptcpserverrun",
        "inputptcpserversupportoctetcountedframing", "inputtcpflowcontrol", "inputtcpmaxlisteners",
        "inputtcpmaxsessions", "inputtcpserveraddtlframedelimiter", "inputtcpserverbindruleset",
        "inputtcpserverdisablelfdelimiter", "inputtcpserverinputname", "inputtcpserverkeepalive",
        "inputtcpserverlistenportfile", "inputtcpservernotifyonconnectionclose", "inputtcpserverpreservecase",
        "inputtcpserverrun", "inputtcpserverstreamdriverauthmode", "inputtcpserverstreamdrivermode",
        "inputtcpserverstreamdriverpermittedpeer", "inputtcpserversupportoctetcountedframing",
        "inputudpserverbindruleset", "inputunixlistensocketannotate", "inputunixlistensocketcreatepath",
        "inputunixlistensocketflowcontrol", "inputunixlistensockethostname",
        "inputunixlistensocketignoremsgtimestamp", "inputunixlistensocketusepidfromsystem",
        "inputunixlistensocketusesystimestamp", "klogconsoleloglevel", "kloginternalmsgfacility",
        "klogkeepkerneltimestamp", "kloglocalipif", "klogparsekerneltimestamp", "klogpath",
        "klogpermitnonkernelfacility", "klogsymbollookup", "klogsymbolstwice", "klogusesyscallinterface",
        "localhostipif", "localhostname", "logrsyslogstatusmessages", "mainmsgqueuecheckpointinterval",
        "mainmsgqueuedequeuebatchsize", "mainmsgqueuedequeueslowdown", "mainmsgqueuedequeuetimebegin",
        "mainmsgqueuedequeuetimeend", "mainmsgqueuediscardmark", "mainmsgqueuediscardseverity",
        "mainmsgqueuefilename", "mainmsgqueuehighwatermark", "mainmsgqueuelowwatermark", "mainmsgqueuemaxdiskspace",
        "mainmsgqueuemaxfilesize", "mainmsgqueuesaveonshutdown", "mainmsgqueuesize", "mainmsgqueuesyncqueuefiles",
        "mainmsgqueuetimeoutactioncompletion", "mainmsgqueuetimeoutenqueue", "mainmsgqueuetimeoutshutdown",
        "mainmsgqueuetype", "mainmsgqueueworkerthreadminimummessages", "mainmsgqueueworkerthreads",
        "mainmsgqueueworkertimeoutthreadshutdown", "markmessageperiod", "maxmessagesize", "maxopenfiles", "moddir",
        "modload", "netstreamdrivercaextrafiles", "omfileasyncwriting", "omfileflushinterval", "omfileflushontxend",
        "omfileforcechown", "omfileiobuffersize", "omfileziplevel", "omitlocallogging", "optimizeforuniprocessor",
        "outchannel", "preservefqdn", "privdroptogroup", "privdroptogroupid", "privdroptouser", "privdroptouserid",
        "repeatedmsgcontainsoriginalmsg", "repeatedmsgreduction", "resetconfigvariables", "ruleset",
        "rulesetcreatemainqueue", "rulesetparser", "sleep", "systemlogparsetrusted", "systemlogratelimitburst",
        "systemlogratelimitinterval", "systemlogratelimitseverity", "systemlogsocketannotate",
        "systemlogsocketflowcontrol", "systemlogsocketignoremsgtimestamp", "systemlogsocketname",
        "systemlogusepidfromsystem", "systemlogusesystimestamp", "template", "udpserveraddress", "udpserverrun",
        "udpservertimerequery", "umask", "workdirectory")));

    private LegacyDirectives()
    {
    }
}

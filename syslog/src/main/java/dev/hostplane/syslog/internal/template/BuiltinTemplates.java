package dev.hostplane.syslog.internal.template;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The templates rsyslog 8.2302 has built in, as template strings producing the same bytes.
 */
public final class BuiltinTemplates
{
    /** Default for omfile in rsyslog 8 ({@code RSYSLOG_FileFormat}). */
    public static final String FILE_FORMAT = "RSYSLOG_FileFormat";

    private static final Map<String, String> SOURCES = new LinkedHashMap<>();
    /** Built-ins rsyslog implements as C string generators (smfile, smtradfile, smfwd, smtradfwd). */
    private static final java.util.Set<String> STRGEN = new java.util.HashSet<>(java.util.Arrays.asList(
        "RSYSLOG_FileFormat", "RSYSLOG_TraditionalFileFormat", "RSYSLOG_ForwardFormat",
        "RSYSLOG_TraditionalForwardFormat"));

    static
    {
        SOURCES.put("RSYSLOG_DebugFormat",
            "Debug line with all properties:\nFROMHOST: '%FROMHOST%', fromhost-ip: '%fromhost-ip%', " +
            "HOSTNAME: '%HOSTNAME%', PRI: %PRI%,\nsyslogtag '%syslogtag%', programname: '%programname%', " +
            "APP-NAME: '%APP-NAME%', PROCID: '%PROCID%', MSGID: '%MSGID%',\nTIMESTAMP: '%TIMESTAMP%', " +
            "STRUCTURED-DATA: '%STRUCTURED-DATA%',\nmsg: '%msg%'\nescaped msg: '%msg:::drop-cc%'\ninputname: %inputname% " +
            "rawmsg: '%rawmsg%'\n$!:%$!%\n$.:%$.%\n$/:%$/%\n\n");
        SOURCES.put("RSYSLOG_SyslogProtocol23Format",
            "<%PRI%>1 %TIMESTAMP:::date-rfc3339% %HOSTNAME% %APP-NAME% %PROCID% %MSGID% %STRUCTURED-DATA% %msg%\n");
        SOURCES.put("RSYSLOG_TraditionalFileFormat",
            "%TIMESTAMP% %HOSTNAME% %syslogtag%%msg:::sp-if-no-1st-sp%%msg:::drop-last-lf%\n");
        SOURCES.put("RSYSLOG_FileFormat",
            "%TIMESTAMP:::date-rfc3339% %HOSTNAME% %syslogtag%%msg:::sp-if-no-1st-sp%%msg:::drop-last-lf%\n");
        SOURCES.put("RSYSLOG_TraditionalForwardFormat",
            "<%PRI%>%TIMESTAMP% %HOSTNAME% %syslogtag:1:32%%msg:::sp-if-no-1st-sp%%msg%");
        SOURCES.put("RSYSLOG_ForwardFormat",
            "<%PRI%>%TIMESTAMP:::date-rfc3339% %HOSTNAME% %syslogtag:1:32%%msg:::sp-if-no-1st-sp%%msg%");
        SOURCES.put("RSYSLOG_SysklogdFileFormat",
            "%TIMESTAMP% %HOSTNAME% %syslogtag%%msg:::sp-if-no-1st-sp%%msg%\n");
        SOURCES.put("RSYSLOG_WallFmt",
            "\r\n\u0007Message from syslogd@%HOSTNAME% at %timegenerated% ...\r\n %syslogtag%%msg%\n\r");
        SOURCES.put("RSYSLOG_StdUsrMsgFmt", " %syslogtag%%msg%\n\r");
        SOURCES.put("RSYSLOG_StdJSONFmt",
            "{\"message\":\"%msg:::json%\",\"fromhost\":\"%HOSTNAME:::json%\",\"facility\":" +
            "\"%syslogfacility-text%\",\"priority\":\"%syslogpriority-text%\",\"timereported\":" +
            "\"%timereported:::date-rfc3339%\",\"timegenerated\":\"%timegenerated:::date-rfc3339%\"}");
    }

    private BuiltinTemplates()
    {
    }

    /**
     * Builds every built-in template.
     *
     * @return templates by name.
     */
    public static Map<String, Template> all()
    {
        final Map<String, Template> result = new LinkedHashMap<>();
        for (final Map.Entry<String, String> e : SOURCES.entrySet())
        {
            final java.util.List<Object> items = TemplateParser.parse(e.getValue(), false);
            if (STRGEN.contains(e.getKey()))
            {
                for (final Object item : items)
                {
                    if (item instanceof PropertySpec && ((PropertySpec)item).spIfNo1stSp)
                    {
                        ((PropertySpec)item).emptyGetsSpace = true;
                    }
                }
            }
            result.put(e.getKey(), new Template(e.getKey(), items, Template.OPTION_NONE, null));
        }
        return result;
    }
}

package dev.hostplane.syslog.internal.message;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The message properties rsyslog offers, as small integer ids so that lookups in the hot path
 * are a switch, not a map.
 */
public final class PropertyId
{
    /** {@code msg}. */
    public static final int MSG = 1;
    /** {@code rawmsg}. */
    public static final int RAWMSG = 2;
    /** {@code rawmsg-after-pri}. */
    public static final int RAWMSG_AFTER_PRI = 3;
    /** {@code hostname} / {@code source}. */
    public static final int HOSTNAME = 4;
    /** {@code fromhost}. */
    public static final int FROMHOST = 5;
    /** {@code fromhost-ip}. */
    public static final int FROMHOST_IP = 6;
    /** {@code syslogtag}. */
    public static final int SYSLOGTAG = 7;
    /** {@code programname}. */
    public static final int PROGRAMNAME = 8;
    /** {@code pri}. */
    public static final int PRI = 9;
    /** {@code pri-text}. */
    public static final int PRI_TEXT = 10;
    /** {@code iut}. */
    public static final int IUT = 11;
    /** {@code syslogfacility}. */
    public static final int FACILITY = 12;
    /** {@code syslogfacility-text}. */
    public static final int FACILITY_TEXT = 13;
    /** {@code syslogseverity} / {@code syslogpriority}. */
    public static final int SEVERITY = 14;
    /** {@code syslogseverity-text} / {@code syslogpriority-text}. */
    public static final int SEVERITY_TEXT = 15;
    /** {@code timegenerated}. */
    public static final int TIMEGENERATED = 16;
    /** {@code timereported} / {@code timestamp}. */
    public static final int TIMEREPORTED = 17;
    /** {@code protocol-version}. */
    public static final int PROTOCOL_VERSION = 18;
    /** {@code structured-data}. */
    public static final int STRUCTURED_DATA = 19;
    /** {@code app-name}. */
    public static final int APP_NAME = 20;
    /** {@code procid}. */
    public static final int PROCID = 21;
    /** {@code msgid}. */
    public static final int MSGID = 22;
    /** {@code inputname}. */
    public static final int INPUTNAME = 23;
    /** {@code $now}. */
    public static final int SYS_NOW = 24;
    /** {@code $year}. */
    public static final int SYS_YEAR = 25;
    /** {@code $month}. */
    public static final int SYS_MONTH = 26;
    /** {@code $day}. */
    public static final int SYS_DAY = 27;
    /** {@code $hour}. */
    public static final int SYS_HOUR = 28;
    /** {@code $hhour}. */
    public static final int SYS_HHOUR = 29;
    /** {@code $qhour}. */
    public static final int SYS_QHOUR = 30;
    /** {@code $minute}. */
    public static final int SYS_MINUTE = 31;
    /** {@code $myhostname}. */
    public static final int SYS_MYHOSTNAME = 32;
    /** {@code $bom}. */
    public static final int SYS_BOM = 33;
    /** {@code $now-unixtimestamp}. */
    public static final int SYS_NOW_UNIX = 34;
    /** {@code $wday}. */
    public static final int SYS_WDAY = 35;
    /** {@code jsonmesg}. */
    public static final int JSONMESG = 36;
    /** {@code parsesuccess} ({@code $parsesuccess} in RainerScript). */
    public static final int PARSESUCCESS = 37;
    /** {@code $now-utc}. */
    public static final int SYS_NOW_UTC = 38;
    /** {@code $year-utc} and friends are mapped onto the local ones offset to UTC. */
    public static final int SYS_YEAR_UTC = 39;
    /** {@code $month-utc}. */
    public static final int SYS_MONTH_UTC = 40;
    /** {@code $day-utc}. */
    public static final int SYS_DAY_UTC = 41;
    /** {@code $hour-utc}. */
    public static final int SYS_HOUR_UTC = 42;
    /** {@code $minute-utc}. */
    public static final int SYS_MINUTE_UTC = 43;
    /** {@code $hhour-utc}. */
    public static final int SYS_HHOUR_UTC = 44;
    /** {@code $qhour-utc}. */
    public static final int SYS_QHOUR_UTC = 45;
    /** A {@code $!}, {@code $.} or {@code $/} variable (handled outside this switch). */
    public static final int VARIABLE = 100;

    private static final Map<String, Integer> BY_NAME = new HashMap<>();

    static
    {
        BY_NAME.put("msg", MSG);
        BY_NAME.put("rawmsg", RAWMSG);
        BY_NAME.put("rawmsg-after-pri", RAWMSG_AFTER_PRI);
        BY_NAME.put("hostname", HOSTNAME);
        BY_NAME.put("source", HOSTNAME);
        BY_NAME.put("fromhost", FROMHOST);
        BY_NAME.put("fromhost-ip", FROMHOST_IP);
        BY_NAME.put("syslogtag", SYSLOGTAG);
        BY_NAME.put("programname", PROGRAMNAME);
        BY_NAME.put("pri", PRI);
        BY_NAME.put("pri-text", PRI_TEXT);
        BY_NAME.put("iut", IUT);
        BY_NAME.put("syslogfacility", FACILITY);
        BY_NAME.put("syslogfacility-text", FACILITY_TEXT);
        BY_NAME.put("syslogseverity", SEVERITY);
        BY_NAME.put("syslogpriority", SEVERITY);
        BY_NAME.put("syslogseverity-text", SEVERITY_TEXT);
        BY_NAME.put("syslogpriority-text", SEVERITY_TEXT);
        BY_NAME.put("timegenerated", TIMEGENERATED);
        BY_NAME.put("timereported", TIMEREPORTED);
        BY_NAME.put("timestamp", TIMEREPORTED);
        BY_NAME.put("protocol-version", PROTOCOL_VERSION);
        BY_NAME.put("structured-data", STRUCTURED_DATA);
        BY_NAME.put("app-name", APP_NAME);
        BY_NAME.put("procid", PROCID);
        BY_NAME.put("msgid", MSGID);
        BY_NAME.put("inputname", INPUTNAME);
        BY_NAME.put("jsonmesg", JSONMESG);
        BY_NAME.put("$now", SYS_NOW);
        BY_NAME.put("$year", SYS_YEAR);
        BY_NAME.put("$month", SYS_MONTH);
        BY_NAME.put("$day", SYS_DAY);
        BY_NAME.put("$hour", SYS_HOUR);
        BY_NAME.put("$hhour", SYS_HHOUR);
        BY_NAME.put("$qhour", SYS_QHOUR);
        BY_NAME.put("$minute", SYS_MINUTE);
        BY_NAME.put("$myhostname", SYS_MYHOSTNAME);
        BY_NAME.put("$bom", SYS_BOM);
        BY_NAME.put("$now-unixtimestamp", SYS_NOW_UNIX);
        BY_NAME.put("$wday", SYS_WDAY);
        BY_NAME.put("parsesuccess", PARSESUCCESS);
        BY_NAME.put("$now-utc", SYS_NOW_UTC);
        BY_NAME.put("$year-utc", SYS_YEAR_UTC);
        BY_NAME.put("$month-utc", SYS_MONTH_UTC);
        BY_NAME.put("$day-utc", SYS_DAY_UTC);
        BY_NAME.put("$hour-utc", SYS_HOUR_UTC);
        BY_NAME.put("$minute-utc", SYS_MINUTE_UTC);
        BY_NAME.put("$hhour-utc", SYS_HHOUR_UTC);
        BY_NAME.put("$qhour-utc", SYS_QHOUR_UTC);
    }

    private PropertyId()
    {
    }

    /**
     * Looks up a property by name (case-insensitive).
     *
     * @param name name as written in a template or filter, without {@code $} for message properties.
     * @return id, {@link #VARIABLE} for {@code $!}/{@code $.}/{@code $/} names, or -1 when unknown.
     */
    public static int byName(final String name)
    {
        final String n = name.toLowerCase(Locale.ROOT);
        if (n.startsWith("$!") || n.startsWith("$.") || n.startsWith("$/"))
        {
            return VARIABLE;
        }
        final Integer id = BY_NAME.get(n);
        return null == id ? -1 : id;
    }

    /**
     * Whether a property's value is a number (so RainerScript compares it numerically).
     *
     * @param id property id.
     * @return true for pri, facility, severity, protocol-version.
     */
    public static boolean isNumeric(final int id)
    {
        return PRI == id || FACILITY == id || SEVERITY == id || PROTOCOL_VERSION == id;
    }
}

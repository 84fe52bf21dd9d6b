package dev.hostplane.syslog.internal.message;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One syslog message: the sanitized raw bytes plus offsets of every parsed field. The engine
 * keeps one instance per worker and re-fills it for each message (a flyweight), so property
 * access hands out views into this buffer instead of new strings.
 */
public final class SyslogMessage
{
    private static final byte[] DASH = {'-'};
    private static final byte[] ONE = {'1'};
    private static final byte[] EMPTY = {};
    private static final byte[] INVLD = {'i', 'n', 'v', 'l', 'd'};
    /** Shared empty value. */
    static final byte[] EMPTY_BYTES = EMPTY;
    static final byte[] FAIL_BYTES = {'F', 'A', 'I', 'L'};
    /** {@code parsesuccess} as set by mmjsonparse/mmnormalize: "FAIL" until one of them succeeds. */
    byte[] parseSuccess = FAIL_BYTES;

    long sequence;
    byte[] raw = new byte[2048];
    int rawLen;
    int offAfterPri;
    int msgOff;
    int msgLen;
    int pri;
    int facility;
    int severity;
    int protocolVersion;
    final SyslogTime reported = new SyslogTime();
    final SyslogTime generated = new SyslogTime();
    byte[] hostArr = EMPTY;
    int hostOff;
    int hostLen;
    byte[] tagArr = EMPTY;
    int tagOff;
    int tagLen;
    int programLen;
    final byte[] tagBuf = new byte[600];
    int appOff = -1;
    int appLen;
    int procidOff = -1;
    int procidLen;
    int msgidOff = -1;
    int msgidLen;
    int sdOff = -1;
    int sdLen;
    boolean rfc5424;
    byte[] inputName = EMPTY;
    byte[] fromHost = EMPTY;
    byte[] fromHostIp = EMPTY;
    private Map<String, Object> messageVars;
    private Map<String, Object> localVars;
    // rsyslog creates a tree on its first write and keeps it, even emptied, until "unset" of the
    // root: an existing empty tree prints "{ }", a missing one prints nothing.
    private boolean messageVarsExist;
    private boolean localVarsExist;
    private final TimeCache formattedTimes = new TimeCache();

    /** Resets per-message state (variables, formatted times), keeping buffers for reuse. */
    void resetVariables()
    {
        formattedTimes.clear();
        messageVarsExist = false;
        localVarsExist = false;
        if (null != messageVars)
        {
            messageVars.clear();
        }
        if (null != localVars)
        {
            localVars.clear();
        }
    }

    /**
     * A date property of this message in one of the replacer's formats, formatted once per message:
     * several outputs of the same message (every RSYSLOG_FileFormat file, say) share it.
     *
     * @param reported {@code timereported} (else {@code timegenerated}).
     * @param format   the date format.
     * @param utc      the {@code date-utc} option.
     * @param view     set to the formatted bytes (valid until the next message).
     * @return the view.
     */
    public ByteView formattedTime(final boolean reported, final SyslogTime.DateFormat format, final boolean utc,
        final ByteView view)
    {
        return formattedTimes.get(reported ? this.reported : this.generated, reported, format, utc, view);
    }

    /**
     * The {@code $!} tree, created on first use.
     *
     * @return mutable map.
     */
    public Map<String, Object> messageVars()
    {
        if (null == messageVars)
        {
            messageVars = new LinkedHashMap<>();
        }
        messageVarsExist = true;
        return messageVars;
    }

    /**
     * Whether a variable tree exists (was written since the message arrived and not unset as a
     * whole), empty or not.
     *
     * @param tree {@code '!'} or {@code '.'}.
     * @return true when it exists.
     */
    public boolean varsExist(final char tree)
    {
        return '!' == tree ? messageVarsExist : localVarsExist;
    }

    /**
     * A tree for reading: the tree itself, or an empty map when it was never created (creating
     * nothing).
     *
     * @param tree {@code '!'} or {@code '.'}.
     * @return the map (do not modify).
     */
    public Map<String, Object> readVars(final char tree)
    {
        final Map<String, Object> m = '!' == tree ? messageVars : localVars;
        return null == m ? java.util.Collections.emptyMap() : m;
    }

    /**
     * Removes a whole tree ({@code unset $!;}): it no longer exists.
     *
     * @param tree {@code '!'} or {@code '.'}.
     */
    public void dropVars(final char tree)
    {
        final Map<String, Object> m = '!' == tree ? messageVars : localVars;
        if (null != m)
        {
            m.clear();
        }
        if ('!' == tree)
        {
            messageVarsExist = false;
        }
        else
        {
            localVarsExist = false;
        }
    }

    /**
     * The {@code $.} tree, created on first use.
     *
     * @return mutable map.
     */
    public Map<String, Object> localVars()
    {
        if (null == localVars)
        {
            localVars = new LinkedHashMap<>();
        }
        localVarsExist = true;
        return localVars;
    }

    /**
     * Whether a {@code $!} tree exists and is non-empty (avoids creating it).
     *
     * @return true when there are message variables.
     */
    public boolean hasMessageVars()
    {
        return null != messageVars && !messageVars.isEmpty();
    }

    /**
     * Replaces the whole {@code $!} tree (mmjsonparse).
     *
     * @param vars new tree.
     */
    public void replaceMessageVars(final Map<String, Object> vars)
    {
        messageVars().clear();
        messageVars.putAll(vars);
    }

    /**
     * Sets {@code $parsesuccess} (mmjsonparse).
     *
     * @param ok true for "OK", false for "FAIL".
     */
    public void parseSuccess(final boolean ok)
    {
        parseSuccess = ok ? OK : FAIL;
    }

    private static final byte[] OK = {'O', 'K'};
    private static final byte[] FAIL = FAIL_BYTES;

    /**
     * A number that changes with every parsed message (for per-message caches).
     *
     * @return sequence number.
     */
    public long sequence()
    {
        return sequence;
    }

    /**
     * PRI value (facility*8+severity; 199 for an invalid PRI).
     *
     * @return pri.
     */
    public int pri()
    {
        return pri;
    }

    /**
     * Facility code (24 = invalid).
     *
     * @return facility.
     */
    public int facility()
    {
        return facility;
    }

    /**
     * Severity code.
     *
     * @return severity.
     */
    public int severity()
    {
        return severity;
    }

    /**
     * The reported timestamp (mutable: do not change).
     *
     * @return timestamp.
     */
    public SyslogTime timeReported()
    {
        return reported;
    }

    /**
     * The reception timestamp (mutable: do not change).
     *
     * @return timestamp.
     */
    public SyslogTime timeGenerated()
    {
        return generated;
    }

    /**
     * Points a view at the value of a message property. Values computed on demand are written
     * into {@code scratch}, which the caller owns.
     *
     * @param id      property id from {@link PropertyId}.
     * @param view    view to point.
     * @param scratch buffer for computed values (cleared here when used).
     * @param clock   the engine clock for {@code $now} and friends.
     */
    public void property(final int id, final ByteView view, final ByteSink scratch, final EngineClock clock)
    {
        switch (id)
        {
            case PropertyId.MSG:
                view.wrap(raw, msgOff, msgLen);
                break;
            case PropertyId.RAWMSG:
                view.wrap(raw, 0, rawLen);
                break;
            case PropertyId.RAWMSG_AFTER_PRI:
            {
                // Independent of the PRI parse (measured): skip "<...>" when '>' is the 3rd to 5th byte.
                int skip = 0;
                if (rawLen > 0 && raw[0] == '<')
                {
                    for (int k = 2; k <= 4 && k < rawLen; k++)
                    {
                        if (raw[k] == '>')
                        {
                            skip = k + 1;
                            break;
                        }
                    }
                }
                view.wrap(raw, skip, rawLen - skip);
                break;
            }
            case PropertyId.HOSTNAME:
                view.wrap(hostArr, hostOff, hostLen);
                break;
            case PropertyId.FROMHOST:
                view.wrap(fromHost);
                break;
            case PropertyId.FROMHOST_IP:
                view.wrap(fromHostIp);
                break;
            case PropertyId.SYSLOGTAG:
                view.wrap(tagArr, tagOff, tagLen);
                break;
            case PropertyId.PROGRAMNAME:
                view.wrap(tagArr, tagOff, programLen);
                break;
            case PropertyId.PRI:
                view.wrap(facility == SyslogNames.FACILITY_INVALID ? INVLD : SyslogNames.smallNumber(pri));
                break;
            case PropertyId.PRI_TEXT:
                scratch.clear();
                scratch.put(SyslogNames.facilityName(facility)).put('.').put(SyslogNames.severityName(severity));
                view.wrap(scratch.array(), 0, scratch.length());
                break;
            case PropertyId.IUT:
                view.wrap(ONE);
                break;
            case PropertyId.FACILITY:
                view.wrap(SyslogNames.smallNumber(facility));
                break;
            case PropertyId.FACILITY_TEXT:
                view.wrap(SyslogNames.facilityName(facility));
                break;
            case PropertyId.SEVERITY:
                view.wrap(SyslogNames.smallNumber(severity));
                break;
            case PropertyId.SEVERITY_TEXT:
                view.wrap(SyslogNames.severityName(severity));
                break;
            case PropertyId.TIMEGENERATED:
                formattedTimes.get(generated, false, SyslogTime.DateFormat.RFC3164, false, view);
                break;
            case PropertyId.TIMEREPORTED:
                formattedTimes.get(reported, true, SyslogTime.DateFormat.RFC3164, false, view);
                break;
            case PropertyId.PROTOCOL_VERSION:
                view.wrap(SyslogNames.smallNumber(protocolVersion));
                break;
            case PropertyId.STRUCTURED_DATA:
                wrapOrDash(view, raw, sdOff, sdLen);
                break;
            case PropertyId.APP_NAME:
                if (rfc5424)
                {
                    wrapOrDash(view, raw, appOff, appLen);
                }
                else
                {
                    wrapOrDash(view, tagArr, programLen > 0 ? tagOff : -1, programLen);
                }
                break;
            case PropertyId.PROCID:
                wrapOrDash(view, rfc5424 ? raw : tagArr, procidOff, procidLen);
                break;
            case PropertyId.MSGID:
                wrapOrDash(view, raw, msgidOff, msgidLen);
                break;
            case PropertyId.INPUTNAME:
                view.wrap(inputName);
                break;
            case PropertyId.JSONMESG:
                jsonMessage(scratch, clock);
                view.wrap(scratch.array(), 0, scratch.length());
                break;
            case PropertyId.PARSESUCCESS:
                view.wrap(parseSuccess);
                break;
            case PropertyId.SYS_MYHOSTNAME:
                view.wrap(clock.localHostname());
                break;
            case PropertyId.SYS_BOM:
                scratch.clear();
                scratch.put(0xEF).put(0xBB).put(0xBF);
                view.wrap(scratch.array(), 0, scratch.length());
                break;
            default:
                nowProperty(id, view, scratch, clock);
                break;
        }
    }

    private static final int[] JSONMESG_PROPS = {
        PropertyId.MSG, PropertyId.RAWMSG, PropertyId.TIMEREPORTED, PropertyId.HOSTNAME, PropertyId.SYSLOGTAG,
        PropertyId.INPUTNAME, PropertyId.FROMHOST, PropertyId.FROMHOST_IP, PropertyId.PRI, PropertyId.FACILITY,
        PropertyId.SEVERITY, PropertyId.TIMEGENERATED, PropertyId.PROGRAMNAME, PropertyId.PROTOCOL_VERSION,
        PropertyId.STRUCTURED_DATA, PropertyId.APP_NAME, PropertyId.PROCID, PropertyId.MSGID
    };
    private static final String[] JSONMESG_NAMES = {
        "msg", "rawmsg", "timereported", "hostname", "syslogtag", "inputname", "fromhost", "fromhost-ip", "pri",
        "syslogfacility", "syslogseverity", "timegenerated", "programname", "protocol-version", "structured-data",
        "app-name", "procid", "msgid"
    };

    /** {@code %jsonmesg%}: every property as one JSON object, in rsyslog's order and spacing. */
    private void jsonMessage(final ByteSink out, final EngineClock clock)
    {
        out.clear();
        final ByteView v = new ByteView();
        final ByteSink tmp = new ByteSink(64);
        out.put('{');
        for (int i = 0; i < JSONMESG_PROPS.length; i++)
        {
            out.put(i == 0 ? ' ' : ',');
            if (i > 0)
            {
                out.put(' ');
            }
            Json.quote(JSONMESG_NAMES[i], out);
            out.put(':').put(' ');
            final int id = JSONMESG_PROPS[i];
            if (PropertyId.TIMEREPORTED == id || PropertyId.TIMEGENERATED == id)
            {
                tmp.clear();
                (PropertyId.TIMEREPORTED == id ? reported : generated).formatRfc3339(tmp);
                v.wrap(tmp.array(), 0, tmp.length());
            }
            else
            {
                property(id, v, tmp, clock);
            }
            Json.quote(v, out);
        }
        out.putLatin1(", \"uuid\": null");
        if (hasMessageVars())
        {
            out.putLatin1(", \"$!\": ");
            Json.render(messageVars, out);
        }
        out.put(' ').put('}');
    }

    private static void nowProperty(final int id, final ByteView view, final ByteSink scratch, final EngineClock clock)
    {
        final boolean utc = id >= PropertyId.SYS_NOW_UTC && id <= PropertyId.SYS_QHOUR_UTC;
        final SyslogTime now = utc ? clock.nowUtc() : clock.now();
        scratch.clear();
        final int local;
        switch (id)
        {
            case PropertyId.SYS_NOW_UTC:
                local = PropertyId.SYS_NOW;
                break;
            case PropertyId.SYS_YEAR_UTC:
                local = PropertyId.SYS_YEAR;
                break;
            case PropertyId.SYS_MONTH_UTC:
                local = PropertyId.SYS_MONTH;
                break;
            case PropertyId.SYS_DAY_UTC:
                local = PropertyId.SYS_DAY;
                break;
            case PropertyId.SYS_HOUR_UTC:
                local = PropertyId.SYS_HOUR;
                break;
            case PropertyId.SYS_MINUTE_UTC:
                local = PropertyId.SYS_MINUTE;
                break;
            case PropertyId.SYS_HHOUR_UTC:
                local = PropertyId.SYS_HHOUR;
                break;
            case PropertyId.SYS_QHOUR_UTC:
                local = PropertyId.SYS_QHOUR;
                break;
            default:
                local = id;
                break;
        }
        switch (local)
        {
            case PropertyId.SYS_NOW:
                scratch.putPadded(now.year, 4).put('-').putPadded(now.month, 2).put('-').putPadded(now.day, 2);
                break;
            case PropertyId.SYS_YEAR:
                scratch.putPadded(now.year, 4);
                break;
            case PropertyId.SYS_MONTH:
                scratch.putPadded(now.month, 2);
                break;
            case PropertyId.SYS_DAY:
                scratch.putPadded(now.day, 2);
                break;
            case PropertyId.SYS_HOUR:
                scratch.putPadded(now.hour, 2);
                break;
            case PropertyId.SYS_HHOUR:
                scratch.putPadded(now.minute / 30, 2);
                break;
            case PropertyId.SYS_QHOUR:
                scratch.putPadded(now.minute / 15, 2);
                break;
            case PropertyId.SYS_MINUTE:
                scratch.putPadded(now.minute, 2);
                break;
            case PropertyId.SYS_NOW_UNIX:
                scratch.putLong(now.toEpochSeconds());
                break;
            case PropertyId.SYS_WDAY:
                scratch.putLong(now.weekday());
                break;
            default:
                break;
        }
        view.wrap(scratch.array(), 0, scratch.length());
    }

    private static void wrapOrDash(final ByteView view, final byte[] array, final int off, final int len)
    {
        if (off < 0)
        {
            view.wrap(DASH);
        }
        else
        {
            view.wrap(array, off, len);
        }
    }
}

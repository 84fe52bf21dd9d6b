package dev.hostplane.syslog.internal.message;

/**
 * Parses one received frame into a {@link SyslogMessage} the way rsyslog 8.2302 does: sanitize
 * (drop trailing LF/NUL, escape control characters as {@code #ooo}), PRI, then the RFC 5424 parser
 * when the frame says version 1, else the RFC 3164 parser with its tolerance for real devices.
 * Never throws on any input: every byte sequence yields some message.
 */
public final class MessageParser
{
    private static final int DEFAULT_PRI = 13;
    private static final int INVALID_PRI = (SyslogNames.FACILITY_INVALID << 3) | 7;
    private static final int TAG_MAX = 510;
    private static final int HOSTNAME_MAX = 512;
    private static final byte[] DASH_TAG = {'-'};
    /** {@link #parse3164Stamp}'s fixed-layout reader found another layout: the general reader decides. */
    private static final int OTHER_LAYOUT = -2;

    private boolean escapeControlCharacters = true;
    private boolean escapeTab = true;
    private boolean removeMsgFirstSpace;
    private boolean escape8Bit;
    private boolean rfc5424 = true;
    private int maxMessageSize = 8096;

    /**
     * Whether the RFC 5424 parser runs before the RFC 3164 one (a ruleset's parser list).
     *
     * @param value on/off.
     * @return this parser.
     */
    public MessageParser rfc5424(final boolean value)
    {
        rfc5424 = value;
        return this;
    }

    /**
     * {@code global(maxMessageSize=)}: longer frames are split as imtcp does.
     *
     * @param value bytes.
     * @return this parser.
     */
    public MessageParser maxMessageSize(final int value)
    {
        maxMessageSize = value;
        return this;
    }

    /**
     * The maximum message size.
     *
     * @return bytes.
     */
    public int maxMessageSize()
    {
        return maxMessageSize;
    }
    private byte escapePrefix = '#';
    private boolean forceTagEndingByColon;
    /**
     * The inputname of imkafka messages whose hostname is not to be parsed (rsyslog's imkafka default,
     * {@code parseHostname="off"}): this exact array, compared by identity, switches hostname parsing
     * off without a per-message flag.
     */
    public static final byte[] IMKAFKA_WITHOUT_HOSTNAME = "imkafka".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private boolean permitSquareBracketsInHostname;

    // Byte classes as tables indexed by the unsigned byte, one load per byte instead of a chain of
    // compares and option flags: the per-byte loops stay small, so the JIT compiles them sooner and
    // more cheaply. The arrays are never written after they are made, so copies share them.
    private boolean[] hostnameByte = hostnameBytes(false, false);
    private boolean[] programEndByte = programEndBytes(false);

    /**
     * Whether bytes of 128 and above are escaped too ({@code parser.escape8BitCharactersOnReceive}).
     *
     * @param value on/off.
     * @return this parser.
     */
    public MessageParser escape8Bit(final boolean value)
    {
        escape8Bit = value;
        return this;
    }

    /**
     * The escape prefix character ({@code parser.controlCharacterEscapePrefix}).
     *
     * @param value prefix.
     * @return this parser.
     */
    public MessageParser escapePrefix(final char value)
    {
        escapePrefix = (byte)value;
        return this;
    }

    /**
     * pmrfc3164 {@code force.tagEndingByColon}: without a colon the tag is "-".
     *
     * @param value on/off.
     * @return this parser.
     */
    public MessageParser forceTagEndingByColon(final boolean value)
    {
        forceTagEndingByColon = value;
        return this;
    }

    /**
     * pmrfc3164 hostname permissions.
     *
     * @param squareBrackets {@code permit.squareBracketsInHostname}.
     * @param slashes        {@code permit.slashesInHostname}.
     * @param atSigns        {@code permit.AtSignsInHostname}.
     * @return this parser.
     */
    public MessageParser permitInHostname(final boolean squareBrackets, final boolean slashes, final boolean atSigns)
    {
        permitSquareBracketsInHostname = squareBrackets;
        hostnameByte = hostnameBytes(slashes, atSigns);
        return this;
    }

    /**
     * A copy with the same settings (for per-ruleset parsers).
     *
     * @return copy.
     */
    public MessageParser copy()
    {
        final MessageParser c = new MessageParser();
        c.escapeControlCharacters = escapeControlCharacters;
        c.escapeTab = escapeTab;
        c.removeMsgFirstSpace = removeMsgFirstSpace;
        c.escape8Bit = escape8Bit;
        c.rfc5424 = rfc5424;
        c.maxMessageSize = maxMessageSize;
        c.escapePrefix = escapePrefix;
        c.forceTagEndingByColon = forceTagEndingByColon;
        c.permitSquareBracketsInHostname = permitSquareBracketsInHostname;
        c.hostnameByte = hostnameByte;
        c.programEndByte = programEndByte;
        return c;
    }

    /**
     * Whether control characters are escaped as {@code #ooo} ({@code parser.escapeControlCharactersOnReceive}).
     *
     * @param value on/off.
     * @return this parser.
     */
    public MessageParser escapeControlCharacters(final boolean value)
    {
        escapeControlCharacters = value;
        return this;
    }

    /**
     * Whether tab is escaped too ({@code parser.escapeControlCharacterTab}).
     *
     * @param value on/off.
     * @return this parser.
     */
    public MessageParser escapeTab(final boolean value)
    {
        escapeTab = value;
        return this;
    }

    /**
     * Whether {@code /} is allowed in programname ({@code parser.permitSlashInProgramName}).
     *
     * @param value on/off.
     * @return this parser.
     */
    public MessageParser permitSlashInProgramName(final boolean value)
    {
        programEndByte = programEndBytes(value);
        return this;
    }

    /**
     * Whether one leading space of msg is removed (pmrfc3164 {@code remove.msgFirstSpace}).
     *
     * @param value on/off.
     * @return this parser.
     */
    public MessageParser removeMsgFirstSpace(final boolean value)
    {
        removeMsgFirstSpace = value;
        return this;
    }

    /**
     * Parses a frame into the message.
     *
     * @param m          message to fill.
     * @param data       frame bytes.
     * @param offset     first byte.
     * @param length     number of bytes.
     * @param inputName  {@code inputname}.
     * @param fromHost   {@code fromhost}.
     * @param fromHostIp {@code fromhost-ip}.
     * @param clock      reception time source.
     */
    public void parse(
        final SyslogMessage m,
        final byte[] data,
        final int offset,
        final int length,
        final byte[] inputName,
        final byte[] fromHost,
        final byte[] fromHostIp,
        final EngineClock clock)
    {
        m.resetVariables();
        m.sequence++;
        sanitize(m, data, offset, length);
        m.inputName = inputName;
        m.fromHost = fromHost;
        m.fromHostIp = fromHostIp;
        m.generated.copyFrom(clock.now());
        m.reported.copyFrom(m.generated);
        m.hostArr = fromHost;
        m.hostOff = 0;
        m.hostLen = fromHost.length;
        m.tagArr = m.tagBuf;
        m.tagOff = 0;
        m.tagLen = 0;
        m.programLen = 0;
        m.appOff = -1;
        m.procidOff = -1;
        m.msgidOff = -1;
        m.sdOff = -1;
        m.parseSuccess = SyslogMessage.FAIL_BYTES;
        m.rfc5424 = false;
        m.protocolVersion = 0;
        parsePri(m);
        if (SyslogNames.FACILITY_INVALID == m.facility)
        {
            m.msgOff = 0;
            m.msgLen = m.rawLen;
            return;
        }
        final byte[] b = m.raw;
        final int p = m.offAfterPri;
        if (rfc5424 && m.rawLen - p >= 2 && b[p] == '1' && b[p + 1] == ' ')
        {
            parse5424(m, p + 2);
        }
        else
        {
            parse3164(m, p);
        }
    }

    private void sanitize(final SyslogMessage m, final byte[] data, final int offset, final int length)
    {
        int len = length;
        while (len > 0 && data[offset + len - 1] == 0)
        {
            len--;
        }
        if (len > 0 && data[offset + len - 1] == '\n')
        {
            len--;
        }
        if (m.raw.length < len * 4 + 4)
        {
            m.raw = new byte[len * 4 + 64];
        }
        final byte[] out = m.raw;
        // Nearly every message has nothing to escape: copy the clean prefix in one go and escape
        // byte by byte only from the first byte that needs it.
        final int clean = cleanPrefix(data, offset, len);
        System.arraycopy(data, offset, out, 0, clean);
        int o = clean;
        for (int i = clean; i < len; i++)
        {
            final int c = data[offset + i] & 0xFF;
            if ((escapeControlCharacters && c < 32 && (c != '\t' || escapeTab)) || (escape8Bit && c >= 128))
            {
                out[o++] = escapePrefix;
                out[o++] = (byte)('0' + ((c >> 6) & 7));
                out[o++] = (byte)('0' + ((c >> 3) & 7));
                out[o++] = (byte)('0' + (c & 7));
            }
            else
            {
                out[o++] = (byte)c;
            }
        }
        m.rawLen = o;
    }

    /** Length of the leading run of bytes that {@link #sanitize} copies unchanged. */
    private int cleanPrefix(final byte[] data, final int offset, final int len)
    {
        if (escape8Bit)
        {
            for (int i = 0; i < len; i++)
            {
                final int c = data[offset + i] & 0xFF;
                if (c < 32 || c >= 128)
                {
                    return (c == '\t' && !escapeTab) || (c < 32 && !escapeControlCharacters) ? slowPrefix(data, offset, len, i)
                        : i;
                }
            }
            return len;
        }
        if (!escapeControlCharacters)
        {
            return len;
        }
        final int i = ByteSearch.firstControl(data, offset, offset + len) - offset;
        if (i < len && data[offset + i] == '\t' && !escapeTab)
        {
            return slowPrefix(data, offset, len, i);
        }
        return i;
    }

    /** The rare case of an unescaped tab in the prefix: fall back to the exact per-byte rule from there. */
    private int slowPrefix(final byte[] data, final int offset, final int len, final int from)
    {
        for (int i = from; i < len; i++)
        {
            final int c = data[offset + i] & 0xFF;
            if ((escapeControlCharacters && c < 32 && (c != '\t' || escapeTab)) || (escape8Bit && c >= 128))
            {
                return i;
            }
        }
        return len;
    }

    private static void parsePri(final SyslogMessage m)
    {
        final byte[] b = m.raw;
        final int len = m.rawLen;
        if (len == 0 || b[0] != '<')
        {
            setPri(m, DEFAULT_PRI);
            m.offAfterPri = 0;
            return;
        }
        int i = 1;
        int pri = 0;
        while (i < len && isDigit(b[i]) && pri <= 191)
        {
            pri = pri * 10 + (b[i] - '0');
            i++;
        }
        if (i < len && b[i] == '>' && pri <= 191)
        {
            setPri(m, pri);
            m.offAfterPri = i + 1;
        }
        else
        {
            setPri(m, INVALID_PRI);
            m.offAfterPri = 0;
        }
    }

    private static void setPri(final SyslogMessage m, final int pri)
    {
        m.pri = pri;
        m.facility = pri >> 3;
        m.severity = pri & 7;
    }

    private static boolean isDigit(final byte c)
    {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlnum(final byte c)
    {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** Bytes a hostname may hold (pmrfc3164): letters, digits, {@code . _ -}, and {@code / @} when permitted. */
    static boolean[] hostnameBytes(final boolean slashes, final boolean atSigns)
    {
        final boolean[] t = new boolean[256];
        for (int c = 0; c < 256; c++)
        {
            t[c] = isAlnum((byte)c) || c == '.' || c == '_' || c == '-' || (c == '/' && slashes) || (c == '@' && atSigns);
        }
        return t;
    }

    /** Bytes that end the programname within the tag: {@code : [}, control and non-ASCII bytes, {@code /} unless permitted. */
    static boolean[] programEndBytes(final boolean permitSlash)
    {
        final boolean[] t = new boolean[256];
        for (int c = 0; c < 256; c++)
        {
            t[c] = c == ':' || c == '[' || c < 32 || c >= 127 || (c == '/' && !permitSlash);
        }
        return t;
    }

    private void parse3164(final SyslogMessage m, final int start)
    {
        final byte[] b = m.raw;
        final int end = m.rawLen;
        if (isStructuredAfterSpaces(b, start, end))
        {
            m.msgOff = start;
            m.msgLen = end - start;
            return;
        }
        int p = skipTimestamp(m, b, start, end);
        // imkafka without parseHostname="on" hands rsyslog's parser frames flagged "no hostname":
        // the word after the timestamp is then the TAG.
        if (p < end && m.inputName != IMKAFKA_WITHOUT_HOSTNAME)
        {
            p = skipHostname(m, b, p, end);
        }
        p = skipTag(m, b, start, p, end);
        deriveFromTag(m, true);
        if (removeMsgFirstSpace && p < end && b[p] == ' ')
        {
            p++;
        }
        m.msgOff = p;
        m.msgLen = end - p;
    }

    /** A frame whose first non-space byte opens JSON or an array is all msg, as rsyslog's parser leaves it. */
    private static boolean isStructuredAfterSpaces(final byte[] b, final int start, final int end)
    {
        int q = start;
        while (q < end && b[q] == ' ')
        {
            q++;
        }
        return q < end && (b[q] == '{' || b[q] == '[');
    }

    /** Reads an RFC 3339 or RFC 3164 timestamp into {@code reported}; returns where the hostname starts. */
    private static int skipTimestamp(final SyslogMessage m, final byte[] b, final int p, final int end)
    {
        // An RFC 3339 stamp starts with its 4-digit year; testing the first digit here keeps the
        // RFC 3339 reader out of the usual RFC 3164 frame's path (it would fail on the month name).
        int np = p < end && isDigit(b[p]) ? parse3339(b, p, end, m.reported) : -1;
        if (np >= 0)
        {
            return skipOneSpaceOrFail(b, np, end, p);
        }
        np = parse3164Stamp(b, p, end, m.reported);
        if (np >= 0)
        {
            return np;
        }
        if (p < end && b[p] == ' ' && end - p > 1)
        {
            np = parse3164Stamp(b, p + 1, end, m.reported);
            if (np >= 0)
            {
                return np;
            }
        }
        return p;
    }

    /** The hostname word at {@code p}, if it is one (set on the message); returns where the tag starts. */
    private int skipHostname(final SyslogMessage m, final byte[] b, final int start, final int end)
    {
        int p = start;
        int i = 0;
        boolean bracket = false;
        if (permitSquareBracketsInHostname && b[p] == '[')
        {
            bracket = true;
            i++;
        }
        final boolean[] hostname = hostnameByte;
        while (p + i < end && i < HOSTNAME_MAX - 1)
        {
            final byte c = b[p + i];
            if (hostname[c & 0xFF] || (c == ']' && bracket))
            {
                i++;
                if (p + i < end && b[p + i] == ']' && bracket)
                {
                    break;
                }
            }
            else
            {
                break;
            }
        }
        if (p + i == end)
        {
            setHost(m, p, i);
            p += i;
        }
        else if (i > 0)
        {
            boolean isHost = false;
            if (bracket)
            {
                if (b[p + i] == ']')
                {
                    i++;
                    isHost = true;
                }
            }
            else if (isAlnum(b[p + i - 1]))
            {
                isHost = true;
            }
            if (p + i >= end || b[p + i] != ' ')
            {
                isHost = p + i >= end && isHost;
            }
            if (isHost)
            {
                setHost(m, p, i);
                p += Math.min(i + 1, end - p);
            }
        }
        return p;
    }

    /** The TAG from {@code tagStart} (set on the message); returns where msg starts. */
    private int skipTag(final SyslogMessage m, final byte[] b, final int start, final int tagStart, final int end)
    {
        int p = tagStart;
        while (p < end && b[p] != ':' && b[p] != ' ' && p - tagStart < TAG_MAX)
        {
            p++;
        }
        if (p < end && b[p] == ':')
        {
            p++;
        }
        m.tagArr = b;
        m.tagOff = tagStart;
        m.tagLen = p - tagStart;
        if (forceTagEndingByColon && (m.tagLen == 0 || b[p - 1] != ':'))
        {
            m.tagArr = DASH_TAG;
            m.tagOff = 0;
            m.tagLen = 1;
            p = tagStart > start && b[tagStart - 1] == ' ' ? tagStart - 1 : tagStart;
        }
        return p;
    }

    private static int skipOneSpaceOrFail(final byte[] b, final int np, final int end, final int original)
    {
        if (np == end)
        {
            return np;
        }
        return np + 1;
    }

    private static void setHost(final SyslogMessage m, final int off, final int len)
    {
        m.hostArr = m.raw;
        m.hostOff = off;
        m.hostLen = len;
    }

    private void deriveFromTag(final SyslogMessage m, final boolean emulateProcid)
    {
        final byte[] t = m.tagArr;
        final int off = m.tagOff;
        final int len = m.tagLen;
        final boolean[] programEnd = programEndByte;
        int i = 0;
        while (i < len && !programEnd[t[off + i] & 0xFF])
        {
            i++;
        }
        m.programLen = i;
        if (emulateProcid)
        {
            // The searches the frame decoder already runs hot, rather than two more loops to compile.
            final int open = ByteSearch.indexOf(t, off, off + len, (byte)'[');
            final int close = open < 0 ? -1 : ByteSearch.indexOf(t, open + 1, off + len, (byte)']');
            if (close >= 0)
            {
                m.procidOff = open + 1;
                m.procidLen = close - open - 1;
            }
        }
    }

    private void parse5424(final SyslogMessage m, final int start)
    {
        final byte[] b = m.raw;
        final int end = m.rawLen;
        m.rfc5424 = true;
        m.protocolVersion = 1;
        int p = start;
        if (end - p >= 2 && b[p] == '-' && b[p + 1] == ' ')
        {
            p += 2;
        }
        else
        {
            final int np = parse3339(b, p, end, m.reported);
            if (np < 0 || np >= end || b[np] != ' ')
            {
                // rsyslog gives up on the header: everything after the version is msg, fields are empty.
                m.appOff = p;
                m.appLen = 0;
                m.procidOff = p;
                m.procidLen = 0;
                m.msgidOff = p;
                m.msgidLen = 0;
                m.sdOff = p;
                m.sdLen = 0;
                m.msgOff = p;
                m.msgLen = end - p;
                m.tagArr = m.tagBuf;
                m.tagOff = 0;
                m.tagLen = 0;
                m.programLen = 0;
                return;
            }
            p = np + 1;
        }
        final int hs = p;
        p = field5424(b, p, end);
        setHost(m, hs, fieldLen(b, hs, p, end));
        int s = p;
        p = field5424(b, p, end);
        m.appOff = s;
        m.appLen = fieldLen(b, s, p, end);
        s = p;
        p = field5424(b, p, end);
        m.procidOff = s;
        m.procidLen = fieldLen(b, s, p, end);
        s = p;
        p = field5424(b, p, end);
        m.msgidOff = s;
        m.msgidLen = fieldLen(b, s, p, end);
        s = p;
        final int sdEnd = structuredData(b, p, end);
        if (sdEnd < 0)
        {
            // Malformed structured data: rsyslog keeps all but the last byte as SD, that byte as msg.
            final int last = Math.max(s, end - 1);
            m.sdOff = s;
            m.sdLen = last - s;
            p = last;
        }
        else
        {
            m.sdOff = s;
            m.sdLen = sdEnd - s;
            p = sdEnd < end ? sdEnd + 1 : sdEnd;
        }
        m.msgOff = p;
        m.msgLen = end - p;
        emulateTag5424(m);
    }

    /** Index after a header field and its SP (or the end). */
    private static int field5424(final byte[] b, final int start, final int end)
    {
        int p = start;
        while (p < end && b[p] != ' ')
        {
            p++;
        }
        return p < end ? p + 1 : p;
    }

    private static int fieldLen(final byte[] b, final int start, final int next, final int end)
    {
        return next > start && next <= end && next - 1 >= start && next - 1 < end && b[next - 1] == ' ' ?
            next - 1 - start : next - start;
    }

    private void emulateTag5424(final SyslogMessage m)
    {
        final byte[] tag = m.tagBuf;
        int n = 0;
        if (m.appOff >= 0)
        {
            n = copy(m.raw, m.appOff, m.appLen, tag, n);
        }
        else
        {
            tag[n++] = '-';
        }
        final boolean procidNil = m.procidOff < 0 || (m.procidLen == 1 && m.raw[m.procidOff] == '-');
        if (m.appLen == 0 && m.appOff >= 0 && procidNil)
        {
            m.tagArr = tag;
            m.tagOff = 0;
            m.tagLen = 0;
            m.programLen = 0;
            return;
        }
        if (!procidNil)
        {
            if (n < tag.length - 2)
            {
                tag[n++] = '[';
            }
            n = copy(m.raw, m.procidOff, m.procidLen, tag, n);
            if (n < tag.length)
            {
                tag[n++] = ']';
            }
        }
        m.tagArr = tag;
        m.tagOff = 0;
        m.tagLen = n;
        deriveFromTag(m, false);
    }

    private static int copy(final byte[] src, final int off, final int len, final byte[] dst, final int at)
    {
        final int n = Math.min(len, dst.length - 2 - at);
        if (n <= 0)
        {
            return at;
        }
        System.arraycopy(src, off, dst, at, n);
        return at + n;
    }

    /** Structured data: "-" or one or more [..] elements; returns index just after it, or -1. */
    private static int structuredData(final byte[] b, final int start, final int end)
    {
        if (start >= end)
        {
            return -1;
        }
        if (b[start] == '-')
        {
            final int p = start + 1;
            return p == end || b[p] == ' ' ? p : -1;
        }
        int p = start;
        while (p < end && b[p] == '[')
        {
            boolean inQuotes = false;
            p++;
            while (p < end)
            {
                final byte c = b[p];
                if (inQuotes && c == '\\' && p + 1 < end)
                {
                    p += 2;
                    continue;
                }
                if (c == '"')
                {
                    inQuotes = !inQuotes;
                }
                else if (c == ']' && !inQuotes)
                {
                    break;
                }
                p++;
            }
            if (p >= end)
            {
                return -1;
            }
            p++;
        }
        if (p == start || (p < end && b[p] != ' '))
        {
            return -1;
        }
        return p;
    }

    /** Parses up to 9 digits; returns (end index << 32) | value, so nothing is allocated. */
    private static long parseInt(final byte[] b, final int start, final int end)
    {
        int p = start;
        int v = 0;
        while (p < end && isDigit(b[p]) && p - start < 9)
        {
            v = v * 10 + (b[p] - '0');
            p++;
        }
        return ((long)p << 32) | v;
    }

    private static int pos(final long packed)
    {
        return (int)(packed >>> 32);
    }

    private static int val(final long packed)
    {
        return (int)packed;
    }

    /**
     * Parses an RFC 3339 timestamp; returns the index just after it (not consuming a following
     * space) or -1, leaving {@code t} untouched on failure.
     *
     * @param b     bytes.
     * @param start first index.
     * @param end   end index.
     * @param t     timestamp to fill.
     * @return index after the timestamp, or -1.
     */
    public static int parse3339(final byte[] b, final int start, final int end, final SyslogTime t)
    {
        long r;
        int p = pos(r = parseInt(b, start, end));
        if (p - start != 4 || p >= end || b[p] != '-')
        {
            return -1;
        }
        final int year = val(r);
        p = pos(r = parseInt(b, p + 1, end));
        final int month = val(r);
        if (month < 1 || month > 12 || p >= end || b[p] != '-')
        {
            return -1;
        }
        p = pos(r = parseInt(b, p + 1, end));
        final int day = val(r);
        if (day < 1 || day > 31 || p >= end || b[p] != 'T')
        {
            return -1;
        }
        p = pos(r = parseInt(b, p + 1, end));
        final int hour = val(r);
        if (hour > 23 || p >= end || b[p] != ':')
        {
            return -1;
        }
        p = pos(r = parseInt(b, p + 1, end));
        final int minute = val(r);
        if (minute > 59 || p >= end || b[p] != ':')
        {
            return -1;
        }
        final int secStart = p + 1;
        p = pos(r = parseInt(b, secStart, end));
        final int second = val(r);
        if (p == secStart || second > 60 || p >= end)
        {
            return -1;
        }
        int frac = 0;
        int precision = 0;
        if (b[p] == '.')
        {
            final int fs = p + 1;
            p = pos(r = parseInt(b, fs, end));
            precision = p - fs;
            frac = val(r);
            while (p < end && isDigit(b[p]))
            {
                p++;
            }
            if (precision == 0 || p >= end)
            {
                return -1;
            }
        }
        final char mode;
        int oh = 0;
        int om = 0;
        if (b[p] == 'Z')
        {
            mode = 'Z';
            p++;
        }
        else if (b[p] == '+' || b[p] == '-')
        {
            mode = (char)b[p];
            p = pos(r = parseInt(b, p + 1, end));
            oh = val(r);
            if (oh > 23 || p >= end || b[p] != ':')
            {
                return -1;
            }
            p = pos(r = parseInt(b, p + 1, end));
            om = val(r);
            if (om > 59)
            {
                return -1;
            }
        }
        else
        {
            return -1;
        }
        if (p < end && b[p] != ' ')
        {
            return -1;
        }
        t.year = year;
        t.month = month;
        t.day = day;
        t.hour = hour;
        t.minute = minute;
        t.second = second;
        t.secfrac = frac;
        t.secfracPrecision = precision;
        t.offsetMode = mode;
        t.offsetHour = oh;
        t.offsetMinute = om;
        return p;
    }

    private static int month(final byte[] b, final int p, final int end)
    {
        if (end - p < 3)
        {
            return -1;
        }
        // Month names compared case-insensitively as one packed int; a byte of 128 or above
        // packs to a value no name has.
        final int key = ((b[p] & 0xFF | 0x20) << 16) | ((b[p + 1] & 0xFF | 0x20) << 8) | (b[p + 2] & 0xFF | 0x20);
        switch (key)
        {
            case 'j' << 16 | 'a' << 8 | 'n': return 1;
            case 'f' << 16 | 'e' << 8 | 'b': return 2;
            case 'm' << 16 | 'a' << 8 | 'r': return 3;
            case 'a' << 16 | 'p' << 8 | 'r': return 4;
            case 'm' << 16 | 'a' << 8 | 'y': return 5;
            case 'j' << 16 | 'u' << 8 | 'n': return 6;
            case 'j' << 16 | 'u' << 8 | 'l': return 7;
            case 'a' << 16 | 'u' << 8 | 'g': return 8;
            case 's' << 16 | 'e' << 8 | 'p': return 9;
            case 'o' << 16 | 'c' << 8 | 't': return 10;
            case 'n' << 16 | 'o' << 8 | 'v': return 11;
            case 'd' << 16 | 'e' << 8 | 'c': return 12;
            default: return -1;
        }
    }

    /**
     * Parses an RFC 3164 timestamp with rsyslog's tolerances; returns the index after it and the
     * one space that follows it, or -1 (leaving {@code t} untouched).
     *
     * @param b     bytes.
     * @param start first index.
     * @param end   end index.
     * @param t     timestamp to fill (year and offset are kept when absent).
     * @return index after the timestamp, or -1.
     */
    public static int parse3164Stamp(final byte[] b, final int start, final int end, final SyslogTime t)
    {
        final int p = commonLayout3164Stamp(b, start, end, t);
        return p != OTHER_LAYOUT ? p : anyLayout3164Stamp(b, start, end, t);
    }

    /**
     * The layout nearly every sender uses, {@code "Mmm dd hh:mm:ss"} or {@code "Mmm  d hh:mm:ss"} (then
     * the end or one space), read at fixed positions; {@link #OTHER_LAYOUT} for anything else, which
     * {@link #anyLayout3164Stamp} then reads. Same result as that reader for every stamp it accepts,
     * in a method small enough to be compiled early and cheaply.
     */
    private static int commonLayout3164Stamp(final byte[] b, final int start, final int end, final SyslogTime t)
    {
        if (end - start < 15 || b[start + 3] != ' ' || b[start + 6] != ' ' || b[start + 9] != ':' || b[start + 12] != ':')
        {
            return OTHER_LAYOUT;
        }
        final int month = month(b, start, end);
        final byte d0 = b[start + 4];
        final byte d1 = b[start + 5];
        if (month < 0 || !isDigit(d1) || (d0 != ' ' && !isDigit(d0)))
        {
            return OTHER_LAYOUT;
        }
        final int day = d0 == ' ' ? d1 - '0' : (d0 - '0') * 10 + d1 - '0';
        final int hour = twoDigits(b, start + 7);
        final int minute = twoDigits(b, start + 10);
        final int second = twoDigits(b, start + 13);
        if (day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60)
        {
            return OTHER_LAYOUT;
        }
        int p = start + 15;
        if (p < end)
        {
            if (b[p] != ' ')
            {
                return OTHER_LAYOUT;
            }
            p++;
        }
        t.month = month;
        t.day = day;
        t.hour = hour;
        t.minute = minute;
        t.second = second;
        t.secfrac = 0;
        t.secfracPrecision = 0;
        return p;
    }

    /** Two decimal digits at {@code p} as a number, or -1. */
    private static int twoDigits(final byte[] b, final int p)
    {
        final int hi = b[p] - '0';
        final int lo = b[p + 1] - '0';
        return hi >= 0 && hi <= 9 && lo >= 0 && lo <= 9 ? hi * 10 + lo : -1;
    }

    /** Every RFC 3164 stamp layout rsyslog accepts (see {@link #parse3164Stamp}). */
    static int anyLayout3164Stamp(final byte[] b, final int start, final int end, final SyslogTime t)
    {
        if (end - start < 3)
        {
            return -1;
        }
        long r;
        int p = start;
        int year = 0;
        if (isDigit(b[p]))
        {
            p = pos(r = parseInt(b, p, end));
            year = val(r);
            if (year < 1970 || year > 2100 || p >= end || b[p] != ' ')
            {
                return -1;
            }
            p++;
        }
        final int month = month(b, p, end);
        if (month < 0)
        {
            return -1;
        }
        p += 3;
        if (p >= end || b[p] != ' ')
        {
            return -1;
        }
        p++;
        if (p < end && b[p] == ' ')
        {
            p++;
        }
        p = pos(r = parseInt(b, p, end));
        final int day = val(r);
        if (day < 1 || day > 31 || p >= end || b[p] != ' ')
        {
            return -1;
        }
        p = pos(r = parseInt(b, p + 1, end));
        int hour = val(r);
        if (year == 0 && hour > 1970 && hour < 2100)
        {
            year = hour;
            if (p >= end || b[p] != ' ')
            {
                return -1;
            }
            p = pos(r = parseInt(b, p + 1, end));
            hour = val(r);
        }
        if (hour > 23 || p >= end || b[p] != ':')
        {
            return -1;
        }
        p = pos(r = parseInt(b, p + 1, end));
        final int minute = val(r);
        if (minute > 59 || p >= end || b[p] != ':')
        {
            return -1;
        }
        p = pos(r = parseInt(b, p + 1, end));
        final int second = val(r);
        if (second > 60)
        {
            return -1;
        }
        int frac = 0;
        int precision = 0;
        if (p < end && b[p] == '.')
        {
            final int fs = p + 1;
            p = pos(r = parseInt(b, fs, end));
            frac = val(r);
            precision = p - fs;
        }
        if (p < end && b[p] == ':')
        {
            p++;
        }
        if (p < end)
        {
            if (b[p] != ' ')
            {
                return -1;
            }
            p++;
        }
        t.month = month;
        if (year > 0)
        {
            t.year = year;
        }
        t.day = day;
        t.hour = hour;
        t.minute = minute;
        t.second = second;
        t.secfrac = frac;
        t.secfracPrecision = precision;
        return p;
    }
}

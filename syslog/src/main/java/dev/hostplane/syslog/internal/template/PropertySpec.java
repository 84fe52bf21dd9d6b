package dev.hostplane.syslog.internal.template;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import dev.hostplane.syslog.internal.message.ByteSink;
import dev.hostplane.syslog.internal.message.ByteView;
import dev.hostplane.syslog.internal.message.Json;
import dev.hostplane.syslog.internal.message.PropertyId;
import dev.hostplane.syslog.internal.message.SyslogTime;
import dev.hostplane.syslog.internal.message.VarPath;

/**
 * One property reference of a template with its property-replacer options ({@code %msg:1:10:lowercase%},
 * {@code property(name="msg" ...)}), rendered in the order rsyslog applies them: value (with the
 * date format) → substring / field / regex → sp-if-no-1st-sp → case → control characters → secure
 * path → drop-last-lf → csv/json/jsonf → fixed width.
 */
public final class PropertySpec
{
    /** Case conversion: none. */
    public static final int CASE_NONE = 0;
    /** Case conversion: lower. */
    public static final int CASE_LOWER = 1;
    /** Case conversion: upper. */
    public static final int CASE_UPPER = 2;
    /** Control characters: keep. */
    public static final int CC_KEEP = 0;
    /** Control characters: escape as #ooo. */
    public static final int CC_ESCAPE = 1;
    /** Control characters: drop. */
    public static final int CC_DROP = 2;
    /** Control characters: replace by space. */
    public static final int CC_SPACE = 3;
    /** Format: raw. */
    public static final int FORMAT_NONE = 0;
    /** Format: csv. */
    public static final int FORMAT_CSV = 1;
    /** Format: json. */
    public static final int FORMAT_JSON = 2;
    /** Format: jsonf. */
    public static final int FORMAT_JSONF = 3;
    /** Format: jsonr (no escaping). */
    public static final int FORMAT_JSONR = 4;
    /** Data type for jsonf: string. */
    public static final int TYPE_STRING = 0;
    /** Data type for jsonf: number (unquoted). */
    public static final int TYPE_NUMBER = 1;
    /** Data type for jsonf: auto (unquoted when numeric). */
    public static final int TYPE_AUTO = 2;
    /** Data type for jsonf: bool. */
    public static final int TYPE_BOOL = 3;
    /** Empty value: keep. */
    public static final int EMPTY_KEEP = 0;
    /** Empty value: skip the item. */
    public static final int EMPTY_SKIP = 1;
    /** Empty value: null. */
    public static final int EMPTY_NULL = 2;
    /** Regex no-match: "**NO MATCH**". */
    public static final int NOMATCH_DFLT = 0;
    /** Regex no-match: empty. */
    public static final int NOMATCH_BLANK = 1;
    /** Regex no-match: "0". */
    public static final int NOMATCH_ZERO = 2;
    /** Regex no-match: the whole field. */
    public static final int NOMATCH_FIELD = 3;

    private static final byte[] FIELD_NOT_FOUND = "**FIELD NOT FOUND**".getBytes();
    private static final byte[] NO_MATCH = "**NO MATCH**".getBytes();

    /** Property id. */
    public int id;
    /** Property name as written (for jsonf). */
    public String name;
    /** Variable path when {@link #id} is {@link PropertyId#VARIABLE}. */
    public VarPath variable;
    /** Output field name for jsonf. */
    public String outName;
    /** 1-based start position, 0 = none. */
    public int fromPos;
    /** 1-based end position, 0 = none. */
    public int toPos;
    /** Positions relative to the end. */
    public boolean posEndRelative;
    /** Field number, 0 = no field extraction. */
    public int fieldNumber;
    /** Field delimiter. */
    public int fieldDelimiter = 9;
    /** Regex, or null. */
    public Pattern regex;
    /** Regex submatch. */
    public int regexSubmatch;
    /** Regex match number (0 = first). */
    public int regexMatchNumber;
    /** What a non-matching regex yields. */
    public int regexNoMatch = NOMATCH_DFLT;
    /** Case conversion. */
    public int caseConversion = CASE_NONE;
    /** Control character handling. */
    public int controlCharacters = CC_KEEP;
    /** Secure path: 0 none, 1 drop, 2 replace. */
    public int securePath;
    /** drop-last-lf. */
    public boolean dropLastLf;
    /** sp-if-no-1st-sp. */
    public boolean spIfNo1stSp;
    /** Output format. */
    public int format = FORMAT_NONE;
    /** Date format or null for the property's default. */
    public SyslogTime.DateFormat dateFormat;
    /** Convert date to UTC first. */
    public boolean dateUtc;
    /** Fixed width (pad/truncate), 0 = off. */
    public int fixedWidth;
    /** compressspace. */
    public boolean compressSpace;
    /**
     * sp-if-no-1st-sp also for an empty value: the C string generators behind the built-in
     * RSYSLOG_FileFormat family do this, template strings do not (measured).
     */
    public boolean emptyGetsSpace;
    /** {@code fixed-width} option (width from the positions). */
    public boolean fixedWidthOption;
    /** Whether rsyslog would own a private copy of the value by the secpath step (see securePath). */
    private boolean privateCopy;
    /** jsonf data type. */
    public int dataType = TYPE_STRING;
    /** jsonf handling of empty values. */
    public int onEmpty = EMPTY_KEEP;

    private static final int FAST_COPY = 0;
    private static final int FAST_SP_IF_NO_1ST_SP = 1;
    private static final int FAST_DROP_LAST_LF = 2;
    private static final int FAST_NONE = 3;

    private int fastMode = -1;
    private final ByteView view = new ByteView();
    private final ByteSink scratch = new ByteSink(256);
    private final ByteSink work = new ByteSink(256);

    private int fastMode()
    {
        if (!complex())
        {
            return FAST_COPY;
        }
        final boolean otherwise = fromPos != 0 || toPos != 0 || fieldNumber != 0 || regex != null ||
            caseConversion != CASE_NONE || controlCharacters != CC_KEEP || securePath != 0 || format != FORMAT_NONE ||
            fixedWidth != 0 || compressSpace || fixedWidthOption;
        if (otherwise)
        {
            return FAST_NONE;
        }
        if (spIfNo1stSp && !dropLastLf)
        {
            return FAST_SP_IF_NO_1ST_SP;
        }
        if (dropLastLf && !spIfNo1stSp)
        {
            return FAST_DROP_LAST_LF;
        }
        return FAST_NONE;
    }

    /**
     * Whether rendering needs the work buffer (anything beyond copying the value).
     *
     * @return true when options are set.
     */
    private boolean complex()
    {
        return fromPos != 0 || toPos != 0 || fieldNumber != 0 || regex != null || caseConversion != CASE_NONE ||
            controlCharacters != CC_KEEP || securePath != 0 || dropLastLf || spIfNo1stSp || format != FORMAT_NONE ||
            fixedWidth != 0 || compressSpace || fixedWidthOption;
    }

    /**
     * Renders the value with all options into {@code out}.
     *
     * @param ctx context.
     * @param out destination.
     * @param option template-level option ({@link Template#OPTION_JSON} etc.).
     */
    public void render(final RenderContext ctx, final ByteSink out, final int option)
    {
        value(ctx);
        if (Template.OPTION_NONE == option)
        {
            int mode = fastMode;
            if (mode < 0)
            {
                mode = fastMode();
                fastMode = mode;
            }
            if (FAST_COPY == mode)
            {
                out.put(view);
                return;
            }
            if (FAST_SP_IF_NO_1ST_SP == mode)
            {
                // Only the decision matters: no need to copy the value into the work buffer.
                if ((view.length() > 0 && view.byteAt(0) != ' ') || (view.length() == 0 && emptyGetsSpace))
                {
                    out.put(' ');
                }
                return;
            }
            if (FAST_DROP_LAST_LF == mode)
            {
                final int n = view.length();
                out.put(view.array(), view.offset(), n > 0 && view.byteAt(n - 1) == '\n' ? n - 1 : n);
                return;
            }
        }
        work.clear();
        work.put(view);
        transform();
        if (Template.OPTION_NONE != option && format == FORMAT_NONE)
        {
            templateEscape(option, out);
            return;
        }
        out.put(work.array(), 0, work.length());
    }

    private void templateEscape(final int option, final ByteSink out)
    {
        final byte[] a = work.array();
        for (int i = 0; i < work.length(); i++)
        {
            final int c = a[i] & 0xFF;
            if (Template.OPTION_JSON == option)
            {
                if (c == '"' || c == '\\')
                {
                    out.put('\\').put(c);
                }
                else if (c < 0x20)
                {
                    out.putLatin1("\\u00").put(HEX[c >> 4]).put(HEX[c & 15]);
                }
                else
                {
                    out.put(c);
                }
            }
            else if (Template.OPTION_SQL == option)
            {
                if (c == '\'' || c == '\\')
                {
                    out.put('\\');
                }
                out.put(c);
            }
            else
            {
                if (c == '\'')
                {
                    out.put('\'');
                }
                out.put(c);
            }
        }
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes();

    /**
     * Points {@link #view} at the raw value of the property (before options).
     *
     * @param ctx context.
     * @return the view.
     */
    public ByteView value(final RenderContext ctx)
    {
        if (PropertyId.VARIABLE == id)
        {
            scratch.clear();
            final Object v = variable.get(ctx.message, ctx.globals);
            // An empty object prints "{ }"; a tree that was never created prints nothing.
            if (!(v instanceof java.util.Map && ((java.util.Map<?, ?>)v).isEmpty() && variable.isRoot() &&
                !variable.exists(ctx.message, ctx.globals)))
            {
                Json.renderPlain(v, scratch);
            }
            return view.wrap(scratch.array(), 0, scratch.length());
        }
        if ((null != dateFormat || dateUtc) && (PropertyId.TIMEREPORTED == id || PropertyId.TIMEGENERATED == id))
        {
            // date-utc alone converts the default (RFC 3164) format.
            return ctx.message.formattedTime(PropertyId.TIMEREPORTED == id,
                null != dateFormat ? dateFormat : SyslogTime.DateFormat.RFC3164, dateUtc, view);
        }
        if (null != dateFormat && PropertyId.SYS_NOW == id)
        {
            scratch.clear();
            ctx.clock.now().format(scratch, dateFormat);
            return view.wrap(scratch.array(), 0, scratch.length());
        }
        ctx.message.property(id, view, scratch, ctx.clock);
        return view;
    }

    private void transform()
    {
        privateCopy = PropertyId.VARIABLE == id || fieldNumber > 0 || null != regex;
        if (fieldNumber > 0)
        {
            if (!extractField())
            {
                return;
            }
        }
        else if (null != regex)
        {
            if (!applyRegex())
            {
                return;
            }
        }
        else if (fromPos != 0 || toPos != 0)
        {
            substring();
        }
        if (spIfNo1stSp && work.length() == 0 && emptyGetsSpace)
        {
            work.put(' ');
        }
        else if (spIfNo1stSp && work.length() > 0)
        {
            final boolean space = work.array()[0] == ' ';
            work.clear();
            if (!space)
            {
                work.put(' ');
            }
        }
        if (work.length() > 0)
        {
            final byte[] a = work.array();
            final int n = work.length();
            if (caseConversion != CASE_NONE)
            {
                privateCopy = true;
                for (int i = 0; i < n; i++)
                {
                    final byte c = a[i];
                    if (caseConversion == CASE_LOWER && c >= 'A' && c <= 'Z')
                    {
                        a[i] = (byte)(c + 32);
                    }
                    else if (caseConversion == CASE_UPPER && c >= 'a' && c <= 'z')
                    {
                        a[i] = (byte)(c - 32);
                    }
                }
            }
            if (controlCharacters != CC_KEEP)
            {
                controlChars();
            }
        }
        // From here on rsyslog works on empty values too: an empty path becomes "_", an empty
        // field "name":"" and an empty CSV column "".
        if (securePath != 0)
        {
            securePath();
        }
        if (dropLastLf && controlCharacters != CC_ESCAPE && work.length() > 0 &&
            work.array()[work.length() - 1] == '\n')
        {
            work.setLength(work.length() - 1);
        }
        if (compressSpace)
        {
            compress();
        }
        formatOutput();
        final int width = fixedWidth > 0 ? fixedWidth : fixedWidthOption && toPos > 0 ?
            toPos - Math.max(1, fromPos) + 1 : 0;
        if (width > 0)
        {
            if (work.length() > width)
            {
                work.setLength(width);
            }
            while (work.length() < width)
            {
                work.put(' ');
            }
        }
    }

    private void copyBack(final ByteSink tmp)
    {
        work.clear();
        work.put(tmp.array(), 0, tmp.length());
    }

    private boolean extractField()
    {
        final byte[] a = work.array();
        final int n = work.length();
        int pos = 0;
        int current = 1;
        while (pos < n && current < fieldNumber)
        {
            while (pos < n && (a[pos] & 0xFF) != fieldDelimiter)
            {
                pos++;
            }
            if (pos < n)
            {
                pos++;
                current++;
            }
        }
        if (current != fieldNumber)
        {
            work.clear();
            work.put(FIELD_NOT_FOUND);
            return false;
        }
        int end = pos;
        while (end < n && (a[end] & 0xFF) != fieldDelimiter)
        {
            end++;
        }
        System.arraycopy(a, pos, a, 0, end - pos);
        work.setLength(end - pos);
        if (fromPos != 0 || toPos != 0)
        {
            substring();
        }
        return true;
    }

    private boolean applyRegex()
    {
        final String text = work.toString();
        final Matcher matcher = regex.matcher(text);
        boolean found = false;
        for (int i = 0; i <= regexMatchNumber; i++)
        {
            found = matcher.find();
            if (!found)
            {
                break;
            }
        }
        if (found && regexSubmatch <= matcher.groupCount() && null != matcher.group(regexSubmatch))
        {
            final String g = matcher.group(regexSubmatch);
            work.clear();
            work.putLatin1(g);
            return true;
        }
        switch (regexNoMatch)
        {
            case NOMATCH_BLANK:
                work.clear();
                return true;
            case NOMATCH_ZERO:
                work.clear();
                work.put('0');
                return true;
            case NOMATCH_FIELD:
                return true;
            default:
                work.clear();
                work.put(NO_MATCH);
                return false;
        }
    }

    private void substring()
    {
        final int len = work.length();
        int from = fromPos;
        int to = toPos;
        if (posEndRelative)
        {
            final int a = len < from ? 0 : len - from;
            final int b = len < to ? 0 : len - to;
            from = Math.min(a, b);
            to = Math.max(a, b);
        }
        else
        {
            if (from > 0)
            {
                from--;
            }
            if (to > 0)
            {
                to--;
            }
            else if (toPos == 0)
            {
                to = len - 1;
            }
        }
        if (from >= len || to < from)
        {
            work.clear();
            return;
        }
        if (to >= len)
        {
            to = len - 1;
        }
        if (from > 0 || to < len - 1)
        {
            privateCopy = true;
        }
        final byte[] a = work.array();
        System.arraycopy(a, from, a, 0, to - from + 1);
        work.setLength(to - from + 1);
    }

    private void controlChars()
    {
        final ByteSink tmp = new ByteSink(work.length() * 4 + 4);
        final byte[] a = work.array();
        for (int i = 0; i < work.length(); i++)
        {
            final int c = a[i] & 0xFF;
            if (c < 32 || c == 127)
            {
                privateCopy = true;
                if (controlCharacters == CC_ESCAPE)
                {
                    tmp.put('#').put('0' + c / 100).put('0' + (c / 10) % 10).put('0' + c % 10);
                }
                else if (controlCharacters == CC_SPACE)
                {
                    tmp.put(' ');
                }
            }
            else
            {
                tmp.put(c);
            }
        }
        copyBack(tmp);
    }

    private void compress()
    {
        final byte[] a = work.array();
        int o = 0;
        boolean lastSpace = false;
        for (int i = 0; i < work.length(); i++)
        {
            final boolean space = a[i] == ' ';
            if (!(space && lastSpace))
            {
                a[o++] = a[i];
            }
            lastSpace = space;
        }
        work.setLength(o);
    }

    private void securePath()
    {
        final byte[] a = work.array();
        int o = 0;
        for (int i = 0; i < work.length(); i++)
        {
            if (a[i] == '/')
            {
                if (securePath == 2)
                {
                    a[o++] = '_';
                    // rsyslog replaces in place in a buffer it already owns and then steps over the
                    // byte after each '/', so "//" there becomes "_/".
                    if (privateCopy && i + 1 < work.length())
                    {
                        a[o++] = a[++i];
                    }
                }
            }
            else
            {
                a[o++] = a[i];
            }
        }
        work.setLength(o);
        if (o == 0 || (o == 1 && a[0] == '.'))
        {
            work.clear();
            work.put('_');
        }
        else if (o == 2 && a[0] == '.' && a[1] == '.')
        {
            work.clear();
            work.put('_').put('.');
        }
    }

    private void formatOutput()
    {
        if (format == FORMAT_NONE)
        {
            return;
        }
        final ByteSink tmp = new ByteSink(work.length() * 2 + 16);
        final ByteView v = new ByteView().wrap(work.array(), 0, work.length());
        if (format == FORMAT_CSV)
        {
            tmp.put('"');
            for (int i = 0; i < v.length(); i++)
            {
                final int c = v.byteAt(i);
                if (c == '"')
                {
                    tmp.put('"');
                }
                tmp.put(c);
            }
            tmp.put('"');
        }
        else if (format == FORMAT_JSON)
        {
            Json.escape(v, tmp, true);
        }
        else if (format == FORMAT_JSONR)
        {
            // "raw": existing backslash escapes are kept as they are; everything else is escaped.
            for (int i = 0; i < v.length(); i++)
            {
                final int c = v.byteAt(i);
                if (c == '\\' && i + 1 < v.length())
                {
                    tmp.put(c).put(v.byteAt(i + 1));
                    i++;
                }
                else
                {
                    Json.escape(v.subSequence(i, i + 1), tmp, true);
                }
            }
        }
        else
        {
            jsonField(v, tmp);
        }
        copyBack(tmp);
    }

    private void jsonField(final ByteView v, final ByteSink tmp)
    {
        if (v.length() == 0 && onEmpty == EMPTY_SKIP)
        {
            return;
        }
        Json.quote(null == outName ? name : outName, tmp);
        tmp.put(':');
        if (v.length() == 0 && onEmpty == EMPTY_NULL)
        {
            tmp.putLatin1("null");
            return;
        }
        if (dataType == TYPE_NUMBER || (dataType == TYPE_AUTO && isDigits(v)))
        {
            tmp.put(v);
            if (v.length() == 0)
            {
                tmp.put('0');
            }
        }
        else if (dataType == TYPE_BOOL)
        {
            tmp.putLatin1(v.length() == 1 && v.byteAt(0) == '0' ? "false" : "true");
        }
        else
        {
            tmp.put('"');
            Json.escape(v, tmp, true);
            tmp.put('"');
        }
    }

    /** Whether rsyslog's datatype="auto" writes the value unquoted: digits only (no sign), not empty. */
    private static boolean isDigits(final ByteView v)
    {
        if (v.length() == 0)
        {
            return false;
        }
        for (int i = 0; i < v.length(); i++)
        {
            final int c = v.byteAt(i);
            if (c < '0' || c > '9')
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Renders as a jsonf list item, honouring {@code onEmpty}.
     *
     * @param ctx context.
     * @param out destination.
     */
    public void renderJsonField(final RenderContext ctx, final ByteSink out)
    {
        value(ctx);
        work.clear();
        work.put(view);
        final int savedFormat = format;
        format = FORMAT_NONE;
        transform();
        format = savedFormat;
        if (work.length() == 0 && onEmpty != EMPTY_KEEP)
        {
            if (onEmpty == EMPTY_NULL)
            {
                Json.quote(null == outName ? name : outName, out);
                out.put(':').putLatin1("null");
            }
            return;
        }
        if (format == FORMAT_JSONF)
        {
            final ByteSink tmp = new ByteSink(work.length() * 2 + 16);
            jsonField(new ByteView().wrap(work.array(), 0, work.length()), tmp);
            out.put(tmp.array(), 0, tmp.length());
        }
        else
        {
            formatOutput();
            out.put(work.array(), 0, work.length());
        }
    }
}

package dev.hostplane.syslog.internal.template;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.hostplane.syslog.internal.message.PropertyId;
import dev.hostplane.syslog.internal.message.SyslogTime;
import dev.hostplane.syslog.internal.message.VarPath;

/**
 * Parses template strings ({@code "%TIMESTAMP% %HOSTNAME% %msg:F,58:2%\n"}) and property-replacer
 * specs into template items. Errors are {@link IllegalArgumentException}s with a message saying
 * what was expected; the config loader adds file:line:column.
 */
public final class TemplateParser
{
    private TemplateParser()
    {
    }

    /**
     * Parses a template string.
     *
     * @param text           the string (after the config lexer's unescaping for RainerScript).
     * @param handleEscapes  interpret backslash escapes (legacy {@code $template}).
     * @return items: {@code byte[]} constants and {@link PropertySpec}s.
     */
    public static List<Object> parse(final String text, final boolean handleEscapes)
    {
        final List<Object> items = new ArrayList<>();
        final StringBuilder constant = new StringBuilder();
        int i = 0;
        while (i < text.length())
        {
            final char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && (handleEscapes || text.charAt(i + 1) == '%'))
            {
                final char n = text.charAt(i + 1);
                i += 2;
                switch (n)
                {
                    case 'n':
                        constant.append('\n');
                        break;
                    case 'r':
                        constant.append('\r');
                        break;
                    default:
                        constant.append(n);
                        break;
                }
                continue;
            }
            if (c == '%')
            {
                final int close = findClose(text, i + 1);
                if (close < 0)
                {
                    throw new IllegalArgumentException("unterminated property: expected closing '%' for '" +
                        text.substring(i) + "'");
                }
                if (constant.length() > 0)
                {
                    items.add(constant.toString().getBytes(StandardCharsets.ISO_8859_1));
                    constant.setLength(0);
                }
                items.add(parseSpec(text.substring(i + 1, close)));
                i = close + 1;
                continue;
            }
            constant.append(c);
            i++;
        }
        if (constant.length() > 0)
        {
            items.add(constant.toString().getBytes(StandardCharsets.ISO_8859_1));
        }
        return items;
    }

    private static int findClose(final String text, final int from)
    {
        final int endRegex = text.indexOf("--end", from);
        final int pct = text.indexOf('%', from);
        if (endRegex >= 0 && pct > endRegex - 0 && text.substring(from, Math.max(from, endRegex)).contains(":R"))
        {
            return text.indexOf('%', endRegex);
        }
        if (endRegex >= 0 && pct >= 0 && pct < endRegex && text.substring(from, pct).contains(":R"))
        {
            return text.indexOf('%', endRegex);
        }
        return pct;
    }

    /**
     * Parses {@code name:from:to:options}.
     *
     * @param spec spec text between the percent signs.
     * @return the property spec.
     */
    public static PropertySpec parseSpec(final String spec)
    {
        final int colon = spec.indexOf(':');
        final String name = colon < 0 ? spec : spec.substring(0, colon);
        final PropertySpec p = property(name);
        if (colon < 0)
        {
            return p;
        }
        final String rest = spec.substring(colon + 1);
        final int c2 = rest.indexOf(':');
        if (c2 < 0)
        {
            throw new IllegalArgumentException("property '" + name + "': expected ':' after from-position in '" +
                spec + "'");
        }
        final String from = rest.substring(0, c2);
        String afterFrom = rest.substring(c2 + 1);
        final String to;
        if (from.startsWith("R"))
        {
            final int end = afterFrom.indexOf("--end");
            if (end < 0)
            {
                throw new IllegalArgumentException("property '" + name + "': regex must end with '--end' in '" +
                    spec + "'");
            }
            to = afterFrom.substring(0, end);
            afterFrom = afterFrom.substring(end + 5);
            if (afterFrom.startsWith(":"))
            {
                afterFrom = afterFrom.substring(1);
            }
            regex(p, from, to);
        }
        else
        {
            final int c3 = afterFrom.indexOf(':');
            to = c3 < 0 ? afterFrom : afterFrom.substring(0, c3);
            afterFrom = c3 < 0 ? "" : afterFrom.substring(c3 + 1);
            positions(p, name, from, to);
        }
        options(p, afterFrom);
        return p;
    }

    /**
     * A bare property reference.
     *
     * @param name property name.
     * @return spec.
     */
    public static PropertySpec property(final String name)
    {
        final PropertySpec p = new PropertySpec();
        p.name = name;
        p.id = PropertyId.byName(name);
        if (p.id < 0)
        {
            throw new IllegalArgumentException("unknown property '" + name + "'");
        }
        if (PropertyId.VARIABLE == p.id)
        {
            p.variable = VarPath.parse(name);
            if (null == p.variable)
            {
                throw new IllegalArgumentException("invalid variable name '" + name + "'");
            }
            p.name = p.variable.leafName();
        }
        return p;
    }

    private static void positions(final PropertySpec p, final String name, final String from, final String to)
    {
        if (from.startsWith("F"))
        {
            if (from.length() > 1)
            {
                if (from.charAt(1) != ',')
                {
                    throw new IllegalArgumentException("property '" + name + "': expected 'F,<delimiter>' got '" +
                        from + "'");
                }
                final String d = from.substring(2);
                if (d.startsWith("\\"))
                {
                    p.fieldDelimiter = d.length() > 1 && d.charAt(1) == 't' ? 9 : d.charAt(1);
                }
                else
                {
                    p.fieldDelimiter = parseNumber(d, name);
                }
            }
            String fieldNr = to;
            if (fieldNr.endsWith("*"))
            {
                fieldNr = fieldNr.substring(0, fieldNr.length() - 1);
            }
            p.fieldNumber = parseNumber(fieldNr, name);
            return;
        }
        if (!from.isEmpty())
        {
            p.fromPos = parseNumber(from, name);
        }
        if (!to.isEmpty())
        {
            p.toPos = "$".equals(to) ? 0 : parseNumber(to, name);
            if ("$".equals(to))
            {
                p.toPos = 0;
            }
        }
        if (p.fromPos > 0 && p.toPos == 0 && !to.isEmpty() && !"$".equals(to))
        {
            p.toPos = 0;
        }
    }

    private static int parseNumber(final String s, final String name)
    {
        try
        {
            return Integer.parseInt(s.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("property '" + name + "': expected a number, got '" + s + "'", ex);
        }
    }

    private static void regex(final PropertySpec p, final String from, final String expression)
    {
        final String[] parts = from.split(",", -1);
        boolean extended = false;
        if (parts.length > 1)
        {
            extended = "ERE".equalsIgnoreCase(parts[1]);
        }
        if (parts.length > 2 && !parts[2].isEmpty())
        {
            p.regexSubmatch = parseNumber(parts[2], p.name);
        }
        if (parts.length > 3)
        {
            p.regexNoMatch = noMatch(parts[3]);
        }
        if (parts.length > 4 && !parts[4].isEmpty())
        {
            p.regexMatchNumber = parseNumber(parts[4], p.name);
        }
        p.regex = RegexTranslator.compile(expression, extended, false);
    }

    /**
     * Decodes a regex no-match mode name.
     *
     * @param mode DFLT, BLANK, ZERO or FIELD.
     * @return mode constant.
     */
    public static int noMatch(final String mode)
    {
        switch (mode.toUpperCase(Locale.ROOT))
        {
            case "BLANK":
                return PropertySpec.NOMATCH_BLANK;
            case "ZERO":
                return PropertySpec.NOMATCH_ZERO;
            case "FIELD":
                return PropertySpec.NOMATCH_FIELD;
            default:
                return PropertySpec.NOMATCH_DFLT;
        }
    }

    /**
     * Applies a comma-separated option list.
     *
     * @param p       spec.
     * @param options option list.
     */
    public static void options(final PropertySpec p, final String options)
    {
        if (options.isEmpty())
        {
            return;
        }
        for (final String raw : options.split(","))
        {
            final String o = raw.trim().toLowerCase(Locale.ROOT);
            switch (o)
            {
                case "":
                    break;
                case "lowercase":
                    p.caseConversion = PropertySpec.CASE_LOWER;
                    break;
                case "uppercase":
                    p.caseConversion = PropertySpec.CASE_UPPER;
                    break;
                case "escape-cc":
                    p.controlCharacters = PropertySpec.CC_ESCAPE;
                    break;
                case "drop-cc":
                    p.controlCharacters = PropertySpec.CC_DROP;
                    break;
                case "space-cc":
                    p.controlCharacters = PropertySpec.CC_SPACE;
                    break;
                case "drop-last-lf":
                    p.dropLastLf = true;
                    break;
                case "sp-if-no-1st-sp":
                    p.spIfNo1stSp = true;
                    break;
                case "secpath-drop":
                    p.securePath = 1;
                    break;
                case "secpath-replace":
                    p.securePath = 2;
                    break;
                case "pos-end-relative":
                    p.posEndRelative = true;
                    break;
                case "csv":
                    p.format = PropertySpec.FORMAT_CSV;
                    break;
                case "json":
                    p.format = PropertySpec.FORMAT_JSON;
                    break;
                case "jsonf":
                    p.format = PropertySpec.FORMAT_JSONF;
                    break;
                case "jsonr":
                    p.format = PropertySpec.FORMAT_JSONR;
                    break;
                case "jsonfr":
                    p.format = PropertySpec.FORMAT_JSONF;
                    break;
                case "compressspace":
                    p.compressSpace = true;
                    break;
                case "fixed-width":
                    p.fixedWidthOption = true;
                    break;
                case "date-utc":
                    p.dateUtc = true;
                    break;
                case "mandatory-field":
                    break;
                default:
                    if (o.startsWith("date-"))
                    {
                        p.dateFormat = dateFormat(o.substring(5));
                    }
                    else if (o.startsWith("jsonf:"))
                    {
                        p.format = PropertySpec.FORMAT_JSONF;
                        p.outName = raw.trim().substring(6);
                    }
                    else
                    {
                        throw new IllegalArgumentException("unknown property option '" + raw.trim() + "'");
                    }
                    break;
            }
        }
    }

    /**
     * Decodes a date format name (without {@code date-}).
     *
     * @param name e.g. {@code rfc3339}.
     * @return the format.
     */
    public static SyslogTime.DateFormat dateFormat(final String name)
    {
        switch (name.toLowerCase(Locale.ROOT))
        {
            case "mysql":
                return SyslogTime.DateFormat.MYSQL;
            case "rfc3164":
                return SyslogTime.DateFormat.RFC3164;
            case "rfc3164-buggyday":
                return SyslogTime.DateFormat.RFC3164_BUGGYDAY;
            case "rfc3339":
                return SyslogTime.DateFormat.RFC3339;
            case "pgsql":
                return SyslogTime.DateFormat.PGSQL;
            case "subseconds":
                return SyslogTime.DateFormat.SUBSECONDS;
            case "unixtimestamp":
                return SyslogTime.DateFormat.UNIXTIMESTAMP;
            case "year":
                return SyslogTime.DateFormat.YEAR;
            case "month":
                return SyslogTime.DateFormat.MONTH;
            case "day":
                return SyslogTime.DateFormat.DAY;
            case "hour":
                return SyslogTime.DateFormat.HOUR;
            case "minute":
                return SyslogTime.DateFormat.MINUTE;
            case "second":
                return SyslogTime.DateFormat.SECOND;
            case "tzoffshour":
                return SyslogTime.DateFormat.TZOFFSHOUR;
            case "tzoffsmin":
                return SyslogTime.DateFormat.TZOFFSMIN;
            case "tzoffsdirection":
                return SyslogTime.DateFormat.TZOFFSDIRECTION;
            case "ordinal":
                return SyslogTime.DateFormat.ORDINAL;
            case "week":
                return SyslogTime.DateFormat.WEEK;
            case "iso-week":
                return SyslogTime.DateFormat.ISO_WEEK;
            case "iso-week-year":
                return SyslogTime.DateFormat.ISO_WEEK_YEAR;
            case "wday":
                return SyslogTime.DateFormat.WDAY;
            case "wdayname":
                return SyslogTime.DateFormat.WDAYNAME;
            default:
                throw new IllegalArgumentException("unknown date format 'date-" + name + "'");
        }
    }
}

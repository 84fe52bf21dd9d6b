package dev.hostplane.syslog.internal.script;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import dev.hostplane.syslog.internal.message.ByteSink;
import dev.hostplane.syslog.internal.message.Json;
import dev.hostplane.syslog.internal.message.VarPath;
import dev.hostplane.syslog.internal.template.RegexTranslator;
import dev.hostplane.syslog.internal.template.RenderContext;
import dev.hostplane.syslog.internal.template.Template;

/**
 * A call of one of RainerScript's built-in functions.
 */
public final class FunctionCall implements Expr
{
    private static final String[] NAMES = {
        "strlen", "tolower", "cstr", "cnum", "getenv", "re_match", "re_extract", "field", "prifilt",
        "exists", "substring", "replace", "ltrim", "rtrim", "ipv42num", "num2ipv4", "parse_json", "format_time",
        "random", "exec_template", "script_error", "int2hex", "is_time", "previous_action_suspended", "lookup", "get_property", "parse_time"
    };

    private final String name;
    private final List<Expr> args;
    private final Pattern regex;
    private final Template template;
    private final long[] priMask;
    private final Map<String, Object> table;

    /**
     * Creates a call, checking the function and argument count.
     *
     * @param name      function name.
     * @param args      arguments.
     * @param templates template lookup for exec_template.
     * @param priFilter compiles a PRI selector for prifilt.
     * @param lookups   lookup tables by name.
     * @throws IllegalArgumentException when the function or arity is wrong.
     */
    public FunctionCall(final String name, final List<Expr> args, final Function<String, Template> templates,
        final Function<String, long[]> priFilter, final Function<String, Map<String, Object>> lookups)
    {
        this.name = name.toLowerCase(Locale.ROOT);
        this.args = args;
        if (!java.util.Arrays.asList(NAMES).contains(this.name))
        {
            throw new IllegalArgumentException("unknown function '" + name + "'");
        }
        final int min;
        final int max;
        switch (this.name)
        {
            case "random":
            case "strlen":
            case "tolower":
            case "cstr":
            case "cnum":
            case "getenv":
            case "prifilt":
            case "exists":
            case "ltrim":
            case "rtrim":
            case "ipv42num":
            case "num2ipv4":
            case "exec_template":
            case "is_time":
            case "int2hex":
            case "parse_time":
                min = 1;
                max = this.name.equals("is_time") ? 2 : 1;
                break;
            case "re_match":
            case "lookup":
            case "parse_json":
            case "format_time":
            case "get_property":
                min = 2;
                max = 2;
                break;
            case "field":
            case "substring":
            case "replace":
                min = 3;
                max = 3;
                break;
            case "re_extract":
                min = 5;
                max = 5;
                break;
            default:
                min = 0;
                max = 0;
                break;
        }
        if (args.size() < min || args.size() > max)
        {
            throw new IllegalArgumentException("function '" + name + "' takes " + (min == max ? "" + min :
                min + ".." + max) + " arguments, got " + args.size());
        }
        if (("re_match".equals(this.name) || "re_extract".equals(this.name)) &&
            args.get(1) instanceof Exprs.Literal)
        {
            regex = RegexTranslator.compile(Values.str(((Exprs.Literal)args.get(1)).value), true, false);
        }
        else
        {
            regex = null;
        }
        if ("exec_template".equals(this.name))
        {
            template = templates.apply(Values.str(((Exprs.Literal)literal(args.get(0))).value));
            if (null == template)
            {
                throw new IllegalArgumentException("exec_template: unknown template '" +
                    ((Exprs.Literal)args.get(0)).value + "'");
            }
        }
        else
        {
            template = null;
        }
        if ("prifilt".equals(this.name))
        {
            priMask = priFilter.apply(Values.str(((Exprs.Literal)literal(args.get(0))).value));
        }
        else
        {
            priMask = null;
        }
        if ("lookup".equals(this.name))
        {
            final String tableName = Values.str(((Exprs.Literal)literal(args.get(0))).value);
            table = lookups.apply(tableName);
            if (null == table)
            {
                throw new IllegalArgumentException("lookup: unknown lookup table '" + tableName +
                    "': declare it with lookup_table(name=... file=...)");
            }
        }
        else
        {
            table = null;
        }
        if ("exists".equals(this.name) && !(args.get(0) instanceof Exprs.Variable))
        {
            throw new IllegalArgumentException("exists() needs a variable like $!name");
        }
    }

    private static Expr literal(final Expr e)
    {
        if (!(e instanceof Exprs.Literal))
        {
            throw new IllegalArgumentException("expected a constant string argument");
        }
        return e;
    }

    private Pattern pattern(final RenderContext ctx)
    {
        return null != regex ? regex : RegexTranslator.compile(Values.str(args.get(1).eval(ctx)), true, false);
    }

    /**
     * Whether the call can return a non-string JSON value (rsyslog types it as JSON, not as a
     * number, in comparisons).
     *
     * @return true for {@code get_property()}.
     */
    boolean returnsJson()
    {
        return "get_property".equals(name);
    }

    @Override
    public Object eval(final RenderContext ctx)
    {
        switch (name)
        {
            case "strlen":
                return (long)Values.str(arg(ctx, 0)).length();
            case "tolower":
                return Values.asciiLower(Values.str(arg(ctx, 0)));
            case "cstr":
                return Values.str(arg(ctx, 0));
            case "cnum":
                // A string constant is read as a config number (hex, octal), anything else at run time.
                if (args.get(0) instanceof Exprs.Literal && ((Exprs.Literal)args.get(0)).value instanceof String)
                {
                    return Values.constantNum((String)((Exprs.Literal)args.get(0)).value);
                }
                return Values.num(arg(ctx, 0));
            case "getenv":
            {
                final String v = System.getenv(Values.str(arg(ctx, 0)));
                return null == v ? "" : v;
            }
            case "re_match":
                return pattern(ctx).matcher(Values.str(arg(ctx, 0))).find() ? 1L : 0L;
            case "re_extract":
                return reExtract(ctx);
            case "field":
                return field(ctx);
            case "prifilt":
            {
                final int idx = ctx.message.facility() * 8 + ctx.message.severity();
                return (priMask[idx >> 6] & (1L << (idx & 63))) != 0 ? 1L : 0L;
            }
            case "exists":
                return null != ((Exprs.Variable)args.get(0)).path.get(ctx.message, ctx.globals) ? 1L : 0L;
            case "substring":
            {
                final String s = Values.str(arg(ctx, 0));
                final long start = Values.num(arg(ctx, 1));
                final long len = Values.num(arg(ctx, 2));
                if (start < 0 || start >= s.length() || len <= 0)
                {
                    return "";
                }
                return s.substring((int)start, (int)Math.min(s.length(), start + len));
            }
            case "replace":
            {
                final String s = Values.str(arg(ctx, 0));
                return s.replace(Values.str(arg(ctx, 1)), Values.str(arg(ctx, 2)));
            }
            case "ltrim":
                return ltrim(Values.str(arg(ctx, 0)));
            case "rtrim":
                return rtrim(Values.str(arg(ctx, 0)));
            case "ipv42num":
                return ipv42num(Values.str(arg(ctx, 0)));
            case "num2ipv4":
            {
                final long n = Values.num(arg(ctx, 0));
                if (n < 0 || n > 0xFFFFFFFFL)
                {
                    return "-1";
                }
                return ((n >> 24) & 255) + "." + ((n >> 16) & 255) + "." + ((n >> 8) & 255) + "." + (n & 255);
            }
            case "script_error":
                return ctx.scriptError ? 1L : 0L;
            case "parse_json":
            {
                final Object parsed = Json.parse(Values.str(arg(ctx, 0)), 0);
                ctx.scriptError = null == parsed;
                if (null == parsed)
                {
                    return 1L;
                }
                final String container = Values.str(arg(ctx, 1));
                final VarPath path = VarPath.parse(container);
                if (null != path)
                {
                    path.set(ctx.message, ctx.globals, parsed);
                }
                return 0L;
            }
            case "format_time":
            {
                final Object t = arg(ctx, 0);
                if (!(t instanceof Long) && !Values.isNumber(Values.str(t)))
                {
                    return Values.str(t);
                }
                return formatTime(Values.num(t), Values.str(arg(ctx, 1)));
            }
            case "random":
            {
                final long max = Values.num(arg(ctx, 0));
                return max <= 0 ? 0L : ThreadLocalRandom.current().nextLong(max);
            }
            case "exec_template":
            {
                final ByteSink sink = new ByteSink();
                template.render(ctx, sink);
                return sink.toString();
            }
            case "lookup":
                return lookup(Values.str(arg(ctx, 1)));
            case "get_property":
            {
                final Object container = arg(ctx, 0);
                final Object key = arg(ctx, 1);
                Object v = null;
                if (container instanceof Map)
                {
                    v = ((Map<?, ?>)container).get(Values.str(key));
                }
                else if (container instanceof List)
                {
                    final long i = Values.num(key);
                    final List<?> list = (List<?>)container;
                    v = i >= 0 && i < list.size() ? list.get((int)i) : null;
                }
                return null == v || v == Json.NULL ? "" : v;
            }
            case "parse_time":
            {
                final byte[] b = Values.str(arg(ctx, 0)).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                final dev.hostplane.syslog.internal.message.SyslogTime t =
                    new dev.hostplane.syslog.internal.message.SyslogTime();
                int end = dev.hostplane.syslog.internal.message.MessageParser.parse3339(b, 0, b.length, t);
                if (end == b.length)
                {
                    return t.toEpochSeconds();
                }
                t.copyFrom(ctx.clock.now());
                end = dev.hostplane.syslog.internal.message.MessageParser.parse3164Stamp(b, 0, b.length, t);
                return end == b.length ? t.toEpochSeconds() : 0L;
            }
            case "int2hex":
                return Long.toHexString(Values.num(arg(ctx, 0)));
            default:
                return 0L;
        }
    }

    private Object lookup(final String key)
    {
        final Object nomatch = table.get("nomatch");
        final String dflt = null == nomatch ? "" : Values.str(nomatch);
        final Object entries = table.get("table");
        if (!(entries instanceof List))
        {
            return dflt;
        }
        final String type = Values.str(table.get("type"));
        Object best = null;
        long bestIndex = Long.MIN_VALUE;
        final long numericKey = Values.num(key);
        for (final Object e : (List<?>)entries)
        {
            if (!(e instanceof Map))
            {
                continue;
            }
            final Map<?, ?> entry = (Map<?, ?>)e;
            final Object index = entry.get("index");
            if ("sparseArray".equals(type))
            {
                final long i = Values.num(index);
                if (Values.isNumber(key) && i <= numericKey && i >= bestIndex)
                {
                    bestIndex = i;
                    best = entry.get("value");
                }
            }
            else if ("array".equals(type))
            {
                if (Values.isNumber(key) && Values.num(index) == numericKey)
                {
                    return Values.str(entry.get("value"));
                }
            }
            else if (Values.str(index).equals(key))
            {
                return Values.str(entry.get("value"));
            }
        }
        return null == best ? dflt : Values.str(best);
    }

    /** Leading spaces off (a scan, not a regex: no backtracking on long runs of spaces). */
    private static String ltrim(final String s)
    {
        int i = 0;
        while (i < s.length() && s.charAt(i) == ' ')
        {
            i++;
        }
        return s.substring(i);
    }

    /** Trailing spaces off. */
    private static String rtrim(final String s)
    {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ')
        {
            end--;
        }
        return s.substring(0, end);
    }

    private Object arg(final RenderContext ctx, final int i)
    {
        return args.get(i).eval(ctx);
    }

    private Object reExtract(final RenderContext ctx)
    {
        final String s = Values.str(arg(ctx, 0));
        final Matcher m = pattern(ctx).matcher(s);
        final long matchNr = Values.num(arg(ctx, 2));
        final long sub = Values.num(arg(ctx, 3));
        boolean found = false;
        for (long i = 0; i <= matchNr; i++)
        {
            found = m.find();
            if (!found)
            {
                break;
            }
        }
        if (found && sub <= m.groupCount() && null != m.group((int)sub))
        {
            return m.group((int)sub);
        }
        return Values.str(arg(ctx, 4));
    }

    private Object field(final RenderContext ctx)
    {
        final String s = Values.str(arg(ctx, 0));
        final Object d = arg(ctx, 1);
        final String delim = d instanceof Long ? String.valueOf((char)(long)(Long)d) : Values.str(d);
        final long nr = Values.num(arg(ctx, 2));
        if (delim.isEmpty() || nr < 1)
        {
            return "***FIELD NOT FOUND***";
        }
        int pos = 0;
        for (long i = 1; i < nr; i++)
        {
            final int next = s.indexOf(delim, pos);
            if (next < 0)
            {
                return "***FIELD NOT FOUND***";
            }
            pos = next + delim.length();
        }
        final int end = s.indexOf(delim, pos);
        return end < 0 ? s.substring(pos) : s.substring(pos, end);
    }

    private static Object ipv42num(final String s)
    {
        final String t = s.trim();
        final String[] parts = t.split("\\.", -1);
        if (parts.length != 4)
        {
            return -1L;
        }
        long r = 0;
        for (final String p : parts)
        {
            if (!Values.isNumber(p) || p.startsWith("-") || p.startsWith("+"))
            {
                return -1L;
            }
            final long v = Long.parseLong(p);
            r = (r * 256 + v) & 0xFFFFFFFFL;
        }
        return r;
    }

    private static Object formatTime(final long epoch, final String format)
    {
        final java.time.ZonedDateTime t = java.time.Instant.ofEpochSecond(epoch).atZone(java.time.ZoneOffset.UTC);
        if ("date-rfc3339".equalsIgnoreCase(format))
        {
            return String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02dZ", t.getYear(), t.getMonthValue(),
                t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond());
        }
        if ("date-rfc3164".equalsIgnoreCase(format))
        {
            final String[] months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
            return String.format(Locale.ROOT, "%s %2d %02d:%02d:%02d", months[t.getMonthValue() - 1],
                t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond());
        }
        return String.valueOf(epoch);
    }

    @Override
    public String toString()
    {
        return name + args;
    }

    /**
     * Arguments (for the optimizer).
     *
     * @return args.
     */
    public List<Expr> args()
    {
        return args;
    }

    /**
     * Function name.
     *
     * @return lower-case name.
     */
    public String name()
    {
        return name;
    }
}

package dev.hostplane.syslog.internal.output;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.hostplane.syslog.SyslogException;
import dev.hostplane.syslog.internal.engine.Action;
import dev.hostplane.syslog.internal.message.ByteSink;
import dev.hostplane.syslog.internal.message.ByteView;
import dev.hostplane.syslog.internal.message.PropertyId;
import dev.hostplane.syslog.internal.message.VarPath;
import dev.hostplane.syslog.internal.template.RenderContext;

/**
 * mmnormalize with a liblognorm v1 rulebase subset: field types word, number, ipv4, char-to,
 * rest and quoted-string. Matched fields go to {@code $!}; tags to {@code $!event.tags}; a message
 * no rule matches gets {@code $!originalmsg} and {@code $!unparsed-data}.
 */
public final class MmNormalize implements Action
{
    private final List<Rule> rules = new ArrayList<>();
    private final boolean useRawMsg;
    private final String source;
    private final VarPath path;
    private final ByteView view = new ByteView();
    private final ByteSink scratch = new ByteSink(64);

    /**
     * Loads a rulebase.
     *
     * @param rulebase  file.
     * @param useRawMsg normalize rawmsg instead of msg.
     * @param path      where results go ({@code $!} by default).
     * @throws SyslogException when the rulebase cannot be read or has a syntax error.
     */
    public MmNormalize(final Path rulebase, final boolean useRawMsg, final String path)
    {
        this.useRawMsg = useRawMsg;
        this.path = VarPath.parse(path);
        if (null == this.path)
        {
            throw new SyslogException("mmnormalize: invalid path=" + path + ": expected $!name");
        }
        this.source = rulebase.toString();
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(rulebase, StandardCharsets.ISO_8859_1);
        }
        catch (final IOException ex)
        {
            throw new SyslogException("mmnormalize: cannot read rulebase=" + rulebase + ": " + ex.getMessage(), ex);
        }
        String prefix = "";
        int lineNo = 0;
        for (final String line : lines)
        {
            lineNo++;
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("version="))
            {
                continue;
            }
            if (line.startsWith("prefix="))
            {
                prefix = line.substring(7);
                continue;
            }
            if (!line.startsWith("rule="))
            {
                throw new SyslogException(rulebase + ":" + lineNo + ":1: expected rule=, prefix= or a comment");
            }
            final String body = line.substring(5);
            final int colon = body.indexOf(':');
            if (colon < 0)
            {
                throw new SyslogException(rulebase + ":" + lineNo + ":6: expected 'tags:pattern' after rule=");
            }
            final List<String> tags = new ArrayList<>();
            for (final String t : body.substring(0, colon).split(","))
            {
                if (!t.trim().isEmpty())
                {
                    tags.add(t.trim());
                }
            }
            rules.add(new Rule(tags, parsePattern(prefix + body.substring(colon + 1), rulebase + ":" + lineNo)));
        }
    }

    private static List<Object> parsePattern(final String pattern, final String where)
    {
        final List<Object> parts = new ArrayList<>();
        final StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < pattern.length())
        {
            final char c = pattern.charAt(i);
            if (c == '%')
            {
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '%')
                {
                    literal.append('%');
                    i += 2;
                    continue;
                }
                final int close = pattern.indexOf('%', i + 1);
                if (close < 0)
                {
                    throw new SyslogException(where + ": unterminated field, expected '%'");
                }
                if (literal.length() > 0)
                {
                    parts.add(literal.toString());
                    literal.setLength(0);
                }
                final String[] f = pattern.substring(i + 1, close).split(":", 3);
                if (f.length < 2)
                {
                    throw new SyslogException(where + ": field needs name:type, got '" +
                        pattern.substring(i + 1, close) + "'");
                }
                final Field field = new Field(f[0], f[1], f.length > 2 ? f[2] : "");
                switch (field.type)
                {
                    case "word":
                    case "number":
                    case "ipv4":
                    case "rest":
                    case "quoted-string":
                    case "date-rfc3164":
                    case "kernel-timestamp":
                    case "json":
                        break;
                    case "char-to":
                        if (field.extra.isEmpty())
                        {
                            throw new SyslogException(where + ": char-to needs a terminator character");
                        }
                        break;
                    default:
                        throw new SyslogException(where + ": unsupported field type '" + field.type + "'");
                }
                parts.add(field);
                i = close + 1;
                continue;
            }
            literal.append(c);
            i++;
        }
        if (literal.length() > 0)
        {
            parts.add(literal.toString());
        }
        return parts;
    }

    @Override
    public void execute(final RenderContext ctx)
    {
        ctx.message.property(useRawMsg ? PropertyId.RAWMSG : PropertyId.MSG, view, scratch, ctx.clock);
        final String text = view.toString();
        final int[] farthest = new int[1];
        for (final Rule rule : rules)
        {
            final Map<String, Object> fields = new LinkedHashMap<>();
            if (match(rule.parts, 0, text, 0, fields, farthest))
            {
                final Map<String, Object> vars = new LinkedHashMap<>(fields);
                if (!rule.tags.isEmpty())
                {
                    vars.put("event.tags", new ArrayList<Object>(rule.tags));
                }
                store(ctx, vars);
                ctx.message.parseSuccess(true);
                return;
            }
        }
        final Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("originalmsg", text);
        vars.put("unparsed-data", text.substring(farthest[0]));
        store(ctx, vars);
        // rsyslog 8.2302's mmnormalize reports OK even when no rule matched (measured).
        ctx.message.parseSuccess(true);
    }

    private void store(final RenderContext ctx, final Map<String, Object> vars)
    {
        if (path.isRoot())
        {
            ctx.message.messageVars().putAll(vars);
        }
        else
        {
            final Object existing = path.get(ctx.message, ctx.globals);
            if (existing instanceof Map)
            {
                @SuppressWarnings("unchecked")
                final Map<String, Object> target = (Map<String, Object>)existing;
                target.putAll(vars);
            }
            else
            {
                path.set(ctx.message, ctx.globals, vars);
            }
        }
    }

    private static boolean match(final List<Object> parts, final int index, final String text, final int pos,
        final Map<String, Object> fields, final int[] farthest)
    {
        if (pos > farthest[0])
        {
            farthest[0] = pos;
        }
        if (index == parts.size())
        {
            return pos == text.length();
        }
        final Object part = parts.get(index);
        if (part instanceof String)
        {
            final String lit = (String)part;
            int common = 0;
            while (common < lit.length() && pos + common < text.length() && lit.charAt(common) == text.charAt(pos + common))
            {
                common++;
            }
            if (pos + common > farthest[0])
            {
                farthest[0] = pos + common;
            }
            return common == lit.length() && match(parts, index + 1, text, pos + lit.length(), fields, farthest);
        }
        final Field f = (Field)part;
        final int end = f.end(text, pos);
        if (end < 0)
        {
            return false;
        }
        if (!match(parts, index + 1, text, end, fields, farthest))
        {
            return false;
        }
        if (!"-".equals(f.name))
        {
            Object value = text.substring(pos, end);
            if ("quoted-string".equals(f.type))
            {
                value = ((String)value).substring(1, ((String)value).length() - 1);
            }
            else if ("json".equals(f.type))
            {
                value = dev.hostplane.syslog.internal.message.Json.parse(text.substring(pos, end), 0);
            }
            fields.put(f.name, value);
        }
        return true;
    }

    @Override
    public String toString()
    {
        return "mmnormalize(rulebase=" + source + ", rules=" + rules.size() + ")";
    }

    private static final class Rule
    {
        final List<String> tags;
        final List<Object> parts;

        Rule(final List<String> tags, final List<Object> parts)
        {
            this.tags = Collections.unmodifiableList(tags);
            this.parts = parts;
        }
    }

    private static final class Field
    {
        final String name;
        final String type;
        final String extra;

        Field(final String name, final String type, final String extra)
        {
            this.name = name;
            this.type = type;
            this.extra = extra;
        }

        int end(final String s, final int pos)
        {
            int p = pos;
            switch (type)
            {
                case "word":
                    while (p < s.length() && s.charAt(p) != ' ')
                    {
                        p++;
                    }
                    return p > pos ? p : -1;
                case "number":
                    while (p < s.length() && s.charAt(p) >= '0' && s.charAt(p) <= '9')
                    {
                        p++;
                    }
                    return p > pos ? p : -1;
                case "char-to":
                    while (p < s.length() && s.charAt(p) != extra.charAt(0))
                    {
                        p++;
                    }
                    return p > pos && p < s.length() ? p : -1;
                case "rest":
                    return s.length();
                case "date-rfc3164":
                {
                    final byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
                    final int e = dev.hostplane.syslog.internal.message.MessageParser.parse3164Stamp(b, pos, b.length,
                        new dev.hostplane.syslog.internal.message.SyslogTime());
                    if (e < 0)
                    {
                        return -1;
                    }
                    return e > pos && e <= b.length && b[e - 1] == ' ' ? e - 1 : e;
                }
                case "kernel-timestamp":
                {
                    if (p >= s.length() || s.charAt(p) != '[')
                    {
                        return -1;
                    }
                    p++;
                    while (p < s.length() && s.charAt(p) == ' ')
                    {
                        p++;
                    }
                    final int ds = p;
                    while (p < s.length() && Character.isDigit(s.charAt(p)))
                    {
                        p++;
                    }
                    if (p == ds || p >= s.length() || s.charAt(p) != '.')
                    {
                        return -1;
                    }
                    p++;
                    final int fs = p;
                    while (p < s.length() && Character.isDigit(s.charAt(p)))
                    {
                        p++;
                    }
                    if (p - fs != 6 || p >= s.length() || s.charAt(p) != ']')
                    {
                        return -1;
                    }
                    return p + 1;
                }
                case "json":
                {
                    for (int e = s.length(); e > pos; e--)
                    {
                        if (null != dev.hostplane.syslog.internal.message.Json.parse(s.substring(pos, e), 0))
                        {
                            return e;
                        }
                    }
                    return -1;
                }
                case "quoted-string":
                    if (p >= s.length() || s.charAt(p) != '"')
                    {
                        return -1;
                    }
                    final int close = s.indexOf('"', p + 1);
                    return close < 0 ? -1 : close + 1;
                default:
                    return ipv4(s, pos);
            }
        }

        private static int ipv4(final String s, final int pos)
        {
            int p = pos;
            for (int octet = 0; octet < 4; octet++)
            {
                final int start = p;
                int v = 0;
                while (p < s.length() && s.charAt(p) >= '0' && s.charAt(p) <= '9' && p - start < 3)
                {
                    v = v * 10 + s.charAt(p) - '0';
                    p++;
                }
                if (p == start || v > 255)
                {
                    return -1;
                }
                if (octet < 3)
                {
                    if (p >= s.length() || s.charAt(p) != '.')
                    {
                        return -1;
                    }
                    p++;
                }
            }
            return p;
        }
    }
}

package dev.hostplane.syslog.internal.message;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON model for the {@code $!}, {@code $.} and {@code $/} trees: objects are
 * {@link LinkedHashMap} (insertion order, as json-c keeps it), arrays {@link List}, numbers
 * {@link Long} or {@link Double}, plus {@link String}, {@link Boolean} and {@link #NULL}. Renders
 * the way json-c's default (spaced) format does, which is what rsyslog prints.
 */
public final class Json
{
    /** JSON null. */
    public static final Object NULL = new Object()
    {
        @Override
        public String toString()
        {
            return "null";
        }
    };

    private Json()
    {
    }

    /**
     * Renders a value as json-c does ({@code { "a": 1, "b": [ "x" ] }}).
     *
     * @param value value.
     * @param sink  destination.
     */
    public static void render(final Object value, final ByteSink sink)
    {
        if (value instanceof Map)
        {
            final Map<?, ?> map = (Map<?, ?>)value;
            sink.put('{');
            boolean first = true;
            for (final Map.Entry<?, ?> e : map.entrySet())
            {
                sink.put(first ? ' ' : ',');
                if (!first)
                {
                    sink.put(' ');
                }
                first = false;
                quote(String.valueOf(e.getKey()), sink);
                sink.put(':').put(' ');
                render(e.getValue(), sink);
            }
            sink.put(' ').put('}');
        }
        else if (value instanceof List)
        {
            final List<?> list = (List<?>)value;
            sink.put('[');
            boolean first = true;
            for (final Object o : list)
            {
                sink.put(first ? ' ' : ',');
                if (!first)
                {
                    sink.put(' ');
                }
                first = false;
                render(o, sink);
            }
            sink.put(' ').put(']');
        }
        else if (value instanceof String)
        {
            quote((String)value, sink);
        }
        else if (null == value || NULL == value)
        {
            sink.putLatin1("null");
        }
        else
        {
            sink.putLatin1(scalarText(value));
        }
    }

    /**
     * The text of a value as a template prints it: strings raw, containers as JSON.
     *
     * @param value value (may be null: empty).
     * @param sink  destination.
     */
    public static void renderPlain(final Object value, final ByteSink sink)
    {
        if (null == value)
        {
            return;
        }
        if (value instanceof String)
        {
            sink.putLatin1((String)value);
        }
        else if (value instanceof Map || value instanceof List)
        {
            render(value, sink);
        }
        else
        {
            sink.putLatin1(scalarText(value));
        }
    }

    /**
     * Text of a scalar (number, boolean, null).
     *
     * @param value scalar.
     * @return text.
     */
    public static String scalarText(final Object value)
    {
        if (value instanceof Double)
        {
            final double d = (Double)value;
            if (d == Math.rint(d) && !Double.isInfinite(d))
            {
                return Long.toString((long)d);
            }
            return Double.toString(d);
        }
        return String.valueOf(value);
    }

    /**
     * Writes a string as a JSON string literal with json-c's escaping ({@code /} becomes {@code \/}).
     *
     * @param s    text (ISO-8859-1 chars standing for bytes).
     * @param sink destination.
     */
    public static void quote(final CharSequence s, final ByteSink sink)
    {
        sink.put('"');
        escape(s, sink);
        sink.put('"');
    }

    /**
     * JSON-escapes text without quotes.
     *
     * @param s    text.
     * @param sink destination.
     */
    public static void escape(final CharSequence s, final ByteSink sink)
    {
        escape(s, sink, false);
    }

    /**
     * JSON-escapes text without quotes.
     *
     * @param s         text.
     * @param sink      destination.
     * @param upperHex  write {@code \u001F} (the property replacer) instead of {@code \u001f} (json-c).
     */
    public static void escape(final CharSequence s, final ByteSink sink, final boolean upperHex)
    {
        final int n = s.length();
        for (int i = 0; i < n; i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"':
                    sink.put('\\').put('"');
                    break;
                case '\\':
                    sink.put('\\').put('\\');
                    break;
                case '/':
                    sink.put('\\').put('/');
                    break;
                case '\b':
                    sink.put('\\').put('b');
                    break;
                case '\f':
                    sink.put('\\').put('f');
                    break;
                case '\n':
                    sink.put('\\').put('n');
                    break;
                case '\r':
                    sink.put('\\').put('r');
                    break;
                case '\t':
                    sink.put('\\').put('t');
                    break;
                default:
                    if (c < 0x20)
                    {
                        sink.putLatin1("\\u00").put(hex(c >> 4, upperHex)).put(hex(c & 15, upperHex));
                    }
                    else
                    {
                        sink.put(c);
                    }
                    break;
            }
        }
    }

    private static int hex(final int v, final boolean upper)
    {
        return v < 10 ? '0' + v : (upper ? 'A' : 'a') + v - 10;
    }

    /**
     * Parses JSON text (ISO-8859-1 chars standing for bytes; strings are kept as UTF-8 bytes in
     * chars so output round-trips).
     *
     * @param text  JSON text.
     * @param start first char.
     * @return the value, or {@code null} when the text is not valid JSON (trailing spaces allowed).
     */
    public static Object parse(final CharSequence text, final int start)
    {
        final Parser p = new Parser(text, start);
        try
        {
            final Object v = p.value();
            p.skipSpace();
            return p.pos == text.length() ? v : null;
        }
        catch (final IllegalStateException | IndexOutOfBoundsException | NumberFormatException ex)
        {
            return null;
        }
    }

    /**
     * Deep copy of a JSON value (so set/unset on one tree cannot change another).
     *
     * @param value value.
     * @return copy.
     */
    public static Object copy(final Object value)
    {
        if (value instanceof Map)
        {
            final Map<String, Object> copy = new LinkedHashMap<>();
            for (final Map.Entry<?, ?> e : ((Map<?, ?>)value).entrySet())
            {
                copy.put(String.valueOf(e.getKey()), copy(e.getValue()));
            }
            return copy;
        }
        if (value instanceof List)
        {
            final List<Object> copy = new ArrayList<>();
            for (final Object o : (List<?>)value)
            {
                copy.add(copy(o));
            }
            return copy;
        }
        return value;
    }

    private static final class Parser
    {
        private final CharSequence s;
        private int pos;
        private int depth;

        Parser(final CharSequence s, final int pos)
        {
            this.s = s;
            this.pos = pos;
        }

        void skipSpace()
        {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == '\n' ||
                s.charAt(pos) == '\r'))
            {
                pos++;
            }
        }

        Object value()
        {
            skipSpace();
            if (++depth > 64)
            {
                throw new IllegalStateException("too deep");
            }
            final char c = s.charAt(pos);
            final Object result;
            if (c == '{')
            {
                pos++;
                final Map<String, Object> map = new LinkedHashMap<>();
                skipSpace();
                if (s.charAt(pos) == '}')
                {
                    pos++;
                }
                else
                {
                    while (true)
                    {
                        skipSpace();
                        if (s.charAt(pos) != '"')
                        {
                            throw new IllegalStateException("key");
                        }
                        final String key = string();
                        skipSpace();
                        if (s.charAt(pos++) != ':')
                        {
                            throw new IllegalStateException("colon");
                        }
                        map.put(key, value());
                        skipSpace();
                        final char d = s.charAt(pos++);
                        if (d == '}')
                        {
                            break;
                        }
                        if (d != ',')
                        {
                            throw new IllegalStateException("comma");
                        }
                    }
                }
                result = map;
            }
            else if (c == '[')
            {
                pos++;
                final List<Object> list = new ArrayList<>();
                skipSpace();
                if (s.charAt(pos) == ']')
                {
                    pos++;
                }
                else
                {
                    while (true)
                    {
                        list.add(value());
                        skipSpace();
                        final char d = s.charAt(pos++);
                        if (d == ']')
                        {
                            break;
                        }
                        if (d != ',')
                        {
                            throw new IllegalStateException("comma");
                        }
                    }
                }
                result = list;
            }
            else if (c == '"')
            {
                result = string();
            }
            else if (startsWith("true"))
            {
                pos += 4;
                result = Boolean.TRUE;
            }
            else if (startsWith("false"))
            {
                pos += 5;
                result = Boolean.FALSE;
            }
            else if (startsWith("null"))
            {
                pos += 4;
                result = NULL;
            }
            else
            {
                result = number();
            }
            depth--;
            return result;
        }

        private boolean startsWith(final String word)
        {
            if (pos + word.length() > s.length())
            {
                return false;
            }
            for (int i = 0; i < word.length(); i++)
            {
                if (s.charAt(pos + i) != word.charAt(i))
                {
                    return false;
                }
            }
            return true;
        }

        private Object number()
        {
            final int start = pos;
            if (s.charAt(pos) == '-')
            {
                pos++;
            }
            boolean isDouble = false;
            while (pos < s.length())
            {
                final char c = s.charAt(pos);
                if (c >= '0' && c <= '9')
                {
                    pos++;
                }
                else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')
                {
                    isDouble = true;
                    pos++;
                }
                else
                {
                    break;
                }
            }
            final String text = s.subSequence(start, pos).toString();
            if (text.isEmpty() || "-".equals(text))
            {
                throw new IllegalStateException("number");
            }
            if (isDouble)
            {
                return Double.parseDouble(text);
            }
            try
            {
                return Long.parseLong(text);
            }
            catch (final NumberFormatException ex)
            {
                return Double.parseDouble(text);
            }
        }

        private String string()
        {
            pos++;
            final StringBuilder sb = new StringBuilder();
            while (true)
            {
                final char c = s.charAt(pos++);
                if (c == '"')
                {
                    return sb.toString();
                }
                if (c == '\\')
                {
                    final char e = s.charAt(pos++);
                    switch (e)
                    {
                        case 'n':
                            sb.append('\n');
                            break;
                        case 't':
                            sb.append('\t');
                            break;
                        case 'r':
                            sb.append('\r');
                            break;
                        case 'b':
                            sb.append('\b');
                            break;
                        case 'f':
                            sb.append('\f');
                            break;
                        case 'u':
                            final int cp = Integer.parseInt(s.subSequence(pos, pos + 4).toString(), 16);
                            pos += 4;
                            appendUtf8(sb, cp);
                            break;
                        default:
                            sb.append(e);
                            break;
                    }
                }
                else
                {
                    sb.append(c);
                }
            }
        }

        private static void appendUtf8(final StringBuilder sb, final int cp)
        {
            final byte[] bytes = new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            for (final byte b : bytes)
            {
                sb.append((char)(b & 0xFF));
            }
        }
    }
}

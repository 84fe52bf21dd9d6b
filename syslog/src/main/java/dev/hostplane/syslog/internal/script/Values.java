package dev.hostplane.syslog.internal.script;

import java.util.List;
import java.util.Map;

import dev.hostplane.syslog.internal.message.ByteSink;
import dev.hostplane.syslog.internal.message.Json;

/**
 * RainerScript value semantics: values are {@link String}, {@link Long}, JSON containers or null;
 * strings that look like integers compare as numbers, as rsyslog does.
 */
public final class Values
{
    private Values()
    {
    }

    /**
     * String form of a value.
     *
     * @param v value.
     * @return text ("" for null).
     */
    public static String str(final Object v)
    {
        if (null == v)
        {
            return "";
        }
        if (v instanceof String)
        {
            return (String)v;
        }
        if (v instanceof Map || v instanceof List)
        {
            final ByteSink sink = new ByteSink();
            Json.render(v, sink);
            return sink.toString();
        }
        return Json.scalarText(v);
    }

    /**
     * Whether a string is an integer as rsyslog accepts it.
     *
     * @param s text.
     * @return true for optional sign and digits.
     */
    public static boolean isNumber(final String s)
    {
        if (s.isEmpty())
        {
            return false;
        }
        int i = s.charAt(0) == '-' ? 1 : 0;
        if (i == s.length() || s.length() - i > 18)
        {
            return false;
        }
        for (; i < s.length(); i++)
        {
            if (s.charAt(i) < '0' || s.charAt(i) > '9')
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Numeric value (leading integer of a string, 0 when none).
     *
     * @param v value.
     * @return number.
     */
    public static long num(final Object v)
    {
        if (v instanceof Long)
        {
            return (Long)v;
        }
        if (v instanceof Double)
        {
            return (long)(double)(Double)v;
        }
        if (v instanceof Boolean)
        {
            return (Boolean)v ? 1 : 0;
        }
        final String s = str(v);
        if (s.length() > 2 && s.charAt(0) == '0' && (s.charAt(1) == 'x' || s.charAt(1) == 'X'))
        {
            long r = 0;
            for (int i = 2; i < s.length() && Character.digit(s.charAt(i), 16) >= 0 && i < 18; i++)
            {
                r = r * 16 + Character.digit(s.charAt(i), 16);
            }
            return r;
        }
        int i = 0;
        boolean neg = false;
        if (i < s.length() && s.charAt(i) == '-')
        {
            neg = true;
            i++;
        }
        long r = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9' && r < Long.MAX_VALUE / 10 - 10)
        {
            r = r * 10 + (s.charAt(i) - '0');
            i++;
        }
        return neg ? -r : r;
    }

    /**
     * Lower-cases ASCII letters only, as C's tolower() does in rsyslog (bytes of UTF-8 stay as they are).
     *
     * @param s text of byte-chars.
     * @return lower-cased text.
     */
    public static String asciiLower(final String s)
    {
        char[] chars = null;
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z')
            {
                if (null == chars)
                {
                    chars = s.toCharArray();
                }
                chars[i] = (char)(c + 32);
            }
        }
        return null == chars ? s : new String(chars);
    }

    /**
     * Truth value.
     *
     * @param v value.
     * @return true when non-zero.
     */
    public static boolean truth(final Object v)
    {
        if (v instanceof Boolean)
        {
            return (Boolean)v;
        }
        return num(v) != 0;
    }

    private static boolean numeric(final Object v)
    {
        return v instanceof Long || v instanceof Double || v instanceof Boolean || null == v ||
            (v instanceof String && (isNumber((String)v) || ((String)v).isEmpty()));
    }

    /**
     * Whether both values compare numerically.
     *
     * @param a left.
     * @param b right.
     * @return true when both are numbers.
     */
    public static boolean bothNumeric(final Object a, final Object b)
    {
        return numeric(a) && numeric(b);
    }

    /**
     * C {@code strcmp} of the byte strings (rsyslog returns it from {@code !=}).
     *
     * @param a left.
     * @param b right.
     * @return difference of the first differing bytes.
     */
    public static int strcmp(final String a, final String b)
    {
        final int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++)
        {
            if (a.charAt(i) != b.charAt(i))
            {
                return a.charAt(i) - b.charAt(i);
            }
        }
        if (a.length() == b.length())
        {
            return 0;
        }
        return a.length() > n ? a.charAt(n) : -b.charAt(n);
    }

    /**
     * Compares as rsyslog does: numerically when both sides are numbers, else as strings.
     *
     * @param a left.
     * @param b right.
     * @return negative, zero or positive.
     */
    public static int compare(final Object a, final Object b)
    {
        if (numeric(a) && numeric(b))
        {
            return Long.compare(num(a), num(b));
        }
        return strcmp(str(a), str(b));
    }
}

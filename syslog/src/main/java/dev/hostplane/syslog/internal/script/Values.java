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
     * Numeric value as rsyslog's {@code var2Number} gives it at run time: a string is read as a
     * decimal integer with an optional leading {@code -} up to its first other character (no hex,
     * no octal, no {@code +}, no spaces); a JSON double is truncated, a container is 0.
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
        if (v instanceof String)
        {
            return str2num((String)v);
        }
        if (v instanceof Double)
        {
            // json-c's json_object_get_int64 clamps doubles that do not fit.
            final double d = (Double)v;
            return d >= 9.223372036854775807E18 ? Long.MAX_VALUE : d <= -9.223372036854775808E18 ? Long.MIN_VALUE : (long)d;
        }
        if (v instanceof Boolean)
        {
            return (Boolean)v ? 1 : 0;
        }
        return 0;
    }

    /**
     * rsyslog's run-time string-to-number conversion: optional {@code -}, then decimal digits up to
     * the first other character; an overlong number wraps as the C accumulation does.
     *
     * @param s text.
     * @return the number (0 when it starts with no digit).
     */
    public static long str2num(final String s)
    {
        int i = 0;
        boolean neg = false;
        if (!s.isEmpty() && s.charAt(0) == '-')
        {
            neg = true;
            i = 1;
        }
        long r = 0;
        for (; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c < '0' || c > '9')
            {
                break;
            }
            r = r * 10 + (c - '0');
        }
        return neg ? -r : r;
    }

    /**
     * Whether {@link #str2num} consumes the whole string, which is when rsyslog treats a string
     * operand of a comparison as a number: the empty string and a lone {@code -} count (as 0),
     * leading zeros are decimal, and there is no length limit.
     *
     * @param s text.
     * @return true when the text is {@code -?[0-9]*}.
     */
    public static boolean isStr2num(final String s)
    {
        for (int i = !s.isEmpty() && s.charAt(0) == '-' ? 1 : 0; i < s.length(); i++)
        {
            if (s.charAt(i) < '0' || s.charAt(i) > '9')
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The number libestr's {@code es_str2num} reads from a config constant (constant folding,
     * {@code cnum("...")}): {@code 0x} hex, leading-zero octal, else decimal, each up to the first
     * character it cannot use.
     *
     * @param s text.
     * @return the number.
     */
    public static long constantNum(final String s)
    {
        if (s.isEmpty())
        {
            return 0;
        }
        if (s.charAt(0) == '-')
        {
            return -str2num(s.substring(1));
        }
        if (s.charAt(0) == '0')
        {
            long r = 0;
            if (s.length() > 1 && s.charAt(1) == 'x')
            {
                for (int i = 2; i < s.length() && Character.digit(s.charAt(i), 16) >= 0; i++)
                {
                    r = r * 16 + Character.digit(s.charAt(i), 16);
                }
                return r;
            }
            for (int i = 0; i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7'; i++)
            {
                r = r * 8 + (s.charAt(i) - '0');
            }
            return r;
        }
        return str2num(s);
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

    /**
     * libestr's {@code es_strcmp}: the difference of the first differing bytes, or 1 / -1 when one
     * string is a prefix of the other (rsyslog's {@code !=} returns this value).
     *
     * @param a left.
     * @param b right.
     * @return negative, zero or positive.
     */
    public static int strcmp(final String a, final String b)
    {
        final int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++)
        {
            if (a.charAt(i) != b.charAt(i))
            {
                return (a.charAt(i) & 0xFF) - (b.charAt(i) & 0xFF);
            }
        }
        return Integer.compare(a.length(), b.length());
    }
}

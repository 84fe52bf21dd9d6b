package dev.hostplane.syslog.internal.script;

import java.util.List;
import java.util.Map;

/**
 * RainerScript's comparison operators with rsyslog's typing rules. Every operand has one of three
 * run-time kinds, and the result depends on the pair of kinds, not on how the values look:
 * <ul>
 *   <li>{@link #STRING}: string constants, message properties, functions returning text, and
 *   variables holding a JSON string (or nothing);</li>
 *   <li>{@link #NUMBER}: number constants, arithmetic and functions returning numbers;</li>
 *   <li>{@link #JSON}: variables (and {@code get_property()}) holding a JSON number, boolean,
 *   object or array.</li>
 * </ul>
 * {@code ==} and {@code !=} compare two strings as strings ({@code "7" == "007"} is false), a string
 * and a number as numbers when the string is {@code -?[0-9]*}, and a JSON value against a number
 * never as equal: rsyslog reads the number field of a JSON operand there, which holds a pointer.
 * {@code <}, {@code >}, {@code <=} and {@code >=} compare as numbers when both sides convert, else as
 * strings. {@code !=} between strings yields the byte difference, not a truth value.
 */
public final class Comparisons
{
    /** A text value. */
    public static final char STRING = 'S';
    /** A number computed or written in the config. */
    public static final char NUMBER = 'N';
    /** A non-string JSON value read from a variable. */
    public static final char JSON = 'J';

    private Comparisons()
    {
    }

    /**
     * The run-time kind of a value.
     *
     * @param node  the expression that produced it.
     * @param value its value.
     * @return {@link #STRING}, {@link #NUMBER} or {@link #JSON}.
     */
    public static char kind(final Expr node, final Object value)
    {
        if (null == value || value instanceof String)
        {
            return STRING;
        }
        if (value instanceof Map || value instanceof List || node instanceof Exprs.Variable ||
            (node instanceof FunctionCall && ((FunctionCall)node).returnsJson()))
        {
            return JSON;
        }
        return NUMBER;
    }

    /**
     * {@code l == r}.
     *
     * @param l     left value.
     * @param kl    its kind.
     * @param r     right value ({@code r} of an array literal: its elements).
     * @param kr    its kind.
     * @param array whether the right operand is an array literal.
     * @return the truth.
     */
    public static boolean equal(final Object l, final char kl, final Object r, final char kr, final boolean array)
    {
        if (kl == STRING || kl == JSON)
        {
            final String sl = text(l, kl);
            if (array)
            {
                return inArray(sl, (List<?>)r);
            }
            if (kr == STRING)
            {
                return sl.equals(text(r, kr));
            }
            if (kl == JSON)
            {
                return kr == NUMBER && Values.num(l) == Values.num(r);
            }
            if (Values.isStr2num(sl))
            {
                return kr == NUMBER && Values.str2num(sl) == Values.num(r);
            }
            return sl.equals(text(r, kr));
        }
        final long nl = Values.num(l);
        if (array || kr == STRING)
        {
            final String sr = array ? smallest((List<?>)r) : text(r, kr);
            return Values.isStr2num(sr) ? nl == Values.str2num(sr) : sr.equals(Long.toString(nl));
        }
        return kr == NUMBER && nl == Values.num(r);
    }

    /**
     * {@code l != r} (also {@code <>}): 1/0, or the {@code strcmp} difference where rsyslog compares
     * strings.
     *
     * @param l     left value.
     * @param kl    its kind.
     * @param r     right value.
     * @param kr    its kind.
     * @param array whether the right operand is an array literal.
     * @return the value of the expression.
     */
    public static long notEqual(final Object l, final char kl, final Object r, final char kr, final boolean array)
    {
        if (kl == STRING)
        {
            final String sl = text(l, kl);
            if (array)
            {
                return inArray(sl, (List<?>)r) ? 0 : 1;
            }
            if (kr == STRING)
            {
                return Values.strcmp(sl, text(r, kr));
            }
            if (Values.isStr2num(sl))
            {
                return kr == JSON || Values.str2num(sl) != Values.num(r) ? 1 : 0;
            }
            return Values.strcmp(sl, text(r, kr));
        }
        final String sr = array ? smallest((List<?>)r) : text(r, kr);
        if (kl == JSON)
        {
            if (array || kr == STRING)
            {
                return Values.strcmp(text(l, kl), sr);
            }
            return kr == JSON || Values.num(l) != Values.num(r) ? 1 : 0;
        }
        final long nl = Values.num(l);
        if (array || kr == STRING)
        {
            if (Values.isStr2num(sr))
            {
                return nl != Values.str2num(sr) ? 1 : 0;
            }
            // rsyslog compares right against left here.
            return Values.strcmp(sr, Long.toString(nl));
        }
        return kr == JSON || nl != Values.num(r) ? 1 : 0;
    }

    /**
     * The sign of an ordering comparison ({@code <}, {@code >}, {@code <=}, {@code >=}): the number
     * difference (truncated to 32 bits as rsyslog does) when both sides convert to numbers, else
     * {@code strcmp}.
     *
     * @param l  left value.
     * @param kl its kind.
     * @param r  right value (the first element of an array literal).
     * @param kr its kind.
     * @return negative, zero or positive.
     */
    public static int order(final Object l, final char kl, final Object r, final char kr)
    {
        if (convertible(l, kl) && convertible(r, kr))
        {
            return (int)(Values.num(l) - Values.num(r));
        }
        return Values.strcmp(text(l, kl), text(r, kr));
    }

    private static boolean convertible(final Object v, final char k)
    {
        return k != STRING || Values.isStr2num(text(v, k));
    }

    private static String text(final Object v, final char k)
    {
        return Values.str(v);
    }

    private static boolean inArray(final String s, final List<?> elements)
    {
        for (final Object o : elements)
        {
            if (s.equals(Values.str(o)))
            {
                return true;
            }
        }
        return false;
    }

    /** An array literal used as a plain value is its first element after rsyslog sorted it for {@code ==}. */
    private static String smallest(final List<?> elements)
    {
        String min = null;
        for (final Object o : elements)
        {
            final String s = Values.str(o);
            if (null == min || Values.strcmp(s, min) < 0)
            {
                min = s;
            }
        }
        return null == min ? "" : min;
    }
}

package dev.hostplane.syslog.internal.engine;

import java.util.Arrays;

import com.google.re2j.Pattern;

import dev.hostplane.syslog.internal.message.ByteSearch;
import dev.hostplane.syslog.internal.message.ByteView;
import dev.hostplane.syslog.internal.message.SyslogNames;
import dev.hostplane.syslog.internal.script.Expr;
import dev.hostplane.syslog.internal.script.Values;
import dev.hostplane.syslog.internal.template.PropertySpec;
import dev.hostplane.syslog.internal.template.RenderContext;

/**
 * The filter implementations the optimizer produces.
 */
public final class Filters
{
    /** Compare kinds of property filters. */
    public static final int EQUALS = 0;
    /** contains. */
    public static final int CONTAINS = 1;
    /** startswith. */
    public static final int STARTSWITH = 2;
    /** contains_i. */
    public static final int CONTAINS_I = 3;
    /** startswith_i. */
    public static final int STARTSWITH_I = 4;
    /** isempty. */
    public static final int ISEMPTY = 5;
    /** regex (any). */
    public static final int REGEX = 6;
    /** endswith. */
    public static final int ENDSWITH = 7;

    private Filters()
    {
    }

    /** Always true (the "*.*" selector after optimisation). */
    public static final Filter ALWAYS = new Filter()
    {
        @Override
        public boolean test(final RenderContext ctx)
        {
            return true;
        }

        @Override
        public String toString()
        {
            return "always";
        }
    };

    /** A PRI selector as a 200-bit mask. */
    public static final class Pri implements Filter
    {
        private final long[] mask;

        /**
         * Creates the filter.
         *
         * @param mask four longs, bit facility*8+severity.
         */
        public Pri(final long[] mask)
        {
            this.mask = mask;
        }

        @Override
        public boolean test(final RenderContext ctx)
        {
            final int idx = (ctx.message.facility() << 3) | ctx.message.severity();
            return (mask[idx >> 6] & (1L << (idx & 63))) != 0;
        }

        @Override
        public String toString()
        {
            final StringBuilder sb = new StringBuilder("pri-mask[");
            for (int f = 0; f < SyslogNames.FACILITY_SLOTS; f++)
            {
                int bits = 0;
                for (int s = 0; s < 8; s++)
                {
                    final int idx = f * 8 + s;
                    if ((mask[idx >> 6] & (1L << (idx & 63))) != 0)
                    {
                        bits |= 1 << s;
                    }
                }
                if (bits != 0)
                {
                    sb.append(new String(SyslogNames.facilityName(f), java.nio.charset.StandardCharsets.US_ASCII))
                        .append("=0x").append(Integer.toHexString(bits)).append(' ');
                }
            }
            return sb.toString().trim() + "]";
        }
    }

    /** A property compared with a constant (legacy property filter or optimised RainerScript). */
    public static final class PropertyCompare implements Filter
    {
        private final PropertySpec property;
        private final int kind;
        private final boolean negate;
        private final byte[] value;
        private final Pattern regex;
        private final String text;

        /**
         * Creates the filter.
         *
         * @param property property.
         * @param kind     compare kind.
         * @param negate   invert.
         * @param value    constant bytes.
         * @param regex    pattern for {@link #REGEX}.
         * @param text     description.
         */
        public PropertyCompare(final PropertySpec property, final int kind, final boolean negate, final byte[] value,
            final Pattern regex, final String text)
        {
            this.property = property;
            this.kind = kind;
            this.negate = negate;
            this.value = value;
            this.regex = regex;
            this.text = text;
        }

        @Override
        public boolean test(final RenderContext ctx)
        {
            final ByteView v = property.value(ctx);
            final boolean r;
            switch (kind)
            {
                case EQUALS:
                    r = v.contentEquals(value);
                    break;
                case CONTAINS:
                    r = indexOf(v, value, false) >= 0;
                    break;
                case CONTAINS_I:
                    r = indexOf(v, value, true) >= 0;
                    break;
                case STARTSWITH:
                    r = startsWith(v, value, false);
                    break;
                case STARTSWITH_I:
                    // libestr's es_strncasecmp stops at the end of the property: a property that is a
                    // prefix of the pattern (the empty one too) starts with it.
                    r = commonPrefixMatchesIgnoreCase(v, value);
                    break;
                case ENDSWITH:
                    r = v.length() >= value.length && regionMatches(v, v.length() - value.length, value, false);
                    break;
                case ISEMPTY:
                    r = v.length() == 0;
                    break;
                default:
                    r = regex.matcher(v).find();
                    break;
            }
            return r != negate;
        }

        @Override
        public String toString()
        {
            return text;
        }
    }

    private static int lower(final int c)
    {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    static boolean regionMatches(final ByteView v, final int at, final byte[] needle, final boolean ignoreCase)
    {
        final byte[] hay = v.array();
        final int base = v.offset() + at;
        for (int i = 0; i < needle.length; i++)
        {
            final int a = hay[base + i] & 0xFF;
            final int b = needle[i] & 0xFF;
            if (a != b && (!ignoreCase || lower(a) != lower(b)))
            {
                return false;
            }
        }
        return true;
    }

    static boolean commonPrefixMatchesIgnoreCase(final ByteView v, final byte[] needle)
    {
        final byte[] hay = v.array();
        final int n = Math.min(v.length(), needle.length);
        for (int i = 0; i < n; i++)
        {
            if (lower(hay[v.offset() + i] & 0xFF) != lower(needle[i] & 0xFF))
            {
                return false;
            }
        }
        return true;
    }

    static boolean startsWith(final ByteView v, final byte[] needle, final boolean ignoreCase)
    {
        return v.length() >= needle.length && regionMatches(v, 0, needle, ignoreCase);
    }

    static int indexOf(final ByteView v, final byte[] needle, final boolean ignoreCase)
    {
        final int last = v.length() - needle.length;
        if (ignoreCase || needle.length == 0)
        {
            for (int i = 0; i <= last; i++)
            {
                if (regionMatches(v, i, needle, ignoreCase))
                {
                    return i;
                }
            }
            return -1;
        }
        // Case-sensitive "contains": a tight scan for the first byte, a full compare only there.
        final byte[] hay = v.array();
        final int off = v.offset();
        final byte first = needle[0];
        int i = 0;
        while (i <= last)
        {
            final int at = ByteSearch.indexOf(hay, off + i, off + last + 1, first);
            if (at < 0)
            {
                return -1;
            }
            i = at - off;
            if (regionMatches(v, i, needle, false))
            {
                return i;
            }
            i++;
        }
        return -1;
    }

    /** {@code $prop == ["a","b",...]} as an open-addressing hash set of byte strings. */
    public static final class ArrayMatch implements Filter
    {
        private final PropertySpec property;
        private final byte[][] table;
        private final int mask;
        private final boolean negate;
        private final String text;

        /**
         * Creates the filter.
         *
         * @param property property.
         * @param values   the array's strings.
         * @param negate   {@code !=}.
         * @param text     description.
         */
        public ArrayMatch(final PropertySpec property, final byte[][] values, final boolean negate, final String text)
        {
            this.property = property;
            int size = 4;
            while (size < values.length * 3)
            {
                size <<= 1;
            }
            table = new byte[size][];
            mask = size - 1;
            for (final byte[] v : values)
            {
                int slot = hash(v, 0, v.length) & mask;
                while (null != table[slot] && !Arrays.equals(table[slot], v))
                {
                    slot = (slot + 1) & mask;
                }
                table[slot] = v;
            }
            this.negate = negate;
            this.text = text;
        }

        private static int hash(final byte[] a, final int off, final int len)
        {
            int h = 0x811C9DC5;
            for (int i = 0; i < len; i++)
            {
                h = (h ^ (a[off + i] & 0xFF)) * 0x01000193;
            }
            return h ^ (h >>> 16);
        }

        @Override
        public boolean test(final RenderContext ctx)
        {
            final ByteView v = property.value(ctx);
            int slot = hash(v.array(), v.offset(), v.length()) & mask;
            while (true)
            {
                final byte[] entry = table[slot];
                if (null == entry)
                {
                    return negate;
                }
                if (v.contentEquals(entry))
                {
                    return !negate;
                }
                slot = (slot + 1) & mask;
            }
        }

        @Override
        public String toString()
        {
            return text;
        }
    }

    /** A numeric property (pri, facility, severity) compared with a number, without parsing. */
    public static final class NumericCompare implements Filter
    {
        private static final int EQ = 0;
        private static final int NE = 1;
        private static final int LT = 2;
        private static final int GT = 3;
        private static final int LE = 4;
        private static final int GE = 5;

        private final int property;
        private final String op;
        /** The operator resolved once at load: a switch on the operator's text costs a string hash per message. */
        private final int compare;
        private final long value;

        /**
         * Creates the filter.
         *
         * @param property 0 pri, 1 facility, 2 severity.
         * @param op       comparison operator.
         * @param value    constant.
         */
        public NumericCompare(final int property, final String op, final long value)
        {
            this.property = property;
            this.op = op;
            this.compare = compareOf(op);
            this.value = value;
        }

        private static int compareOf(final String op)
        {
            switch (op)
            {
                case "==":
                    return EQ;
                case "!=":
                case "<>":
                    return NE;
                case "<":
                    return LT;
                case ">":
                    return GT;
                case "<=":
                    return LE;
                case ">=":
                    return GE;
                default:
                    throw new IllegalArgumentException("not a numeric comparison: " + op);
            }
        }

        @Override
        public boolean test(final RenderContext ctx)
        {
            final long v = property == 0 ? ctx.message.pri() : property == 1 ? ctx.message.facility() :
                ctx.message.severity();
            switch (compare)
            {
                case EQ:
                    return v == value;
                case NE:
                    return v != value;
                case LT:
                    return v < value;
                case GT:
                    return v > value;
                case LE:
                    return v <= value;
                default:
                    return v >= value;
            }
        }

        @Override
        public String toString()
        {
            return (property == 0 ? "$pri" : property == 1 ? "$syslogfacility" : "$syslogseverity") + " " + op + " " +
                value;
        }
    }

    /** Logical combination of filters. */
    public static final class Logic implements Filter
    {
        private final Filter left;
        private final Filter right;
        private final boolean and;

        /**
         * Creates the combination.
         *
         * @param left  left.
         * @param right right.
         * @param and   true for and, false for or.
         */
        public Logic(final Filter left, final Filter right, final boolean and)
        {
            this.left = left;
            this.right = right;
            this.and = and;
        }

        @Override
        public boolean test(final RenderContext ctx)
        {
            return and ? left.test(ctx) && right.test(ctx) : left.test(ctx) || right.test(ctx);
        }

        @Override
        public String toString()
        {
            return "(" + left + (and ? " and " : " or ") + right + ")";
        }
    }

    /** Negation of a filter. */
    public static final class Negation implements Filter
    {
        private final Filter inner;

        /**
         * Creates the negation.
         *
         * @param inner filter.
         */
        public Negation(final Filter inner)
        {
            this.inner = inner;
        }

        /**
         * The negated filter.
         *
         * @return inner filter.
         */
        public Filter inner()
        {
            return inner;
        }

        @Override
        public boolean test(final RenderContext ctx)
        {
            return !inner.test(ctx);
        }

        @Override
        public String toString()
        {
            return "not " + inner;
        }
    }

    /** Any other expression, evaluated generally. */
    public static final class ExprFilter implements Filter
    {
        private final Expr expr;

        /**
         * Creates the filter.
         *
         * @param expr expression.
         */
        public ExprFilter(final Expr expr)
        {
            this.expr = expr;
        }

        @Override
        public boolean test(final RenderContext ctx)
        {
            return Values.truth(expr.eval(ctx));
        }

        @Override
        public String toString()
        {
            return "expr" + expr;
        }
    }
}

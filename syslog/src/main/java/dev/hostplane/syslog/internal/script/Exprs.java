package dev.hostplane.syslog.internal.script;

import java.util.List;

import dev.hostplane.syslog.internal.message.ByteView;
import dev.hostplane.syslog.internal.message.Json;
import dev.hostplane.syslog.internal.message.VarPath;
import dev.hostplane.syslog.internal.template.PropertySpec;
import dev.hostplane.syslog.internal.template.RenderContext;

/**
 * The expression node types of RainerScript.
 */
public final class Exprs
{
    private Exprs()
    {
    }

    /** A constant. */
    public static final class Literal implements Expr
    {
        /** The value. */
        public final Object value;

        /**
         * Creates a constant.
         *
         * @param value String or Long.
         */
        public Literal(final Object value)
        {
            this.value = value;
        }

        @Override
        public Object eval(final RenderContext ctx)
        {
            return value;
        }

        @Override
        public String toString()
        {
            return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
        }
    }

    /** A message property such as {@code $msg}. */
    public static final class Property implements Expr
    {
        /** The property. */
        public final PropertySpec spec;

        /**
         * Creates a property reference.
         *
         * @param spec property.
         */
        public Property(final PropertySpec spec)
        {
            this.spec = spec;
        }

        @Override
        public Object eval(final RenderContext ctx)
        {
            final ByteView v = spec.value(ctx);
            return v.toString();
        }

        @Override
        public String toString()
        {
            return "$" + spec.name;
        }
    }

    /** A variable such as {@code $!a!b}. */
    public static final class Variable implements Expr
    {
        /** The path. */
        public final VarPath path;

        /**
         * Creates a variable reference.
         *
         * @param path path.
         */
        public Variable(final VarPath path)
        {
            this.path = path;
        }

        @Override
        public Object eval(final RenderContext ctx)
        {
            final Object v = path.get(ctx.message, ctx.globals);
            if (path.isRoot() && !path.exists(ctx.message, ctx.globals))
            {
                return null;
            }
            return v == Json.NULL ? null : v;
        }

        @Override
        public String toString()
        {
            return path.toString();
        }
    }

    /** An array literal {@code ["a","b"]}. */
    public static final class Array implements Expr
    {
        /** Elements. */
        public final List<Expr> elements;

        /**
         * Creates an array literal.
         *
         * @param elements elements.
         */
        public Array(final List<Expr> elements)
        {
            this.elements = elements;
        }

        @Override
        public Object eval(final RenderContext ctx)
        {
            final java.util.ArrayList<Object> list = new java.util.ArrayList<>();
            for (final Expr e : elements)
            {
                list.add(e.eval(ctx));
            }
            return list;
        }

        @Override
        public String toString()
        {
            return elements.toString();
        }
    }

    /** Logical not. */
    public static final class Not implements Expr
    {
        /** Operand. */
        public final Expr operand;

        /**
         * Creates a negation.
         *
         * @param operand operand.
         */
        public Not(final Expr operand)
        {
            this.operand = operand;
        }

        @Override
        public Object eval(final RenderContext ctx)
        {
            return Values.truth(operand.eval(ctx)) ? 0L : 1L;
        }

        @Override
        public String toString()
        {
            return "not " + operand;
        }
    }

    /** Unary minus. */
    public static final class Negate implements Expr
    {
        /** Operand. */
        public final Expr operand;

        /**
         * Creates a negation.
         *
         * @param operand operand.
         */
        public Negate(final Expr operand)
        {
            this.operand = operand;
        }

        @Override
        public Object eval(final RenderContext ctx)
        {
            return -Values.num(operand.eval(ctx));
        }

        @Override
        public String toString()
        {
            return "-" + operand;
        }
    }

    /** A binary operator. */
    public static final class Binary implements Expr
    {
        /** Operator as written (lower case). */
        public final String op;
        /** Left operand. */
        public final Expr left;
        /** Right operand. */
        public final Expr right;

        /**
         * Creates a binary operation.
         *
         * @param op    operator.
         * @param left  left.
         * @param right right.
         */
        public Binary(final String op, final Expr left, final Expr right)
        {
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        public Object eval(final RenderContext ctx)
        {
            switch (op)
            {
                case "and":
                    return Values.truth(left.eval(ctx)) && Values.truth(right.eval(ctx)) ? 1L : 0L;
                case "or":
                    return Values.truth(left.eval(ctx)) || Values.truth(right.eval(ctx)) ? 1L : 0L;
                default:
                    break;
            }
            if (isArithmetic(op))
            {
                // rsyslog rewrites "$syslogseverity/$syslogfacility <cmp> number" into a PRI filter node,
                // and such a node counts as 0 inside arithmetic (measured: ($syslogseverity == 5) + 1 is 1).
                final long a = isPriFilterNode(left) ? 0 : Values.num(left.eval(ctx));
                final long b = isPriFilterNode(right) ? 0 : Values.num(right.eval(ctx));
                switch (op)
                {
                    case "+":
                        return a + b;
                    case "-":
                        return a - b;
                    case "*":
                        return a * b;
                    case "/":
                        return b == 0 ? 0L : a / b;
                    default:
                        return b == 0 ? 0L : a % b;
                }
            }
            final Object a = left.eval(ctx);
            final Object b = right.eval(ctx);
            final boolean array = right instanceof Array;
            switch (op)
            {
                case "&":
                    return Values.str(a) + Values.str(array ? ((List<?>)b).get(0) : b);
                case "==":
                    return bool(Comparisons.equal(a, Comparisons.kind(left, a), b, Comparisons.kind(right, b), array));
                case "!=":
                case "<>":
                    return Comparisons.notEqual(a, Comparisons.kind(left, a), b, Comparisons.kind(right, b), array);
                case "<":
                    return bool(order(a, b) < 0);
                case ">":
                    return bool(order(a, b) > 0);
                case "<=":
                    return bool(order(a, b) <= 0);
                case ">=":
                    return bool(order(a, b) >= 0);
                case "contains":
                    return bool(anyMatch(a, b, 1));
                case "contains_i":
                    return bool(anyMatch(a, b, 2));
                case "startswith":
                    return bool(anyMatch(a, b, 3));
                case "startswith_i":
                    return bool(anyMatch(a, b, 4));
                default:
                    return 0L;
            }
        }

        private int order(final Object a, final Object b)
        {
            // An array literal outside == and != is its first element.
            final Object r = right instanceof Array ? ((List<?>)b).get(0) : b;
            return Comparisons.order(a, Comparisons.kind(left, a), r, Comparisons.kind(right, r));
        }

        private static boolean isArithmetic(final String op)
        {
            return "+".equals(op) || "-".equals(op) || "*".equals(op) || "/".equals(op) || "%".equals(op);
        }

        private static boolean isPriFilterNode(final Expr e)
        {
            if (!(e instanceof Binary))
            {
                return false;
            }
            final Binary b = (Binary)e;
            switch (b.op)
            {
                case "==":
                case "!=":
                case "<>":
                case "<":
                case "<=":
                case ">":
                case ">=":
                    break;
                default:
                    return false;
            }
            if (!(b.left instanceof Property) || !(b.right instanceof Literal) ||
                !(((Literal)b.right).value instanceof Long))
            {
                return false;
            }
            final int id = ((Property)b.left).spec.id;
            return id == dev.hostplane.syslog.internal.message.PropertyId.SEVERITY ||
                id == dev.hostplane.syslog.internal.message.PropertyId.FACILITY;
        }

        private boolean anyMatch(final Object a, final Object b, final int kind)
        {
            if (right instanceof Array)
            {
                for (final Object o : (List<?>)b)
                {
                    if (match(a, o, kind))
                    {
                        return true;
                    }
                }
                return false;
            }
            return match(a, b, kind);
        }

        private static boolean match(final Object a, final Object b, final int kind)
        {
            switch (kind)
            {
                case 1:
                    return Values.str(a).contains(Values.str(b));
                case 2:
                    return Values.asciiLower(Values.str(a)).contains(Values.asciiLower(Values.str(b)));
                case 3:
                    return Values.str(a).startsWith(Values.str(b));
                default:
                {
                    // libestr's es_strncasecmp stops at the end of the left string: a value that is a
                    // prefix of the pattern (the empty value too) starts with it.
                    final String l = Values.asciiLower(Values.str(a));
                    final String r = Values.asciiLower(Values.str(b));
                    return r.regionMatches(0, l, 0, Math.min(l.length(), r.length()));
                }
            }
        }

        private static Long bool(final boolean b)
        {
            return b ? 1L : 0L;
        }

        @Override
        public String toString()
        {
            return "(" + left + " " + op + " " + right + ")";
        }
    }
}

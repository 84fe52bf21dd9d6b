package dev.hostplane.syslog.internal.config;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.hostplane.syslog.internal.engine.Filter;
import dev.hostplane.syslog.internal.engine.Filters;
import dev.hostplane.syslog.internal.message.PropertyId;
import dev.hostplane.syslog.internal.script.Expr;
import dev.hostplane.syslog.internal.script.Exprs;
import dev.hostplane.syslog.internal.script.Values;

/**
 * Turns RainerScript conditions into fast filters: constant folding, property-vs-constant compares
 * on bytes, numeric PRI properties compared without parsing, array matches as hash sets, and
 * {@code and}/{@code or}/{@code not} over those. Anything else stays a general expression.
 */
final class Optimizer
{
    private Optimizer()
    {
    }

    static Filter toFilter(final Expr e)
    {
        if (isConstant(e))
        {
            return Values.truth(e.eval(null)) ? Filters.ALWAYS : new Filters.Negation(Filters.ALWAYS);
        }
        if (e instanceof Exprs.Not)
        {
            final Filter inner = toFilter(((Exprs.Not)e).operand);
            return new Filters.Negation(inner);
        }
        if (e instanceof Exprs.Binary)
        {
            final Exprs.Binary b = (Exprs.Binary)e;
            if ("and".equals(b.op) || "or".equals(b.op))
            {
                final Filter l = toFilter(b.left);
                final Filter r = toFilter(b.right);
                if ("and".equals(b.op) && l == Filters.ALWAYS)
                {
                    return r;
                }
                if ("or".equals(b.op) && l == Filters.ALWAYS)
                {
                    return Filters.ALWAYS;
                }
                return new Filters.Logic(l, r, "and".equals(b.op));
            }
            final Filter f = compare(b);
            if (null != f)
            {
                return f;
            }
        }
        return new Filters.ExprFilter(e);
    }

    /** Whether an expression depends on nothing but literals (so it can be folded at load time). */
    static boolean isConstant(final Expr e)
    {
        if (e instanceof Exprs.Literal)
        {
            return true;
        }
        if (e instanceof Exprs.Not)
        {
            return isConstant(((Exprs.Not)e).operand);
        }
        if (e instanceof Exprs.Negate)
        {
            return isConstant(((Exprs.Negate)e).operand);
        }
        if (e instanceof Exprs.Binary)
        {
            return isConstant(((Exprs.Binary)e).left) && isConstant(((Exprs.Binary)e).right);
        }
        if (e instanceof Exprs.Array)
        {
            for (final Expr el : ((Exprs.Array)e).elements)
            {
                if (!isConstant(el))
                {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static Filter compare(final Exprs.Binary b)
    {
        if (!(b.left instanceof Exprs.Property))
        {
            return null;
        }
        final Exprs.Property p = (Exprs.Property)b.left;
        if (p.spec.id == PropertyId.VARIABLE)
        {
            return null;
        }
        final boolean numericProp = PropertyId.isNumeric(p.spec.id) && p.spec.id != PropertyId.PROTOCOL_VERSION;
        if (b.right instanceof Exprs.Literal)
        {
            final Object v = ((Exprs.Literal)b.right).value;
            // A string constant makes == and != a string comparison (rsyslog: "05" != 5 as text).
            final boolean ordering = !"==".equals(b.op) && !"!=".equals(b.op) && !"<>".equals(b.op);
            if (numericProp && (v instanceof Long || (ordering && v instanceof String && Values.isNumber((String)v))))
            {
                switch (b.op)
                {
                    case "==":
                    case "!=":
                    case "<>":
                    case "<":
                    case ">":
                    case "<=":
                    case ">=":
                        final int which = p.spec.id == PropertyId.PRI ? 0 : p.spec.id == PropertyId.FACILITY ? 1 : 2;
                        return new Filters.NumericCompare(which, b.op, Values.num(v));
                    default:
                        return null;
                }
            }
            if (!(v instanceof String) || numericProp)
            {
                return null;
            }
            final byte[] bytes = ((String)v).getBytes(StandardCharsets.ISO_8859_1);
            final String text = b.toString();
            switch (b.op)
            {
                case "==":
                    return new Filters.PropertyCompare(p.spec, Filters.EQUALS, false, bytes, null, text);
                case "!=":
                case "<>":
                    return new Filters.PropertyCompare(p.spec, Filters.EQUALS, true, bytes, null, text);
                case "contains":
                    return new Filters.PropertyCompare(p.spec, Filters.CONTAINS, false, bytes, null, text);
                case "contains_i":
                    return new Filters.PropertyCompare(p.spec, Filters.CONTAINS_I, false, bytes, null, text);
                case "startswith":
                    return new Filters.PropertyCompare(p.spec, Filters.STARTSWITH, false, bytes, null, text);
                case "startswith_i":
                    return new Filters.PropertyCompare(p.spec, Filters.STARTSWITH_I, false, bytes, null, text);
                default:
                    return null;
            }
        }
        if (b.right instanceof Exprs.Array && ("==".equals(b.op) || "!=".equals(b.op)) && !numericProp)
        {
            final List<Expr> elements = ((Exprs.Array)b.right).elements;
            final byte[][] values = new byte[elements.size()][];
            for (int i = 0; i < values.length; i++)
            {
                final Expr el = elements.get(i);
                if (!(el instanceof Exprs.Literal) || !(((Exprs.Literal)el).value instanceof String))
                {
                    return null;
                }
                values[i] = ((String)((Exprs.Literal)el).value).getBytes(StandardCharsets.ISO_8859_1);
            }
            return new Filters.ArrayMatch(p.spec, values, "!=".equals(b.op), "hashset" + b);
        }
        return null;
    }
}

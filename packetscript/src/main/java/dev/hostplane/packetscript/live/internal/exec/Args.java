package dev.hostplane.packetscript.live.internal.exec;

import dev.hostplane.packetscript.linux.LinuxSymbols;
import dev.hostplane.packetscript.model.Expression;

import java.util.List;

/**
 * Evaluates syscall argument expressions to integers: literals, symbolic constants, {@code |}
 * combinations and one-element {@code [N]} arrays.
 */
final class Args
{
    private Args()
    {
    }

    static long integer(final Expression expression)
    {
        if (expression instanceof Expression.IntLiteral literal)
        {
            return literal.value();
        }
        if (expression instanceof Expression.Symbol symbol)
        {
            final Long value = LinuxSymbols.value(symbol.name());
            if (null == value)
            {
                throw new IllegalArgumentException("unknown symbol: " + symbol.name());
            }
            return value;
        }
        if (expression instanceof Expression.BitOr or)
        {
            return integer(or.left()) | integer(or.right());
        }
        if (expression instanceof Expression.ListExpr list && 1 == list.elements().size())
        {
            return integer(list.elements().get(0));
        }
        throw new IllegalArgumentException("expected an integer expression but got: " + expression);
    }

    static boolean isEllipsis(final Expression expression)
    {
        return expression instanceof Expression.Ellipsis;
    }

    static boolean isNull(final Expression expression)
    {
        return expression instanceof Expression.Symbol symbol && "NULL".equals(symbol.name());
    }

    static Expression arg(final List<Expression> arguments, final int index, final String call)
    {
        if (index >= arguments.size())
        {
            throw new IllegalArgumentException(call + " needs at least " + (index + 1) + " arguments");
        }
        return arguments.get(index);
    }

    static Expression field(final Expression struct, final String name)
    {
        if (struct instanceof Expression.StructExpr s)
        {
            for (final Expression item : s.items())
            {
                if (item instanceof Expression.Field f && f.name().equals(name))
                {
                    return f;
                }
            }
        }
        return null;
    }

    static Expression fieldValue(final Expression struct, final String name)
    {
        final Expression field = field(struct, name);
        return field instanceof Expression.Field f ? f.value() : null;
    }
}

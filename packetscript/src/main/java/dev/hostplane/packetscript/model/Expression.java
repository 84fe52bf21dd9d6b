package dev.hostplane.packetscript.model;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * A syscall argument or result expression.
 */
public sealed interface Expression permits Expression.Ellipsis, Expression.IntLiteral, Expression.Symbol,
    Expression.StringLiteral, Expression.BitOr, Expression.Field, Expression.ListExpr, Expression.StructExpr,
    Expression.Call
{
    /** {@code ...}: "whatever is right", e.g. a buffer or the connection's address. */
    record Ellipsis() implements Expression
    {
    }

    /**
     * An integer literal.
     *
     * @param value the value.
     * @param hex   written in hex ({@code 0x2}).
     */
    record IntLiteral(long value, boolean hex) implements Expression
    {
    }

    /**
     * A symbolic name such as {@code SOL_SOCKET} or {@code NULL}; see {@code LinuxConstants}.
     *
     * @param name the name.
     */
    record Symbol(String name) implements Expression
    {
    }

    /**
     * A string literal; {@code raw} keeps the escapes as written, {@link #bytes()} decodes them.
     *
     * @param raw              the text between the quotes.
     * @param trailingEllipsis written as {@code "abc"...}.
     */
    record StringLiteral(String raw, boolean trailingEllipsis) implements Expression
    {
        /**
         * Decodes C escapes ({@code \xNN}, {@code \n}, {@code \t}, {@code \r}, {@code \0}, {@code \\}, {@code \"}).
         *
         * @return the bytes.
         */
        public byte[] bytes()
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < raw.length(); i++)
            {
                final char c = raw.charAt(i);
                if (c != '\\' || i + 1 >= raw.length())
                {
                    out.write(c);
                    continue;
                }
                final char e = raw.charAt(++i);
                if (e == 'x')
                {
                    int value = 0;
                    int digits = 0;
                    while (digits < 2 && i + 1 < raw.length() && Character.digit(raw.charAt(i + 1), 16) >= 0)
                    {
                        value = value * 16 + Character.digit(raw.charAt(++i), 16);
                        digits++;
                    }
                    out.write(value);
                }
                else if (e == 'n')
                {
                    out.write('\n');
                }
                else if (e == 't')
                {
                    out.write('\t');
                }
                else if (e == 'r')
                {
                    out.write('\r');
                }
                else if (e == '0')
                {
                    out.write(0);
                }
                else
                {
                    out.write(e);
                }
            }
            return out.toByteArray();
        }
    }

    /**
     * {@code A|B}: bitwise or of constants.
     *
     * @param left  left operand.
     * @param right right operand.
     */
    record BitOr(Expression left, Expression right) implements Expression
    {
    }

    /**
     * A struct field {@code name=value} or {@code name(argument)=value} (as in {@code msg_iov(1)=[...]}).
     *
     * @param name     field name.
     * @param argument the parenthesized argument, or null.
     * @param value    the value.
     */
    record Field(String name, Expression argument, Expression value) implements Expression
    {
    }

    /**
     * {@code [a, b]}: an array, e.g. an int pointer argument {@code [1]}.
     *
     * @param elements the elements.
     */
    record ListExpr(List<Expression> elements) implements Expression
    {
        /**
         * Copies the list.
         *
         * @param elements elements.
         */
        public ListExpr
        {
            elements = List.copyOf(elements);
        }
    }

    /**
     * {@code {...}}: a struct (linger, msghdr, iovec, pollfd, epoll_event, cmsg, sock_extended_err, ...), whose
     * kind is recognised from its field names.
     *
     * @param items fields or positional items.
     */
    record StructExpr(List<Expression> items) implements Expression
    {
        /**
         * Copies the list.
         *
         * @param items items.
         */
        public StructExpr
        {
            items = List.copyOf(items);
        }

        /**
         * The struct kind, recognised from the field names.
         *
         * @return the kind.
         */
        public StructKind kind()
        {
            return StructKind.of(this);
        }

        /**
         * Looks up a named field's value.
         *
         * @param name field name.
         * @return the value, or null when there is no such field.
         */
        public Expression field(final String name)
        {
            for (final Expression item : items)
            {
                if (item instanceof Field f && f.name().equals(name))
                {
                    return f.value();
                }
            }
            return null;
        }
    }

    /**
     * {@code name(args)}, e.g. {@code htons(8080)} or {@code inet_addr("1.2.3.4")}.
     *
     * @param name      function name.
     * @param arguments arguments.
     */
    record Call(String name, List<Expression> arguments) implements Expression
    {
        /**
         * Copies the list.
         *
         * @param name      name.
         * @param arguments arguments.
         */
        public Call
        {
            arguments = List.copyOf(arguments);
        }
    }
}

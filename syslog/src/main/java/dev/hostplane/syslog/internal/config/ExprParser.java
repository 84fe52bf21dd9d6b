package dev.hostplane.syslog.internal.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import dev.hostplane.syslog.internal.message.PropertyId;
import dev.hostplane.syslog.internal.message.VarPath;
import dev.hostplane.syslog.internal.script.Expr;
import dev.hostplane.syslog.internal.script.Exprs;
import dev.hostplane.syslog.internal.script.FunctionCall;
import dev.hostplane.syslog.internal.script.Values;
import dev.hostplane.syslog.internal.template.Template;
import dev.hostplane.syslog.internal.template.TemplateParser;

/**
 * Recursive-descent parser for RainerScript expressions with rsyslog's precedence: {@code and}/{@code or}
 * (same level, left to right) &lt; comparisons &lt; {@code + - &} &lt; {@code * / %} &lt; unary.
 */
final class ExprParser
{
    private static final String[] COMPARE_WORDS = {"contains_i", "contains", "startswith_i", "startswith"};

    private final Scanner s;
    private final Function<String, Template> templates;
    private final Function<String, long[]> selectors;
    private final Function<String, java.util.Map<String, Object>> lookups;

    ExprParser(final Scanner s, final Function<String, Template> templates, final Function<String, long[]> selectors,
        final Function<String, java.util.Map<String, Object>> lookups)
    {
        this.s = s;
        this.templates = templates;
        this.selectors = selectors;
        this.lookups = lookups;
    }

    Expr parse()
    {
        return logic();
    }

    private String peekWord()
    {
        s.skip(true);
        final int save = s.pos;
        final String w = s.word().toLowerCase(Locale.ROOT);
        s.pos = save;
        return w;
    }

    private Expr logic()
    {
        Expr left = compare();
        while (true)
        {
            final String w = peekWord();
            if ("and".equals(w) || "or".equals(w))
            {
                s.pos += w.length();
                left = new Exprs.Binary(w, left, compare());
            }
            else
            {
                return left;
            }
        }
    }

    private Expr compare()
    {
        final Expr left = additive();
        s.skip(true);
        final char c = s.peek();
        final char d = s.peek(1);
        String op = null;
        if (c == '=' && d == '=')
        {
            op = "==";
        }
        else if (c == '!' && d == '=')
        {
            op = "!=";
        }
        else if (c == '<' && d == '>')
        {
            op = "<>";
        }
        else if (c == '<' && d == '=')
        {
            op = "<=";
        }
        else if (c == '>' && d == '=')
        {
            op = ">=";
        }
        else if (c == '<' || c == '>')
        {
            op = String.valueOf(c);
        }
        if (null != op)
        {
            s.pos += op.length();
            return new Exprs.Binary(op, left, additive());
        }
        final String w = peekWord();
        for (final String cw : COMPARE_WORDS)
        {
            if (cw.equals(w))
            {
                s.pos += w.length();
                return new Exprs.Binary(cw, left, additive());
            }
        }
        return left;
    }

    private Expr additive()
    {
        Expr left = multiplicative();
        while (true)
        {
            s.skip(true);
            final char c = s.peek();
            if (c == '+' || c == '-' || c == '&')
            {
                s.pos++;
                left = fold(String.valueOf(c), left, multiplicative());
            }
            else
            {
                return left;
            }
        }
    }

    private Expr multiplicative()
    {
        Expr left = unary();
        while (true)
        {
            s.skip(true);
            final char c = s.peek();
            if (c == '*' || c == '/' || c == '%')
            {
                s.pos++;
                left = fold(String.valueOf(c), left, unary());
            }
            else
            {
                return left;
            }
        }
    }

    /**
     * Arithmetic on two constants is computed once, as rsyslog's optimizer does; a string constant
     * is then read as a config number (hex and octal accepted), unlike at run time.
     */
    private static Expr fold(final String op, final Expr left, final Expr right)
    {
        if ("&".equals(op) || !(left instanceof Exprs.Literal) || !(right instanceof Exprs.Literal))
        {
            return new Exprs.Binary(op, left, right);
        }
        final long a = constant(((Exprs.Literal)left).value);
        final long b = constant(((Exprs.Literal)right).value);
        switch (op)
        {
            case "+":
                return new Exprs.Literal(a + b);
            case "-":
                return new Exprs.Literal(a - b);
            case "*":
                return new Exprs.Literal(a * b);
            case "/":
                return new Exprs.Literal(b == 0 ? 0L : a / b);
            default:
                return new Exprs.Literal(b == 0 ? 0L : a % b);
        }
    }

    private static long constant(final Object v)
    {
        return v instanceof String ? Values.constantNum((String)v) : (Long)v;
    }

    private Expr unary()
    {
        s.skip(true);
        if (s.peek() == '-')
        {
            s.pos++;
            return new Exprs.Negate(unary());
        }
        if ("not".equals(peekWord()))
        {
            s.pos += 3;
            return new Exprs.Not(unary());
        }
        return primary();
    }

    private Expr primary()
    {
        s.skip(true);
        final int at = s.pos;
        final char c = s.peek();
        if (c == '(')
        {
            s.pos++;
            final Expr e = logic();
            s.expect(')', "to close the parenthesis");
            return e;
        }
        if (c == '"' || c == '\'')
        {
            return new Exprs.Literal(s.string());
        }
        if (c >= '0' && c <= '9')
        {
            final String w = s.word();
            try
            {
                // rsyslog's lexer: 0x hex, a leading 0 makes octal, else decimal.
                if (w.startsWith("0x") || w.startsWith("0X"))
                {
                    return new Exprs.Literal(Long.parseLong(w.substring(2), 16));
                }
                if (w.length() > 1 && w.charAt(0) == '0')
                {
                    return new Exprs.Literal(Long.parseLong(w.substring(1), 8));
                }
                return new Exprs.Literal(Long.parseLong(w));
            }
            catch (final NumberFormatException ex)
            {
                throw s.error(at, "invalid number '" + w + "'");
            }
        }
        if (c == '[')
        {
            s.pos++;
            final List<Expr> elements = new ArrayList<>();
            while (true)
            {
                s.skip(true);
                if (s.peek() == ']')
                {
                    s.pos++;
                    return new Exprs.Array(elements);
                }
                elements.add(logic());
                s.skip(true);
                if (s.peek() == ',')
                {
                    s.pos++;
                }
                else if (s.peek() != ']')
                {
                    throw s.error("expected ',' or ']' in array, found " + s.describe());
                }
            }
        }
        if (c == '$')
        {
            return variable();
        }
        if (Character.isLetter(c))
        {
            final String name = s.word();
            s.skip(true);
            if (s.peek() != '(')
            {
                throw s.error(at, "unexpected '" + name + "': expected a value, variable or function call");
            }
            s.pos++;
            final List<Expr> args = new ArrayList<>();
            while (true)
            {
                s.skip(true);
                if (s.peek() == ')')
                {
                    s.pos++;
                    break;
                }
                args.add(logic());
                s.skip(true);
                if (s.peek() == ',')
                {
                    s.pos++;
                }
                else if (s.peek() != ')')
                {
                    throw s.error("expected ',' or ')' in call of " + name + "(), found " + s.describe());
                }
            }
            try
            {
                return new FunctionCall(name, args, templates, selectors, lookups);
            }
            catch (final IllegalArgumentException ex)
            {
                throw s.error(at, ex.getMessage());
            }
        }
        throw s.error(at, "expected an expression, found " + s.describe());
    }

    private Expr variable()
    {
        final int at = s.pos;
        s.pos++;
        final StringBuilder sb = new StringBuilder("$");
        if (s.peek() == '$')
        {
            s.pos++;
        }
        while (!s.eof())
        {
            final char c = s.peek();
            if (Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '!' || c == '.' || c == '/' ||
                c == '[' || c == ']' || c == '@')
            {
                if ((c == '.' || c == '/') && sb.length() > 1 && sb.charAt(1) != '!' && sb.charAt(1) != '.' &&
                    sb.charAt(1) != '/')
                {
                    break;
                }
                sb.append(c);
                s.pos++;
            }
            else
            {
                break;
            }
        }
        final String name = sb.toString();
        if (name.length() > 1 && (name.charAt(1) == '!' || name.charAt(1) == '.' || name.charAt(1) == '/'))
        {
            final VarPath p = VarPath.parse(name);
            if (null == p)
            {
                throw s.error(at, "invalid variable '" + name + "'");
            }
            return new Exprs.Variable(p);
        }
        final String prop = name.substring(1);
        int id = PropertyId.byName(prop);
        String lookup = prop;
        if (id < 0)
        {
            id = PropertyId.byName("$" + prop);
            lookup = "$" + prop;
        }
        if (id < 0)
        {
            throw s.error(at, "unknown property '" + name + "'");
        }
        return new Exprs.Property(TemplateParser.property(lookup));
    }
}

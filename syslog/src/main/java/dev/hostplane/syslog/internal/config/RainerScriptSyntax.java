package dev.hostplane.syslog.internal.config;

import java.util.Locale;

import dev.hostplane.syslog.internal.engine.Stmt;
import dev.hostplane.syslog.internal.engine.Stmts;
import dev.hostplane.syslog.internal.message.VarPath;
import dev.hostplane.syslog.internal.script.Expr;

/**
 * RainerScript statements: {@code if ... then ... else}, {@code set}/{@code unset}, {@code call},
 * {@code call_indirect}, {@code foreach}, blocks, and what may follow a filter (a block, an
 * {@code action()}, {@code stop}, {@code call} or a legacy action). Expressions are read by
 * {@link ExprParser}.
 */
final class RainerScriptSyntax
{
    private final ConfigParser c;

    RainerScriptSyntax(final ConfigParser c)
    {
        this.c = c;
    }

    /** After a filter: '{ }', action(), stop, call, or a legacy action to end of line. */
    Stmt actionList()
    {
        c.s.skip(true);
        final int start = c.s.pos;
        if (c.s.peek() == '{')
        {
            c.s.pos++;
            final Stmts.Block b = new Stmts.Block();
            c.parseStatements(b, false);
            c.s.expect('}', "to close the action block");
            return b;
        }
        final String word = c.s.word().toLowerCase(Locale.ROOT);
        c.s.skip(false);
        if ("action".equals(word) && c.s.peek() == '(')
        {
            return c.objects.object(start, "action");
        }
        if ("stop".equals(word))
        {
            return new Stmts.Stop();
        }
        if ("call".equals(word))
        {
            return call();
        }
        c.s.pos = start;
        return c.legacy.legacyAction(start, c.s.restOfLine());
    }

    Stmt parseIf()
    {
        final int at = c.s.pos;
        final Expr cond = new ExprParser(c.s, c::findTemplate, c::selectorMask, c.config.lookupTables::get).parse();
        c.s.skip(true);
        final String then = c.s.word();
        if (!"then".equalsIgnoreCase(then))
        {
            throw c.s.error("expected 'then' after the if condition, found " + (then.isEmpty() ? c.s.describe() :
                "'" + then + "'"));
        }
        final Stmt body = branch();
        final Stmts.Block bodyBlock = body instanceof Stmts.Block ? (Stmts.Block)body : wrap(body);
        Stmt otherwise = null;
        final int save = c.s.pos;
        c.s.skip(true);
        final String maybeElse = c.s.word();
        if ("else".equalsIgnoreCase(maybeElse))
        {
            otherwise = branch();
        }
        else
        {
            c.s.pos = save;
        }
        c.lastFilterBody = bodyBlock;
        if (at < 0)
        {
            throw c.s.error("unreachable");
        }
        return new Stmts.If(Optimizer.toFilter(cond), bodyBlock, otherwise);
    }

    static Stmts.Block wrap(final Stmt stmt)
    {
        final Stmts.Block b = new Stmts.Block();
        b.body.add(stmt);
        return b;
    }

    Stmt branch()
    {
        c.s.skip(true);
        final int start = c.s.pos;
        final char first = c.s.peek();
        if (first == '{')
        {
            return block();
        }
        final String word = c.s.word().toLowerCase(Locale.ROOT);
        switch (word)
        {
            case "if":
            case "set":
            case "unset":
            case "stop":
            case "continue":
            case "call":
            case "foreach":
            case "action":
            case "call_indirect":
            case "reset":
                c.s.pos = start;
                return c.parseStatement(false);
            default:
                c.s.pos = start;
                if (first == '$' || first == ':' || word.contains("."))
                {
                    return c.parseStatement(false);
                }
                return c.legacy.legacyAction(start, c.s.restOfLine());
        }
    }

    Stmt set()
    {
        c.s.skip(true);
        final int at = c.s.pos;
        final VarPath path = variableName();
        c.s.expect('=', "after the variable in 'set'");
        final Expr value = new ExprParser(c.s, c::findTemplate, c::selectorMask, c.config.lookupTables::get).parse();
        c.s.expect(';', "to end the 'set' statement");
        if (null == path)
        {
            throw c.s.error(at, "set: expected a variable like $!name, $.name or $/name");
        }
        return new Stmts.Set(path, value);
    }

    VarPath variableName()
    {
        final int at = c.s.pos;
        if (c.s.peek() != '$')
        {
            throw c.s.error("expected a variable like $!name");
        }
        c.s.pos++;
        final StringBuilder sb = new StringBuilder("$");
        while (!c.s.eof() && (c.s.isWordChar(c.s.peek()) || c.s.peek() == '!' || c.s.peek() == '/' || c.s.peek() == '[' ||
            c.s.peek() == ']'))
        {
            sb.append(c.s.peek());
            c.s.pos++;
        }
        final VarPath p = VarPath.parse(sb.toString());
        if (null == p)
        {
            throw c.s.error(at, "expected a variable like $!name, $.name or $/name, found '" + sb + "'");
        }
        return p;
    }

    Stmt unset()
    {
        c.s.skip(true);
        final VarPath path = variableName();
        c.s.expect(';', "to end the 'unset' statement");
        return new Stmts.Unset(path);
    }

    Stmt call()
    {
        c.s.skip(false);
        final int at = c.s.pos;
        final String name = c.s.word();
        if (name.isEmpty())
        {
            throw c.s.error(at, "call: expected a ruleset name");
        }
        final Stmts.Call call = new Stmts.Call(name);
        c.calls.add(call);
        return call;
    }

    Stmt foreach()
    {
        c.s.expect('(', "after foreach");
        c.s.skip(true);
        final VarPath it = variableName();
        c.s.skip(true);
        if (!"in".equalsIgnoreCase(c.s.word()))
        {
            throw c.s.error("foreach: expected 'in'");
        }
        final Expr collection = new ExprParser(c.s, c::findTemplate, c::selectorMask, c.config.lookupTables::get).parse();
        c.s.expect(')', "to close foreach");
        c.s.skip(true);
        if (!"do".equalsIgnoreCase(c.s.word()))
        {
            throw c.s.error("foreach: expected 'do'");
        }
        return new Stmts.Foreach(it, collection, branch());
    }

    /**
     * A braced statement block; the scanner stands on its '{'. Shared by the top-level statement and the
     * statement after if/else, which accept a block the same way.
     */
    Stmts.Block block()
    {
        c.s.pos++;
        final Stmts.Block b = new Stmts.Block();
        c.parseStatements(b, false);
        c.s.expect('}', "to close the block");
        return b;
    }

    Stmt callIndirect()
    {
        final Expr target = new ExprParser(c.s, c::findTemplate, c::selectorMask, c.config.lookupTables::get).parse();
        c.s.expect(';', "to end 'call_indirect'");
        return new CallIndirect(target, c.config.rulesets);
    }}

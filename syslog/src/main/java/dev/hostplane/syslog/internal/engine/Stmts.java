package dev.hostplane.syslog.internal.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.hostplane.syslog.internal.message.Json;
import dev.hostplane.syslog.internal.message.VarPath;
import dev.hostplane.syslog.internal.script.Expr;
import dev.hostplane.syslog.internal.template.RenderContext;

/**
 * The statement node types of the rule graph.
 */
public final class Stmts
{
    private Stmts()
    {
    }

    /** A sequence of statements. */
    public static final class Block implements Stmt
    {
        /** The statements (mutable while loading, for {@code &} continuation lines). */
        public final List<Stmt> body = new ArrayList<>();
        private RuleProgram program;

        /** Flattens the body (its nested blocks and branches already sealed) into the program the hot path runs. */
        public void seal()
        {
            program = RuleProgram.compile(body);
        }

        @Override
        public boolean exec(final RenderContext ctx)
        {
            final RuleProgram p = program;
            if (null != p)
            {
                return p.exec(ctx);
            }
            for (final Stmt s : body)
            {
                if (!s.exec(ctx))
                {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void describe(final StringBuilder out, final String indent)
        {
            for (final Stmt s : body)
            {
                s.describe(out, indent);
            }
        }
    }

    /** {@code if filter then ... else ...} and legacy filter lines. */
    public static final class If implements Stmt
    {
        /** Condition (replaced by the optimizer). */
        public Filter filter;
        /** Then branch. */
        public final Stmt then;
        /** Else branch or null. */
        public final Stmt otherwise;

        /**
         * Creates the node.
         *
         * @param filter    condition.
         * @param then      then branch.
         * @param otherwise else branch or null.
         */
        public If(final Filter filter, final Stmt then, final Stmt otherwise)
        {
            this.filter = filter;
            this.then = then;
            this.otherwise = otherwise;
        }

        @Override
        public boolean exec(final RenderContext ctx)
        {
            if (filter.test(ctx))
            {
                return then.exec(ctx);
            }
            return null == otherwise || otherwise.exec(ctx);
        }

        @Override
        public void describe(final StringBuilder out, final String indent)
        {
            out.append(indent).append("if ").append(filter).append('\n');
            then.describe(out, indent + "  ");
            if (null != otherwise)
            {
                out.append(indent).append("else\n");
                otherwise.describe(out, indent + "  ");
            }
        }
    }

    /** {@code stop} / {@code ~}. */
    public static final class Stop implements Stmt
    {
        @Override
        public boolean exec(final RenderContext ctx)
        {
            return false;
        }

        @Override
        public void describe(final StringBuilder out, final String indent)
        {
            out.append(indent).append("stop\n");
        }
    }

    /** An action invocation. */
    public static final class Act implements Stmt
    {
        /** The action. */
        public final Action action;

        /**
         * Creates the node.
         *
         * @param action action.
         */
        public Act(final Action action)
        {
            this.action = action;
        }

        @Override
        public boolean exec(final RenderContext ctx)
        {
            action.execute(ctx);
            return true;
        }

        @Override
        public void describe(final StringBuilder out, final String indent)
        {
            out.append(indent).append("action ").append(action).append('\n');
        }
    }

    /** {@code set $!x = expr;}. */
    public static final class Set implements Stmt
    {
        private final VarPath path;
        private final Expr expr;

        /**
         * Creates the node.
         *
         * @param path variable.
         * @param expr value.
         */
        public Set(final VarPath path, final Expr expr)
        {
            this.path = path;
            this.expr = expr;
        }

        @Override
        public boolean exec(final RenderContext ctx)
        {
            Object v = expr.eval(ctx);
            if (v instanceof Map || v instanceof List)
            {
                v = Json.copy(v);
            }
            path.set(ctx.message, ctx.globals, null == v ? "" : v);
            return true;
        }

        @Override
        public void describe(final StringBuilder out, final String indent)
        {
            out.append(indent).append("set ").append(path).append(" = ").append(expr).append('\n');
        }
    }

    /** {@code unset $!x;}. */
    public static final class Unset implements Stmt
    {
        private final VarPath path;

        /**
         * Creates the node.
         *
         * @param path variable.
         */
        public Unset(final VarPath path)
        {
            this.path = path;
        }

        @Override
        public boolean exec(final RenderContext ctx)
        {
            path.unset(ctx.message, ctx.globals);
            return true;
        }

        @Override
        public void describe(final StringBuilder out, final String indent)
        {
            out.append(indent).append("unset ").append(path).append('\n');
        }
    }

    /** {@code call ruleset}. */
    public static final class Call implements Stmt
    {
        /** Target name. */
        public final String name;
        /** Resolved target. */
        public Block target;

        /**
         * Creates the node.
         *
         * @param name ruleset name.
         */
        public Call(final String name)
        {
            this.name = name;
        }

        @Override
        public boolean exec(final RenderContext ctx)
        {
            return target.exec(ctx);
        }

        @Override
        public void describe(final StringBuilder out, final String indent)
        {
            out.append(indent).append("call ").append(name).append('\n');
        }
    }

    /** {@code foreach ($.i in expr) do ...}. */
    public static final class Foreach implements Stmt
    {
        private final VarPath iterator;
        private final Expr collection;
        private final Stmt body;

        /**
         * Creates the node.
         *
         * @param iterator   loop variable.
         * @param collection array or object expression.
         * @param body       loop body.
         */
        public Foreach(final VarPath iterator, final Expr collection, final Stmt body)
        {
            this.iterator = iterator;
            this.collection = collection;
            this.body = body;
        }

        @Override
        public boolean exec(final RenderContext ctx)
        {
            try
            {
                return loop(ctx);
            }
            finally
            {
                iterator.unset(ctx.message, ctx.globals);
            }
        }

        private boolean loop(final RenderContext ctx)
        {
            final Object c = collection.eval(ctx);
            if (c instanceof List)
            {
                for (final Object o : new ArrayList<>((List<?>)c))
                {
                    iterator.set(ctx.message, ctx.globals, Json.copy(o));
                    if (!body.exec(ctx))
                    {
                        return false;
                    }
                }
            }
            else if (c instanceof Map)
            {
                for (final Map.Entry<?, ?> e : new ArrayList<>(((Map<?, ?>)c).entrySet()))
                {
                    final Map<String, Object> pair = new java.util.LinkedHashMap<>();
                    pair.put("key", String.valueOf(e.getKey()));
                    pair.put("value", Json.copy(e.getValue()));
                    iterator.set(ctx.message, ctx.globals, pair);
                    if (!body.exec(ctx))
                    {
                        return false;
                    }
                }
            }
            return true;
        }

        @Override
        public void describe(final StringBuilder out, final String indent)
        {
            out.append(indent).append("foreach ").append(iterator).append(" in ").append(collection).append('\n');
            body.describe(out, indent + "  ");
        }
    }
}

package dev.hostplane.syslog.internal.engine;

import java.util.Arrays;

import dev.hostplane.syslog.internal.template.RenderContext;

/**
 * A block of statements flattened at config load into one array of instructions (test a filter and
 * jump, run an action, jump, stop, or run any other statement) that one small loop executes.
 * <p>
 * Walking the statement tree instead makes every message go through {@code If.exec} and
 * {@code Block.exec} recursively: the JIT then compiles one large method per nesting level with its
 * own inlined copy of the same filters and actions, which is most of the compile work a fresh daemon
 * does in its first messages. The loop here is compiled once, whatever the shape of the rules, and
 * calls the filters and actions through their interfaces.
 */
final class RuleProgram
{
    private static final byte TEST = 0;
    private static final byte ACT = 1;
    private static final byte JUMP = 2;
    private static final byte STOP = 3;
    private static final byte STMT = 4;

    private final byte[] ops;
    private final int[] targets;
    private final Filter[] filters;
    private final Action[] actions;
    private final Stmt[] stmts;

    private RuleProgram(final Builder b)
    {
        final int n = b.size;
        this.ops = Arrays.copyOf(b.ops, n);
        this.targets = Arrays.copyOf(b.targets, n);
        this.filters = Arrays.copyOf(b.filters, n);
        this.actions = Arrays.copyOf(b.actions, n);
        this.stmts = Arrays.copyOf(b.stmts, n);
    }

    /**
     * Flattens the statements of a block, nested blocks and if/else branches included.
     *
     * @param body the block's statements (already folded and sealed).
     * @return the program.
     */
    static RuleProgram compile(final Iterable<Stmt> body)
    {
        final Builder b = new Builder();
        for (final Stmt s : body)
        {
            b.emit(s);
        }
        return new RuleProgram(b);
    }

    /**
     * Runs the program for the current message.
     *
     * @param ctx context.
     * @return false when a {@code stop} (or a statement that stops) ended the message's processing.
     */
    boolean exec(final RenderContext ctx)
    {
        final byte[] ops = this.ops;
        final int end = ops.length;
        int pc = 0;
        while (pc < end)
        {
            switch (ops[pc])
            {
                case TEST:
                    pc = filters[pc].test(ctx) ? pc + 1 : targets[pc];
                    break;
                case ACT:
                    actions[pc].execute(ctx);
                    pc++;
                    break;
                case JUMP:
                    pc = targets[pc];
                    break;
                case STOP:
                    return false;
                default:
                    if (!stmts[pc].exec(ctx))
                    {
                        return false;
                    }
                    pc++;
                    break;
            }
        }
        return true;
    }

    /** The instruction count (for tests). */
    int size()
    {
        return ops.length;
    }

    private static final class Builder
    {
        private byte[] ops = new byte[16];
        private int[] targets = new int[16];
        private Filter[] filters = new Filter[16];
        private Action[] actions = new Action[16];
        private Stmt[] stmts = new Stmt[16];
        private int size;

        void emit(final Stmt s)
        {
            if (s instanceof Stmts.Block)
            {
                for (final Stmt child : ((Stmts.Block)s).body)
                {
                    emit(child);
                }
            }
            else if (s instanceof Stmts.If)
            {
                final Stmts.If f = (Stmts.If)s;
                final int test = add(TEST);
                filters[test] = f.filter;
                emit(f.then);
                if (null == f.otherwise)
                {
                    targets[test] = size;
                }
                else
                {
                    final int skipElse = add(JUMP);
                    targets[test] = size;
                    emit(f.otherwise);
                    targets[skipElse] = size;
                }
            }
            else if (s instanceof Stmts.Act)
            {
                final int at = add(ACT);
                actions[at] = ((Stmts.Act)s).action;
            }
            else if (s instanceof Stmts.Stop)
            {
                add(STOP);
            }
            else
            {
                final int at = add(STMT);
                stmts[at] = s;
            }
        }

        /** Appends an instruction; index the arrays only after it returns, as it may replace them. */
        private int add(final byte op)
        {
            if (size == ops.length)
            {
                final int n = size * 2;
                ops = Arrays.copyOf(ops, n);
                targets = Arrays.copyOf(targets, n);
                filters = Arrays.copyOf(filters, n);
                actions = Arrays.copyOf(actions, n);
                stmts = Arrays.copyOf(stmts, n);
            }
            ops[size] = op;
            return size++;
        }
    }
}

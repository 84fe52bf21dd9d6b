package dev.hostplane.syslog.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.hostplane.syslog.internal.message.EngineClock;
import dev.hostplane.syslog.internal.message.MessageParser;
import dev.hostplane.syslog.internal.message.SyslogMessage;
import dev.hostplane.syslog.internal.template.RenderContext;
import org.junit.jupiter.api.Test;

/**
 * The flattened rule program must do exactly what walking the statement tree does: same actions and
 * statements, same order, same stop.
 */
class RuleProgramTest
{
    private final List<String> trace = new ArrayList<>();
    private int input;

    @Test
    void shouldRunRandomRuleTreesExactlyAsTheTreeWalkDoes()
    {
        final Random random = new Random(42);
        final RenderContext ctx = new RenderContext(null, RenderContext.newGlobals());
        int programs = 0;
        for (int t = 0; t < 300; t++)
        {
            final Stmts.Block root = block(random, 0);
            final List<List<String>> walked = new ArrayList<>();
            final List<Boolean> walkedResults = new ArrayList<>();
            for (input = 0; input < 64; input++)
            {
                trace.clear();
                walkedResults.add(root.exec(ctx));
                walked.add(new ArrayList<>(trace));
            }
            root.seal();
            programs++;
            for (input = 0; input < 64; input++)
            {
                trace.clear();
                final boolean result = root.exec(ctx);
                final StringBuilder tree = new StringBuilder();
                root.describe(tree, "");
                assertThat(trace).as("tree %d, input %d:%n%s", t, input, tree).isEqualTo(walked.get(input));
                assertThat(result).as("tree %d, input %d: stop", t, input).isEqualTo(walkedResults.get(input));
            }
        }
        assertThat(programs).isEqualTo(300);
    }

    @Test
    void shouldFlattenNestedBranchesIntoOneProgram()
    {
        final Stmts.Block inner = new Stmts.Block();
        inner.body.add(act("a"));
        final Stmts.If elseIf = new Stmts.If(bit(1), inner, new Stmts.Stop());
        final Stmts.Block root = new Stmts.Block();
        root.body.add(new Stmts.If(bit(0), act("b"), elseIf));
        root.body.add(act("c"));
        // test bit0, act b, jump, test bit1, act a, jump, stop, act c
        assertThat(RuleProgram.compile(root.body).size()).isEqualTo(8);
        root.seal();
        final RenderContext ctx = new RenderContext(null, RenderContext.newGlobals());
        input = 0b10;
        trace.clear();
        assertThat(root.exec(ctx)).isTrue();
        assertThat(trace).containsExactly("?0", "?1", "acta", "actc");
        input = 0;
        trace.clear();
        assertThat(root.exec(ctx)).as("the else branch stops").isFalse();
        assertThat(trace).containsExactly("?0", "?1");
    }

    @Test
    void shouldCompareNumericPropertiesWithEveryOperator()
    {
        final EngineClock clock = new EngineClock(Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC),
            ZoneOffset.UTC, "localhost");
        final SyslogMessage m = new SyslogMessage();
        final byte[] frame = "<13>Nov 26 10:00:00 host app: x".getBytes(StandardCharsets.US_ASCII);
        final byte[] name = "test".getBytes(StandardCharsets.US_ASCII);
        new MessageParser().parse(m, frame, 0, frame.length, name, name, name, clock);
        final RenderContext ctx = new RenderContext(clock, RenderContext.newGlobals());
        ctx.message = m;
        // severity 5 (notice)
        final String[] ops = {"==", "!=", "<>", "<", ">", "<=", ">="};
        final boolean[] at5 = {true, false, false, false, false, true, true};
        final boolean[] at4 = {false, true, true, false, true, false, true};
        for (int i = 0; i < ops.length; i++)
        {
            assertThat(new Filters.NumericCompare(2, ops[i], 5).test(ctx)).as("5 %s 5", ops[i]).isEqualTo(at5[i]);
            assertThat(new Filters.NumericCompare(2, ops[i], 4).test(ctx)).as("5 %s 4", ops[i]).isEqualTo(at4[i]);
        }
        assertThat(new Filters.NumericCompare(0, "==", 13).test(ctx)).as("$pri").isTrue();
        assertThat(new Filters.NumericCompare(1, "==", 1).test(ctx)).as("$syslogfacility").isTrue();
    }

    private Stmts.Block block(final Random random, final int depth)
    {
        final Stmts.Block b = new Stmts.Block();
        final int n = random.nextInt(depth == 0 ? 6 : 4) + (depth == 0 ? 1 : 0);
        for (int i = 0; i < n; i++)
        {
            b.body.add(stmt(random, depth + 1));
        }
        return b;
    }

    private Stmt stmt(final Random random, final int depth)
    {
        final int kind = random.nextInt(depth > 3 ? 3 : 6);
        final String id = Integer.toString(random.nextInt(1000));
        switch (kind)
        {
            case 0:
                return act(id);
            case 1:
                return random.nextInt(4) == 0 ? new Stmts.Stop() : generic(id, random.nextInt(8) != 0);
            case 2:
                return generic(id, true);
            case 3:
                return block(random, depth);
            default:
                final Stmt then = random.nextBoolean() ? block(random, depth) : stmt(random, depth + 1);
                final Stmt otherwise = random.nextInt(3) == 0 ? null : random.nextBoolean() ? block(random, depth) :
                    stmt(random, depth + 1);
                return new Stmts.If(bit(random.nextInt(6)), then, otherwise);
        }
    }

    private Filter bit(final int bit)
    {
        return new Filter()
        {
            @Override
            public boolean test(final RenderContext ctx)
            {
                trace.add("?" + bit);
                return (input & (1 << bit)) != 0;
            }

            @Override
            public String toString()
            {
                return "bit" + bit;
            }
        };
    }

    private Stmts.Act act(final String id)
    {
        return new Stmts.Act(new Action()
        {
            @Override
            public void execute(final RenderContext ctx)
            {
                trace.add("act" + id);
            }

            @Override
            public String toString()
            {
                return "act" + id;
            }
        });
    }

    /** Any other statement (set, call, foreach...): run as it is, its false stops the message. */
    private Stmt generic(final String id, final boolean continues)
    {
        return new Stmt()
        {
            @Override
            public boolean exec(final RenderContext ctx)
            {
                trace.add("stmt" + id);
                return continues;
            }

            @Override
            public void describe(final StringBuilder out, final String indent)
            {
                out.append(indent).append("stmt").append(id).append(continues ? "" : " (stops)").append('\n');
            }
        };
    }
}

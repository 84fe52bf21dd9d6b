package dev.hostplane.syslog.internal.explain;

import java.nio.charset.StandardCharsets;

import dev.hostplane.syslog.internal.engine.Action;
import dev.hostplane.syslog.internal.engine.Stmt;
import dev.hostplane.syslog.internal.engine.Stmts;
import dev.hostplane.syslog.internal.message.ByteSink;
import dev.hostplane.syslog.internal.template.RenderContext;
import dev.hostplane.syslog.internal.template.Template;
import dev.hostplane.syslog.internal.template.TemplateParser;

/**
 * {@code hostplane syslog explain}: walks the compiled rule graph for one parsed message and reports
 * every filter with its outcome and every action the message reaches, without writing any output.
 * Message modification actions (mm*) and {@code set}/{@code unset} do run, because later filters
 * see their effect; {@code foreach} and {@code call_indirect} bodies run untraced (outputs inside
 * them do write).
 */
public final class Explainer
{
    private static final Template PROPERTIES = new Template("explain", TemplateParser.parse(
        "pri=%pri% (%syslogfacility-text%.%syslogseverity-text%) hostname=%hostname% programname=%programname% " +
        "syslogtag=%syslogtag% fromhost-ip=%fromhost-ip% inputname=%inputname%\nmsg=%msg%", false),
        Template.OPTION_NONE, null);

    private final StringBuilder out = new StringBuilder();
    private final RenderContext ctx;
    private int actionsReached;

    private Explainer(final RenderContext ctx)
    {
        this.ctx = ctx;
    }

    /**
     * Explains one message already parsed into {@code ctx.message}.
     *
     * @param ruleset     the ruleset the input is bound to.
     * @param rulesetName its name.
     * @param ctx         context holding the message.
     * @return the report.
     */
    public static String explain(final Stmts.Block ruleset, final String rulesetName, final RenderContext ctx)
    {
        final Explainer e = new Explainer(ctx);
        final ByteSink props = new ByteSink();
        PROPERTIES.render(ctx, props);
        e.out.append("message: ").append(new String(props.array(), 0, props.length(), StandardCharsets.UTF_8))
            .append('\n');
        e.out.append("ruleset ").append(rulesetName).append('\n');
        final boolean completed = e.walk(ruleset, "  ");
        e.out.append(completed ? "end of ruleset" : "processing stopped").append(": ").append(e.actionsReached)
            .append(e.actionsReached == 1 ? " action reached\n" : " actions reached\n");
        return e.out.toString();
    }

    private boolean walk(final Stmt stmt, final String indent)
    {
        if (stmt instanceof Stmts.Block)
        {
            for (final Stmt s : ((Stmts.Block)stmt).body)
            {
                if (!walk(s, indent))
                {
                    return false;
                }
            }
            return true;
        }
        if (stmt instanceof Stmts.If)
        {
            final Stmts.If node = (Stmts.If)stmt;
            final boolean match = node.filter.test(ctx);
            out.append(indent).append("filter ").append(node.filter).append(match ? "  => MATCH\n" : "  => no match\n");
            if (match)
            {
                return walk(node.then, indent + "  ");
            }
            if (null != node.otherwise)
            {
                out.append(indent).append("else\n");
                return walk(node.otherwise, indent + "  ");
            }
            return true;
        }
        if (stmt instanceof Stmts.Stop)
        {
            out.append(indent).append("stop  => processing of this message ends\n");
            return false;
        }
        if (stmt instanceof Stmts.Act)
        {
            final Action a = ((Stmts.Act)stmt).action;
            final boolean modifies = a.getClass().getSimpleName().startsWith("Mm");
            actionsReached++;
            out.append(indent).append("action ").append(a).append(modifies ? "  => REACHED (run: modifies the message)\n" :
                "  => REACHED\n");
            if (modifies)
            {
                a.execute(ctx);
            }
            return true;
        }
        if (stmt instanceof Stmts.Call)
        {
            final Stmts.Call call = (Stmts.Call)stmt;
            out.append(indent).append("call ").append(call.name).append('\n');
            return walk(call.target, indent + "  ");
        }
        final StringBuilder d = new StringBuilder();
        stmt.describe(d, "");
        final String text = d.toString().trim();
        out.append(indent).append(text.contains("\n") ? text.substring(0, text.indexOf('\n')) : text)
            .append("  => executed (not traced)\n");
        return stmt.exec(ctx);
    }
}

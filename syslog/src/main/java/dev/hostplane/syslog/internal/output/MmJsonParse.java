package dev.hostplane.syslog.internal.output;

import java.util.Map;

import dev.hostplane.syslog.internal.engine.Action;
import dev.hostplane.syslog.internal.message.ByteView;
import dev.hostplane.syslog.internal.message.ByteSink;
import dev.hostplane.syslog.internal.message.Json;
import dev.hostplane.syslog.internal.message.PropertyId;
import dev.hostplane.syslog.internal.message.VarPath;
import dev.hostplane.syslog.internal.template.RenderContext;

/**
 * mmjsonparse: parses a CEE-cookie JSON message ({@code @cee: {...}}) into the {@code $!} tree;
 * when the message is not such JSON, stores it as {@code $!msg} as rsyslog does.
 */
public final class MmJsonParse implements Action
{
    private final String cookie;
    private final boolean useRawMsg;
    private final VarPath container;
    private final ByteView view = new ByteView();
    private final ByteSink scratch = new ByteSink(64);

    /**
     * Creates the action.
     *
     * @param cookie    cookie text (may be empty).
     * @param useRawMsg parse rawmsg instead of msg.
     * @param container target tree (default {@code $!}).
     */
    public MmJsonParse(final String cookie, final boolean useRawMsg, final String container)
    {
        this.cookie = cookie;
        this.useRawMsg = useRawMsg;
        this.container = VarPath.parse(container);
    }

    @Override
    public void execute(final RenderContext ctx)
    {
        ctx.message.property(useRawMsg ? PropertyId.RAWMSG : PropertyId.MSG, view, scratch, ctx.clock);
        final String text = view.toString();
        int p = 0;
        while (p < text.length() && text.charAt(p) == ' ')
        {
            p++;
        }
        Object parsed = null;
        final boolean hasCookie = text.startsWith(cookie, p);
        if (hasCookie)
        {
            p += cookie.length();
            final int afterCookie = p;
            while (p < text.length() && text.charAt(p) == ' ')
            {
                p++;
            }
            parsed = Json.parse(text, p);
            p = afterCookie;
        }
        if (parsed instanceof Map)
        {
            container.set(ctx.message, ctx.globals, parsed);
            ctx.message.parseSuccess(true);
        }
        else
        {
            final Map<String, Object> failed = new java.util.LinkedHashMap<>();
            failed.put("msg", text.substring(Math.min(p, text.length())));
            container.set(ctx.message, ctx.globals, failed);
            ctx.message.parseSuccess(false);
        }
    }

    @Override
    public String toString()
    {
        return "mmjsonparse(cookie=\"" + cookie + "\", container=" + container + ")";
    }
}

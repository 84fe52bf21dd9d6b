package dev.hostplane.syslog.internal.template;

import java.util.List;

import dev.hostplane.syslog.internal.message.ByteSink;
import dev.hostplane.syslog.internal.message.PropertyId;
import dev.hostplane.syslog.internal.message.SyslogMessage;
import dev.hostplane.syslog.internal.message.VarPath;

/**
 * A compiled template: constants and property references rendered in order, or a subtree.
 * Rendering into a reused {@link ByteSink} allocates nothing for plain properties.
 */
public final class Template
{
    private final String name;
    private final Object[] items;
    /** No template-level option. */
    public static final int OPTION_NONE = 0;
    /** {@code option.json}: JSON-escape property values. */
    public static final int OPTION_JSON = 1;
    /** {@code option.jsonf}: render the items as one JSON object. */
    public static final int OPTION_JSONF = 2;
    /** {@code option.sql}: MySQL escaping. */
    public static final int OPTION_SQL = 3;
    /** {@code option.stdsql}: standard SQL escaping. */
    public static final int OPTION_STDSQL = 4;

    private final int option;
    private final boolean cacheable;
    private final ByteSink cache = new ByteSink(256);
    private SyslogMessage cachedMessage;
    private long cachedSequence = -1;
    private final VarPath subtree;

    /**
     * Creates a template.
     *
     * @param name       template name.
     * @param items      {@code byte[]} constants and {@link PropertySpec} references.
     * @param option     one of the {@code OPTION_*} constants.
     * @param subtree    for {@code type="subtree"}, else null.
     */
    public Template(final String name, final List<Object> items, final int option, final VarPath subtree)
    {
        this.name = name;
        this.items = items.toArray();
        this.option = option;
        this.subtree = subtree;
        boolean pure = true;
        for (final Object item : this.items)
        {
            if (item instanceof PropertySpec)
            {
                final int id = ((PropertySpec)item).id;
                // Only properties fixed for the message's lifetime: no variables, no clock, no $parsesuccess.
                if (id == PropertyId.VARIABLE || id == PropertyId.PARSESUCCESS || id >= PropertyId.SYS_NOW)
                {
                    pure = false;
                }
            }
        }
        this.cacheable = pure;
    }

    /**
     * The template's name.
     *
     * @return name.
     */
    public String name()
    {
        return name;
    }

    /**
     * Renders the template for the current message.
     *
     * @param ctx context with the message.
     * @param out destination (appended to).
     */
    public void render(final RenderContext ctx, final ByteSink out)
    {
        if (null != subtree)
        {
            // omfile receives nothing from a subtree template in rsyslog 8.2302 (it wants a string).
            return;
        }
        if (cacheable)
        {
            // Several actions often share a template (RSYSLOG_FileFormat): render once per message.
            final SyslogMessage m = ctx.message;
            if (m != cachedMessage || m.sequence() != cachedSequence)
            {
                cache.clear();
                renderItems(ctx, cache);
                cachedMessage = m;
                cachedSequence = m.sequence();
            }
            out.put(cache.array(), 0, cache.length());
            return;
        }
        renderItems(ctx, out);
    }

    private void renderItems(final RenderContext ctx, final ByteSink out)
    {
        final Object[] items = this.items;
        if (OPTION_JSONF == option)
        {
            out.put('{');
            boolean first = true;
            for (final Object item : items)
            {
                final int mark = out.length();
                if (!first)
                {
                    out.put(',').put(' ');
                }
                final int afterSeparator = out.length();
                if (item instanceof byte[])
                {
                    out.put((byte[])item);
                }
                else
                {
                    ((PropertySpec)item).renderJsonField(ctx, out);
                }
                if (out.length() == afterSeparator)
                {
                    out.setLength(mark);
                }
                else
                {
                    first = false;
                }
            }
            out.put('}').put('\n');
            return;
        }
        for (final Object item : items)
        {
            if (item instanceof byte[])
            {
                out.put((byte[])item);
            }
            else
            {
                ((PropertySpec)item).render(ctx, out, option);
            }
        }
    }

    /**
     * A description for {@code syslog check}.
     *
     * @return text.
     */
    @Override
    public String toString()
    {
        return "template(" + name + ", items=" + items.length + (null != subtree ? ", subtree=" + subtree : "") + ")";
    }
}

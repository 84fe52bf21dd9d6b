package dev.hostplane.syslog.internal.template;

import java.util.List;

import dev.hostplane.syslog.internal.message.ByteSink;
import dev.hostplane.syslog.internal.message.Json;
import dev.hostplane.syslog.internal.message.VarPath;

/**
 * A compiled template: constants and property references rendered in order, or a subtree.
 * Rendering into a reused {@link ByteSink} allocates nothing for plain properties.
 */
public final class Template
{
    private final String name;
    private final Object[] items;
    private final boolean jsonEscape;
    private final VarPath subtree;

    /**
     * Creates a template.
     *
     * @param name       template name.
     * @param items      {@code byte[]} constants and {@link PropertySpec} references.
     * @param jsonEscape {@code option.json}.
     * @param subtree    for {@code type="subtree"}, else null.
     */
    public Template(final String name, final List<Object> items, final boolean jsonEscape, final VarPath subtree)
    {
        this.name = name;
        this.items = items.toArray();
        this.jsonEscape = jsonEscape;
        this.subtree = subtree;
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
            final Object v = subtree.get(ctx.message, ctx.globals);
            Json.render(null == v ? new java.util.LinkedHashMap<String, Object>() : v, out);
            return;
        }
        final Object[] items = this.items;
        for (final Object item : items)
        {
            if (item instanceof byte[])
            {
                out.put((byte[])item);
            }
            else
            {
                ((PropertySpec)item).render(ctx, out, jsonEscape);
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

package dev.hostplane.syslog.internal.forward;

import dev.hostplane.syslog.internal.engine.Action;
import dev.hostplane.syslog.internal.engine.ActionStats;
import dev.hostplane.syslog.internal.message.ByteSink;
import dev.hostplane.syslog.internal.queue.ActionQueue;
import dev.hostplane.syslog.internal.queue.Deliverer;
import dev.hostplane.syslog.internal.queue.QueueOptions;
import dev.hostplane.syslog.internal.template.RenderContext;
import dev.hostplane.syslog.internal.template.Template;

/**
 * An output that renders its template on the rule thread and hands the bytes to its own
 * {@link ActionQueue} (omfwd, ompipe, omstdout), so a slow or dead target never stalls file
 * outputs until its queue is full. The queue starts with the first message (in the daemon, with the
 * daemon when the transport asks for it), so {@code check} and
 * {@code replay} of a config with forwarding rules open no connections.
 */
public final class QueuedOutput implements Action
{
    private final String kind;
    private final Deliverer deliverer;
    private final Renderer renderer;
    private final String templateName;
    private final QueueOptions options;
    private final ByteSink line = new ByteSink();
    private volatile ActionQueue queue;

    QueuedOutput(final String kind, final Deliverer deliverer, final Template template, final QueueOptions options)
    {
        this(kind, deliverer, template::render, template.name(), options);
    }

    private QueuedOutput(final String kind, final Deliverer deliverer, final Renderer renderer, final String templateName,
        final QueueOptions options)
    {
        this.kind = kind;
        this.deliverer = deliverer;
        this.renderer = renderer;
        this.templateName = templateName;
        this.options = options;
        if (options.diskAssisted() && spoolHasData(options.spoolFile))
        {
            // Messages a previous run could not deliver: send them now, not only when new ones arrive.
            start();
        }
    }

    /**
     * An output whose queued record is made by {@code renderer} (outputs that need more than one
     * template per message pack them into one record their deliverer unpacks).
     *
     * @param kind         module name, for messages.
     * @param deliverer    the transport.
     * @param renderer     writes one message's record.
     * @param templateName the template named in messages.
     * @param options      queue options.
     * @return the output.
     */
    public static QueuedOutput of(final String kind, final Deliverer deliverer, final Renderer renderer,
        final String templateName, final QueueOptions options)
    {
        return new QueuedOutput(kind, deliverer, renderer, templateName, options);
    }

    /** Renders one message into the bytes the queue keeps for it. */
    @FunctionalInterface
    public interface Renderer
    {
        /**
         * Renders the current message.
         *
         * @param ctx the message.
         * @param out destination (empty on entry).
         */
        void render(RenderContext ctx, ByteSink out);
    }

    private static boolean spoolHasData(final java.nio.file.Path file)
    {
        try
        {
            return java.nio.file.Files.isRegularFile(file) && java.nio.file.Files.size(file) > 8;
        }
        catch (final java.io.IOException ex)
        {
            return false;
        }
    }

    @Override
    public void execute(final RenderContext ctx)
    {
        line.clear();
        renderer.render(ctx, line);
        if (null == queue)
        {
            queue = new ActionQueue(kind + "-" + deliverer.target(), deliverer, options);
        }
        queue.offer(line.array(), 0, line.length());
    }

    @Override
    public ActionStats stats()
    {
        final ActionQueue q = queue;
        if (null == q)
        {
            return new ActionStats(kind + "(" + deliverer.target() + ")", false, 0, 0, 0, 0, null);
        }
        return new ActionStats(kind + "(" + deliverer.target() + ")", q.suspended(), q.suspensions(), q.retries(),
            q.pending(), q.dropped(), q.lastError());
    }

    /**
     * Starts the queue now (the daemon does this so a disk spool left by a previous run is
     * delivered even before new messages arrive).
     */
    public void start()
    {
        if (null == queue)
        {
            queue = new ActionQueue(kind + "-" + deliverer.target(), deliverer, options);
        }
    }

    /** Starts the queue with the daemon when its transport asks for it ({@link Deliverer#startsWithDaemon()}). */
    @Override
    public void daemonStarting()
    {
        if (deliverer.startsWithDaemon())
        {
            start();
        }
    }

    /**
     * The queue, or null before the first message.
     *
     * @return queue.
     */
    public ActionQueue queue()
    {
        return queue;
    }

    /** Log rotation concerns files only: the connection stays. */
    @Override
    public void reopen()
    {
    }

    @Override
    public void close()
    {
        if (null != queue)
        {
            queue.close();
            queue = null;
        }
    }

    @Override
    public String toString()
    {
        return kind + "(target=" + deliverer.target() + ", template=" + templateName +
            (options.diskAssisted() ? ", spool=" + options.spoolFile : "") + ")";
    }
}

package dev.hostplane.syslog.internal.output;

import java.io.IOException;
import java.nio.file.Path;

import dev.hostplane.syslog.internal.engine.Action;
import dev.hostplane.syslog.internal.engine.ActionStats;
import dev.hostplane.syslog.internal.engine.Resumption;
import dev.hostplane.syslog.internal.message.ByteSink;
import dev.hostplane.syslog.internal.template.RenderContext;
import dev.hostplane.syslog.internal.template.Template;

/**
 * omfile with a static file name: renders the template and appends the line. When the file cannot
 * be written the action is suspended and retried as {@link Resumption} says, holding up to
 * {@link FileOptions#holdLimit} messages meanwhile; they are written, in order, once the file takes
 * writes again.
 */
public final class OmFile implements Action
{
    private final FileSink sink;
    private final Template template;
    private final FileOptions options;
    private final Resumption resumption;
    private final ByteSink line = new ByteSink();

    /**
     * Creates the action.
     *
     * @param path       file.
     * @param template   template.
     * @param options    file options.
     * @param resumption suspend/resume rules.
     */
    public OmFile(final Path path, final Template template, final FileOptions options, final Resumption resumption)
    {
        this.sink = new FileSink(path, options);
        this.template = template;
        this.options = options;
        this.resumption = resumption;
    }

    @Override
    public void execute(final RenderContext ctx)
    {
        line.clear();
        template.render(ctx, line);
        if (resumption.suspended() && resumption.due())
        {
            retry();
        }
        if (sink.held() >= options.holdLimit && !makeRoom())
        {
            return;
        }
        try
        {
            sink.write(line.array(), 0, line.length());
        }
        catch (final IOException ex)
        {
            resumption.failed(ex, sink.pending());
        }
    }

    /** The backlog is full: wait for the file ({@code resumeRetryCount=-1}) or give this message up. */
    private boolean makeRoom()
    {
        if (!resumption.waitWhenFull())
        {
            resumption.discarded(1, "the file still fails and " + options.holdLimit + " messages are already held");
            return false;
        }
        while (sink.held() >= options.holdLimit)
        {
            resumption.awaitRetry();
            retry();
            if (Thread.currentThread().isInterrupted())
            {
                return false;
            }
        }
        return true;
    }

    private void retry()
    {
        final long pending = sink.pending();
        try
        {
            sink.flush();
            resumption.succeeded(pending);
        }
        catch (final IOException ex)
        {
            resumption.failed(ex, sink.pending());
        }
    }

    @Override
    public void flush()
    {
        if (resumption.due())
        {
            retry();
        }
    }

    @Override
    public void close()
    {
        try
        {
            sink.close();
        }
        catch (final IOException ex)
        {
            resumption.discarded(sink.pending(), "the file still fails at close: " + ex.getMessage());
            sink.abandon();
        }
    }

    @Override
    public ActionStats stats()
    {
        return resumption.stats(sink.pending());
    }

    @Override
    public String toString()
    {
        return "omfile(file=" + sink.path() + ", template=" + template.name() + ")";
    }
}

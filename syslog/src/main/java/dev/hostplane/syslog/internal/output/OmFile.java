package dev.hostplane.syslog.internal.output;

import java.nio.file.Path;

import dev.hostplane.syslog.internal.engine.Action;
import dev.hostplane.syslog.internal.message.ByteSink;
import dev.hostplane.syslog.internal.template.RenderContext;
import dev.hostplane.syslog.internal.template.Template;

/**
 * omfile with a static file name: renders the template and appends the line.
 */
public final class OmFile implements Action
{
    private final FileSink sink;
    private final Template template;
    private final ByteSink line = new ByteSink();

    /**
     * Creates the action.
     *
     * @param path     file.
     * @param template template.
     * @param options  file options.
     */
    public OmFile(final Path path, final Template template, final FileOptions options)
    {
        this.sink = new FileSink(path, options);
        this.template = template;
    }

    @Override
    public void execute(final RenderContext ctx)
    {
        line.clear();
        template.render(ctx, line);
        sink.write(line.array(), 0, line.length());
    }

    @Override
    public void flush()
    {
        sink.flush();
    }

    @Override
    public void close()
    {
        sink.close();
    }

    @Override
    public String toString()
    {
        return "omfile(file=" + sink.path() + ", template=" + template.name() + ")";
    }
}

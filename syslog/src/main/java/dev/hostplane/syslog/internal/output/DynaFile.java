package dev.hostplane.syslog.internal.output;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.hostplane.syslog.internal.engine.Action;
import dev.hostplane.syslog.internal.message.ByteSink;
import dev.hostplane.syslog.internal.template.RenderContext;
import dev.hostplane.syslog.internal.template.Template;

/**
 * omfile with a dynamic file name ({@code ?template} / {@code dynaFile=}): the name template is
 * rendered per message and open files are kept in an LRU cache of {@code dynaFileCacheSize}.
 */
public final class DynaFile implements Action
{
    private final Template nameTemplate;
    private final Template template;
    private final FileOptions options;
    private final ByteSink name = new ByteSink(256);
    private final ByteSink line = new ByteSink();
    private final LinkedHashMap<String, FileSink> open = new LinkedHashMap<>(16, 0.75f, true);
    private byte[] lastName = new byte[0];
    private FileSink lastSink;

    /**
     * Creates the action.
     *
     * @param nameTemplate template producing the path.
     * @param template     line template.
     * @param options      file options.
     */
    public DynaFile(final Template nameTemplate, final Template template, final FileOptions options)
    {
        this.nameTemplate = nameTemplate;
        this.template = template;
        this.options = options;
    }

    @Override
    public void execute(final RenderContext ctx)
    {
        name.clear();
        nameTemplate.render(ctx, name);
        if (name.length() == 0)
        {
            return;
        }
        final FileSink sink = sinkFor();
        line.clear();
        template.render(ctx, line);
        sink.write(line.array(), 0, line.length());
    }

    private FileSink sinkFor()
    {
        if (null != lastSink && java.util.Arrays.equals(lastName, 0, lastName.length, name.array(), 0, name.length()))
        {
            // Same file as the previous message: no String, no map lookup.
            return lastSink;
        }
        final String key = name.toString();
        FileSink sink = open.get(key);
        if (null == sink)
        {
            if (open.size() >= Math.max(1, options.dynaFileCacheSize))
            {
                final Iterator<Map.Entry<String, FileSink>> it = open.entrySet().iterator();
                final Map.Entry<String, FileSink> eldest = it.next();
                eldest.getValue().close();
                if (eldest.getValue() == lastSink)
                {
                    lastSink = null;
                }
                it.remove();
            }
            final Path path = Paths.get(new String(key.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                java.nio.charset.StandardCharsets.UTF_8));
            sink = new FileSink(path, options);
            open.put(key, sink);
        }
        lastName = name.toByteArray();
        lastSink = sink;
        return sink;
    }

    @Override
    public void flush()
    {
        for (final FileSink s : open.values())
        {
            s.flush();
        }
    }

    @Override
    public void close()
    {
        for (final FileSink s : open.values())
        {
            s.close();
        }
        open.clear();
        lastName = new byte[0];
        lastSink = null;
    }

    @Override
    public String toString()
    {
        return "omfile(dynaFile=" + nameTemplate.name() + ", template=" + template.name() + ", cache=" +
            options.dynaFileCacheSize + ")";
    }
}

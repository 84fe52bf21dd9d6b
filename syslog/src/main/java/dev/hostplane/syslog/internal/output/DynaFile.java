package dev.hostplane.syslog.internal.output;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.hostplane.syslog.internal.engine.Action;
import dev.hostplane.syslog.internal.engine.ActionStats;
import dev.hostplane.syslog.internal.engine.Resumption;
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
    private final Resumption resumption;
    private byte[] lastName = new byte[0];
    private FileSink lastSink;

    /**
     * Creates the action.
     *
     * @param nameTemplate template producing the path.
     * @param template     line template.
     * @param options      file options.
     * @param resumption   suspend/resume rules (one outage for all its files).
     */
    public DynaFile(final Template nameTemplate, final Template template, final FileOptions options,
        final Resumption resumption)
    {
        this.resumption = resumption;
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
        if (resumption.suspended() && resumption.due())
        {
            retry();
        }
        if (held() >= options.holdLimit && !makeRoom())
        {
            return;
        }
        try
        {
            sink.write(line.array(), 0, line.length());
        }
        catch (final IOException ex)
        {
            resumption.failed(ex, pending());
        }
    }

    private long held()
    {
        long n = 0;
        for (final FileSink s : open.values())
        {
            n += s.held();
        }
        return n;
    }

    private long pending()
    {
        long n = 0;
        for (final FileSink s : open.values())
        {
            n += s.pending();
        }
        return n;
    }

    /** The backlog is full: wait for the files ({@code resumeRetryCount=-1}) or give this message up. */
    private boolean makeRoom()
    {
        if (!resumption.waitWhenFull())
        {
            resumption.discarded(1, "files still fail and " + options.holdLimit + " messages are already held");
            return false;
        }
        while (held() >= options.holdLimit && !Thread.currentThread().isInterrupted())
        {
            resumption.awaitRetry();
            retry();
        }
        return !Thread.currentThread().isInterrupted();
    }

    /** Writes every file's pending messages; the outage ends when all of them went through. */
    private void retry()
    {
        final long before = pending();
        IOException failure = null;
        for (final FileSink s : open.values())
        {
            try
            {
                s.flush();
            }
            catch (final IOException ex)
            {
                failure = ex;
            }
        }
        if (null == failure)
        {
            resumption.succeeded(before);
        }
        else
        {
            resumption.failed(failure, pending());
        }
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
                evictOne();
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

    /** Closes the least recently used file that has nothing pending (a failing one keeps its messages). */
    private void evictOne()
    {
        final Iterator<Map.Entry<String, FileSink>> it = open.entrySet().iterator();
        while (it.hasNext())
        {
            final FileSink s = it.next().getValue();
            if (s.pending() > 0)
            {
                try
                {
                    s.flush();
                }
                catch (final IOException ex)
                {
                    resumption.failed(ex, pending());
                    continue;
                }
            }
            try
            {
                s.close();
            }
            catch (final IOException ex)
            {
                continue;
            }
            if (s == lastSink)
            {
                lastSink = null;
            }
            it.remove();
            return;
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
        for (final FileSink s : open.values())
        {
            try
            {
                s.close();
            }
            catch (final IOException ex)
            {
                resumption.discarded(s.pending(), "the file still fails at close: " + ex.getMessage());
                s.abandon();
            }
        }
        open.clear();
        lastName = new byte[0];
        lastSink = null;
    }

    @Override
    public ActionStats stats()
    {
        return resumption.stats(pending());
    }

    @Override
    public String toString()
    {
        return "omfile(dynaFile=" + nameTemplate.name() + ", template=" + template.name() + ", cache=" +
            options.dynaFileCacheSize + ")";
    }
}

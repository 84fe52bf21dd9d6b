package dev.hostplane.iopipe.netty;

import java.util.Objects;

import dev.hostplane.iopipe.Source;
import dev.hostplane.iopipe.TransferOptions;

/**
 * A message for a Netty pipeline that holds a {@link PipeHandler}: "send this source as the next bytes
 * of the connection". Write it after the header (for example an {@code HttpResponse} with a
 * {@code Content-Length}); the write's promise completes when the body has been piped.
 */
public final class PipeBody
{
    private final Source source;
    private final TransferOptions options;

    /**
     * Creates the message.
     *
     * @param source  the body, usually a file region.
     * @param options tenant, progress, timeout.
     */
    public PipeBody(final Source source, final TransferOptions options)
    {
        this.source = Objects.requireNonNull(source, "source");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * The body source.
     *
     * @return the source.
     */
    public Source source()
    {
        return source;
    }

    /**
     * The transfer options.
     *
     * @return the options.
     */
    public TransferOptions options()
    {
        return options;
    }
}

package dev.hostplane.syslog.internal.forward;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

import dev.hostplane.syslog.internal.queue.Deliverer;

/**
 * ompipe (a named pipe, opened for writing when the first message comes, reopened after an error)
 * and omstdout (the process's standard output): rendered messages written as they are.
 */
final class StreamDeliverer implements Deliverer
{
    private final Path pipe;
    private final byte[] buffer = new byte[64 * 1024];
    private int used;
    private OutputStream out;
    private long written;

    /**
     * Creates a deliverer.
     *
     * @param pipe the FIFO, or null for standard output.
     */
    StreamDeliverer(final Path pipe)
    {
        this.pipe = pipe;
    }

    @Override
    public void open() throws IOException
    {
        if (null == out)
        {
            out = null == pipe ? new FileOutputStream(java.io.FileDescriptor.out) : new FileOutputStream(pipe.toFile(), true);
        }
    }

    @Override
    public void write(final byte[] data, final int offset, final int length) throws IOException
    {
        if (length > buffer.length - used)
        {
            flush();
        }
        if (length > buffer.length)
        {
            out.write(data, offset, length);
        }
        else
        {
            System.arraycopy(data, offset, buffer, used, length);
            used += length;
        }
        written += length;
    }

    @Override
    public void flush() throws IOException
    {
        if (used > 0)
        {
            final int n = used;
            used = 0;
            out.write(buffer, 0, n);
        }
        out.flush();
    }

    @Override
    public long confirmedBytes()
    {
        return Long.MAX_VALUE;
    }

    @Override
    public long writtenBytes()
    {
        return written;
    }

    @Override
    public void reset()
    {
        used = 0;
        if (null != out && null != pipe)
        {
            try
            {
                out.close();
            }
            catch (final IOException ignore)
            {
                // The reader went away; reopen on the next attempt.
            }
        }
        out = null;
    }

    @Override
    public String target()
    {
        return null == pipe ? "stdout" : "pipe:" + pipe;
    }
}

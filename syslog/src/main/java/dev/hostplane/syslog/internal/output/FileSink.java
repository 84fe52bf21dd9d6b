package dev.hostplane.syslog.internal.output;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import dev.hostplane.syslog.SyslogException;

/**
 * One open output file with a write buffer: appends like omfile does, creating missing parent
 * directories and applying the configured permissions to new files.
 */
public final class FileSink
{
    private static final int BUFFER = 64 * 1024;

    private final Path path;
    private final FileOptions options;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
    private FileChannel channel;

    /**
     * Creates the sink; the file is opened on first write.
     *
     * @param path    file.
     * @param options permissions and flags.
     */
    public FileSink(final Path path, final FileOptions options)
    {
        this.path = path;
        this.options = options;
    }

    private void open()
    {
        try
        {
            final Path parent = path.toAbsolutePath().getParent();
            if (null != parent && !Files.isDirectory(parent))
            {
                if (!options.createDirs)
                {
                    throw new SyslogException("omfile: directory does not exist and createDirs is off: path=" + path);
                }
                Files.createDirectories(parent);
                applyMode(parent, options.dirCreateMode);
            }
            final boolean existed = Files.exists(path);
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
            if (!existed)
            {
                applyMode(path, options.fileCreateMode);
            }
        }
        catch (final IOException ex)
        {
            throw new SyslogException("omfile: cannot open path=" + path + ": " + ex.getMessage(), ex);
        }
    }

    private static void applyMode(final Path p, final int mode)
    {
        if (mode < 0)
        {
            return;
        }
        final StringBuilder sb = new StringBuilder();
        final String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++)
        {
            sb.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        try
        {
            final Set<PosixFilePermission> perms = PosixFilePermissions.fromString(sb.toString());
            Files.setPosixFilePermissions(p, perms);
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            // Permissions are best effort (non-POSIX file systems); the data is what matters.
        }
    }

    /**
     * Appends bytes.
     *
     * @param data   source.
     * @param offset first byte.
     * @param length count.
     */
    public void write(final byte[] data, final int offset, final int length)
    {
        if (null == channel)
        {
            open();
        }
        int off = offset;
        int remaining = length;
        while (remaining > 0)
        {
            if (!buffer.hasRemaining())
            {
                flush();
            }
            final int n = Math.min(remaining, buffer.remaining());
            buffer.put(data, off, n);
            off += n;
            remaining -= n;
        }
    }

    /** Writes the buffer to the file. */
    public void flush()
    {
        if (null == channel || buffer.position() == 0)
        {
            return;
        }
        buffer.flip();
        try
        {
            while (buffer.hasRemaining())
            {
                channel.write(buffer);
            }
            if (options.sync)
            {
                channel.force(false);
            }
        }
        catch (final IOException ex)
        {
            throw new SyslogException("omfile: write failed path=" + path + ": " + ex.getMessage(), ex);
        }
        finally
        {
            buffer.clear();
        }
    }

    /** Flushes and closes the file (it is re-opened on the next write). */
    public void close()
    {
        flush();
        if (null != channel)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ex)
            {
                throw new SyslogException("omfile: close failed path=" + path + ": " + ex.getMessage(), ex);
            }
            channel = null;
        }
    }

    /**
     * The file path.
     *
     * @return path.
     */
    public Path path()
    {
        return path;
    }
}

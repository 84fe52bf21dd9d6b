package dev.hostplane.syslog.internal.output;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One output file with a write buffer: appends like omfile does, creating missing parent
 * directories and applying the configured permissions to new files. A write that fails (disk full,
 * I/O error, permission lost, directory removed) loses nothing: the bytes of a half-done write are
 * cut off again so the file holds only whole lines, the buffer keeps its messages, and messages that
 * arrive meanwhile are held in order until {@link #flush()} succeeds. How long to keep trying and how
 * much to hold is the action's decision ({@link dev.hostplane.syslog.internal.engine.Resumption}).
 * Not thread-safe: the rule thread owns it.
 */
public final class FileSink
{
    private static final int BUFFER = 64 * 1024;
    /** How often a flush checks that the file's directory still exists (a stat, not per message). */
    private static final long DIR_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Path path;
    private final FileOptions options;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
    private final ArrayDeque<byte[]> held = new ArrayDeque<>();
    private FileChannel channel;
    private int bufferedMessages;
    private boolean failing;
    private long lastDirCheck = System.nanoTime();

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

    private void open() throws IOException
    {
        final Path parent = path.toAbsolutePath().getParent();
        if (null != parent && !Files.isDirectory(parent))
        {
            if (!options.createDirs)
            {
                throw new IOException("directory does not exist and createDirs is off: " + parent);
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
     * Appends one message. While the file is failing the message is held (a copy) behind the others.
     *
     * @param data   source.
     * @param offset first byte.
     * @param length count.
     * @throws IOException when the buffer had to be written to make room and that failed; the message
     *                     is held all the same.
     */
    public void write(final byte[] data, final int offset, final int length) throws IOException
    {
        if (failing || !held.isEmpty())
        {
            held.add(Arrays.copyOfRange(data, offset, offset + length));
            return;
        }
        if (null == channel)
        {
            // Opened on the first message, even an empty one: rsyslog creates the file then too.
            try
            {
                open();
            }
            catch (final IOException ex)
            {
                failing = true;
                held.add(Arrays.copyOfRange(data, offset, offset + length));
                throw new IOException("omfile " + path + ": " + describe(ex), ex);
            }
        }
        if (length > buffer.remaining())
        {
            try
            {
                writeBuffer();
            }
            catch (final IOException ex)
            {
                held.add(Arrays.copyOfRange(data, offset, offset + length));
                throw ex;
            }
            if (length > buffer.capacity())
            {
                // Larger than the buffer: straight to the file, undone as a whole if it fails.
                try
                {
                    writeFully(ByteBuffer.wrap(data, offset, length));
                }
                catch (final IOException ex)
                {
                    held.add(Arrays.copyOfRange(data, offset, offset + length));
                    throw ex;
                }
                return;
            }
        }
        buffer.put(data, offset, length);
        bufferedMessages++;
    }

    /**
     * Writes everything buffered and held to the file.
     *
     * @throws IOException when the file cannot be written; nothing is lost.
     */
    public void flush() throws IOException
    {
        writeBuffer();
        while (!held.isEmpty())
        {
            final byte[] next = held.peek();
            if (next.length > buffer.remaining())
            {
                writeBuffer();
                if (next.length > buffer.capacity())
                {
                    writeFully(ByteBuffer.wrap(next));
                    held.poll();
                    continue;
                }
            }
            buffer.put(next);
            bufferedMessages++;
            held.poll();
        }
        writeBuffer();
    }

    /** Writes the buffer; on failure restores it and leaves the file as it was. */
    private void writeBuffer() throws IOException
    {
        if (buffer.position() == 0)
        {
            failing = false;
            return;
        }
        buffer.flip();
        try
        {
            writeFully(buffer);
            buffer.clear();
            bufferedMessages = 0;
        }
        catch (final IOException ex)
        {
            // Back to append mode with every byte still there: the next attempt writes it all again.
            buffer.position(buffer.limit());
            buffer.limit(buffer.capacity());
            throw ex;
        }
    }

    /** Writes all of {@code src} or nothing: a failed write is cut off the file again. */
    private void writeFully(final ByteBuffer src) throws IOException
    {
        final int start = src.position();
        try
        {
            if (null == channel || directoryGone())
            {
                reopen();
            }
            final long size = channel.size();
            try
            {
                while (src.hasRemaining())
                {
                    channel.write(src);
                }
                if (options.sync)
                {
                    channel.force(false);
                }
            }
            catch (final IOException ex)
            {
                src.position(start);
                undo(size);
                throw ex;
            }
            failing = false;
        }
        catch (final IOException ex)
        {
            src.position(start);
            failing = true;
            closeChannel();
            throw new IOException("omfile " + path + ": " + describe(ex), ex);
        }
    }

    /** A directory removed under an open file would swallow every write: reopen by name instead. */
    private boolean directoryGone()
    {
        final long now = System.nanoTime();
        if (now - lastDirCheck < DIR_CHECK_NANOS)
        {
            return false;
        }
        lastDirCheck = now;
        final Path parent = path.toAbsolutePath().getParent();
        return null != parent && !Files.isDirectory(parent);
    }

    private void reopen() throws IOException
    {
        closeChannel();
        open();
    }

    /**
     * Cuts a half-written tail off (best effort: on a failing device this may fail too), then lets the
     * descriptor go. After an I/O error the descriptor may belong to a file system that was shut down
     * or to a file that was replaced: the retry opens the file by name again, and an administrator can
     * unmount and repair the file system while the action is suspended.
     */
    private void undo(final long size)
    {
        try
        {
            channel.truncate(size);
        }
        catch (final IOException ex)
        {
            // The next successful write follows the torn bytes.
        }
        closeChannel();
    }

    private static String describe(final IOException ex)
    {
        final String m = ex.getMessage();
        return ex.getClass().getSimpleName() + (null == m ? "" : ": " + m);
    }

    /**
     * Messages buffered or held and not yet in the file.
     *
     * @return count.
     */
    public long pending()
    {
        return bufferedMessages + held.size();
    }

    /**
     * Messages held behind a failed write (not counting the write buffer).
     *
     * @return count.
     */
    public int held()
    {
        return held.size();
    }

    /**
     * Whether the last write failed.
     *
     * @return true while failing.
     */
    public boolean failing()
    {
        return failing;
    }

    /**
     * Flushes and closes the file (it is re-opened on the next write).
     *
     * @throws IOException when the last data cannot be written; it stays held.
     */
    public void close() throws IOException
    {
        try
        {
            flush();
        }
        finally
        {
            if (pending() == 0)
            {
                closeChannel();
            }
        }
    }

    /** Drops what is buffered and held (after the action gave up) and closes the file. */
    public void abandon()
    {
        buffer.clear();
        bufferedMessages = 0;
        held.clear();
        failing = false;
        closeChannel();
    }

    private void closeChannel()
    {
        if (null != channel)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ex)
            {
                // Nothing was pending on it: the data went through write(2) already.
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

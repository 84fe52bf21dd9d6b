package dev.hostplane.flashcache.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.hostplane.flashcache.BackingStore;

/**
 * A backing store of plain files in one directory of a mounted file system (local disk, NFS, ...): file
 * id {@code n} named {@code a/b.dat} is {@code directory/a/b.dat}, block {@code k} is at byte
 * {@code k * blockSize}. Positional reads and writes, so it is safe for many threads.
 */
public final class FileBackingStore implements BackingStore
{
    private static final int MAX_FILES = 1 << 16;

    private final Path directory;
    private final int blockSize;
    private final AtomicReferenceArray<FileChannel> channels = new AtomicReferenceArray<>(MAX_FILES);
    private final ConcurrentHashMap<Integer, String> names = new ConcurrentHashMap<>();

    /**
     * @param directory the directory holding the files; created if missing.
     * @param blockSize block size in bytes.
     * @throws IOException when the directory cannot be created.
     */
    public FileBackingStore(final Path directory, final int blockSize) throws IOException
    {
        if (blockSize < 512 || Integer.bitCount(blockSize) != 1)
        {
            throw new IllegalArgumentException("blockSize=" + blockSize + " must be a power of two >= 512");
        }
        this.directory = Files.createDirectories(directory).toAbsolutePath().normalize();
        this.blockSize = blockSize;
    }

    @Override
    public int blockSize()
    {
        return blockSize;
    }

    @Override
    public void open(final int file, final String name) throws IOException
    {
        if (file < 0 || file >= MAX_FILES)
        {
            throw new IllegalArgumentException("file=" + file + " is outside [0, " + MAX_FILES + ")");
        }
        final Path path = directory.resolve(name).normalize();
        if (!path.startsWith(directory) || path.equals(directory))
        {
            throw new IllegalArgumentException("name=" + name + " escapes directory=" + directory);
        }
        if (null != channels.get(file))
        {
            return;
        }
        Files.createDirectories(path.getParent());
        final FileChannel channel = FileChannel.open(path,
            StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (!channels.compareAndSet(file, null, channel))
        {
            channel.close();
        }
        names.put(file, name);
    }

    private FileChannel channel(final int file)
    {
        final FileChannel channel = file >= 0 && file < MAX_FILES ? channels.get(file) : null;
        if (null == channel)
        {
            throw new IllegalStateException("file=" + file + " was not opened in directory=" + directory);
        }
        return channel;
    }

    @Override
    public void read(final int file, final long blockNo, final ByteBuffer dst, final int offset) throws IOException
    {
        final FileChannel channel = channel(file);
        final int oldPosition = dst.position();
        final int oldLimit = dst.limit();
        try
        {
            dst.limit(offset + blockSize).position(offset);
            long position = blockNo * blockSize;
            while (dst.hasRemaining())
            {
                final int n = channel.read(dst, position);
                if (n < 0)
                {
                    while (dst.hasRemaining())
                    {
                        dst.put((byte)0);
                    }
                    break;
                }
                position += n;
            }
        }
        finally
        {
            dst.limit(oldLimit).position(oldPosition);
        }
    }

    @Override
    public void write(final int file, final long blockNo, final ByteBuffer src, final int offset) throws IOException
    {
        final FileChannel channel = channel(file);
        final int oldPosition = src.position();
        final int oldLimit = src.limit();
        try
        {
            src.limit(offset + blockSize).position(offset);
            long position = blockNo * blockSize;
            while (src.hasRemaining())
            {
                position += channel.write(src, position);
            }
        }
        finally
        {
            src.limit(oldLimit).position(oldPosition);
        }
    }

    @Override
    public void flush() throws IOException
    {
        for (int i = 0; i < MAX_FILES; i++)
        {
            final FileChannel channel = channels.get(i);
            if (null != channel)
            {
                channel.force(false);
            }
        }
    }

    @Override
    public void close() throws IOException
    {
        for (int i = 0; i < MAX_FILES; i++)
        {
            final FileChannel channel = channels.getAndSet(i, null);
            if (null != channel)
            {
                channel.close();
            }
        }
    }

    @Override
    public String toString()
    {
        return "FileBackingStore{directory=" + directory + ", files=" + names.size() + "}";
    }
}

package dev.hostplane.syslog.internal.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import dev.hostplane.syslog.SyslogException;

/**
 * The disk part of a disk-assisted action queue: an append-only file of length-prefixed records
 * whose first 8 bytes hold the read position, so a restarted daemon resumes where delivery
 * stopped. Not thread-safe: the {@link ActionQueue} lock guards it.
 */
final class DiskSpool implements AutoCloseable
{
    /** Bytes of the header (the read position). */
    static final int HEADER_LENGTH = 8;
    private static final int RECORD_HEADER = 4;

    private final Path file;
    private final FileChannel channel;
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private final ByteBuffer lengthBuffer = ByteBuffer.allocate(RECORD_HEADER);
    private final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);
    private long readPosition;
    private long writePosition;
    private long records;

    DiskSpool(final Path file)
    {
        this.file = file;
        try
        {
            if (null != file.getParent())
            {
                Files.createDirectories(file.getParent());
            }
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            final long size = channel.size();
            if (size >= HEADER_LENGTH)
            {
                header.clear();
                channel.read(header, 0);
                readPosition = header.getLong(0);
                writePosition = size;
                if (readPosition < HEADER_LENGTH || readPosition > size)
                {
                    throw new SyslogException("spool file corrupt: file=" + file + " readPosition=" + readPosition +
                        " size=" + size);
                }
                records = countRecords();
            }
            else
            {
                channel.truncate(0);
                readPosition = HEADER_LENGTH;
                writePosition = HEADER_LENGTH;
                writeHeader();
            }
        }
        catch (final IOException ex)
        {
            throw new SyslogException("cannot open queue spool file: file=" + file + " error=" + ex.getMessage(), ex);
        }
    }

    private long countRecords() throws IOException
    {
        long n = 0;
        long p = readPosition;
        while (p + RECORD_HEADER <= writePosition)
        {
            lengthBuffer.clear();
            channel.read(lengthBuffer, p);
            final int len = lengthBuffer.getInt(0);
            if (len < 0 || p + RECORD_HEADER + len > writePosition)
            {
                // A torn last record (crash while appending) is cut off; everything before it is kept.
                channel.truncate(p);
                writePosition = p;
                break;
            }
            p += RECORD_HEADER + len;
            n++;
        }
        return n;
    }

    private void writeHeader() throws IOException
    {
        header.clear();
        header.putLong(0, readPosition);
        channel.write(header, 0);
    }

    /**
     * Messages waiting on disk.
     *
     * @return count.
     */
    long size()
    {
        return records;
    }

    boolean isEmpty()
    {
        return 0 == records;
    }

    void append(final byte[] data, final int offset, final int length)
    {
        try
        {
            if (writeBuffer.remaining() < RECORD_HEADER + length)
            {
                flushWrites();
            }
            if (writeBuffer.remaining() < RECORD_HEADER + length)
            {
                lengthBuffer.clear();
                lengthBuffer.putInt(0, length);
                channel.write(lengthBuffer, writePosition);
                channel.write(ByteBuffer.wrap(data, offset, length), writePosition + RECORD_HEADER);
                writePosition += RECORD_HEADER + length;
            }
            else
            {
                writeBuffer.putInt(length);
                writeBuffer.put(data, offset, length);
            }
            records++;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("queue spool write failed: file=" + file, ex);
        }
    }

    private void flushWrites() throws IOException
    {
        writeBuffer.flip();
        while (writeBuffer.hasRemaining())
        {
            writePosition += channel.write(writeBuffer, writePosition);
        }
        writeBuffer.clear();
    }

    /**
     * Reads the oldest record into {@code slot} (growing it as needed) without committing it.
     *
     * @param ring  ring receiving the record.
     * @param index slot index.
     */
    void readInto(final ActionQueue.Slots ring, final int index)
    {
        try
        {
            flushWrites();
            lengthBuffer.clear();
            channel.read(lengthBuffer, readPosition);
            final int len = lengthBuffer.getInt(0);
            final byte[] target = ring.ensure(index, len);
            final ByteBuffer dst = ByteBuffer.wrap(target, 0, len);
            long p = readPosition + RECORD_HEADER;
            while (dst.hasRemaining())
            {
                final int n = channel.read(dst, p);
                if (n < 0)
                {
                    throw new IOException("unexpected end of spool");
                }
                p += n;
            }
            ring.lengths[index] = len;
            readPosition = p;
            records--;
            if (0 == records)
            {
                // Drained: start the file over so it does not grow forever.
                readPosition = HEADER_LENGTH;
                writePosition = HEADER_LENGTH;
                channel.truncate(HEADER_LENGTH);
            }
            writeHeader();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("queue spool read failed: file=" + file, ex);
        }
    }

    /** Pushes buffered appends to the file. */
    void sync()
    {
        try
        {
            flushWrites();
            channel.force(false);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("queue spool sync failed: file=" + file, ex);
        }
    }

    Path file()
    {
        return file;
    }

    @Override
    public void close()
    {
        try
        {
            flushWrites();
            writeHeader();
            channel.close();
            if (0 == records)
            {
                Files.deleteIfExists(file);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("queue spool close failed: file=" + file, ex);
        }
    }
}

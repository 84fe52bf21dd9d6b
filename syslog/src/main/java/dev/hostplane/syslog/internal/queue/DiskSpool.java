package dev.hostplane.syslog.internal.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hostplane.syslog.SyslogException;

/**
 * The disk part of an action queue: an append-only file of checksummed, length-prefixed records
 * behind a header that holds the committed read position. A record is appended with write(2)
 * before {@code append} returns, so a killed process leaves it in the file; the read position
 * moves only when the target has confirmed a record ({@link #commit}), so a killed process sends
 * everything not confirmed again after its restart (it may send a record twice, never lose one).
 * With {@code syncQueueFiles} every append and commit is also fsync'ed, for power loss.
 * <p>
 * At start-up the records after the read position are checked; the first one that is truncated or
 * whose checksum does not match is reported with the file name and its offset, the readable
 * records before it are kept and the rest is moved aside to {@code FILE.corrupt-OFFSET}.
 * Not thread-safe: the {@link ActionQueue} lock guards it.
 */
final class DiskSpool implements AutoCloseable
{
    /** Bytes of the header: magic, version, committed read position. */
    static final int HEADER_LENGTH = 16;
    private static final Logger LOG = LoggerFactory.getLogger(DiskSpool.class);
    private static final int MAGIC = 0x48505351;
    private static final int VERSION = 1;
    private static final int RECORD_HEADER = 8;
    private static final int MAX_RECORD = 256 * 1024 * 1024;

    private final Path file;
    private final boolean sync;
    private final FileChannel channel;
    private final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);
    private final ByteBuffer recordHeader = ByteBuffer.allocate(RECORD_HEADER);
    private final CRC32C crc = new CRC32C();
    private ByteBuffer writeBuffer = ByteBuffer.allocate(4096);
    /** Everything before it has been delivered. */
    private long committed;
    /** Next record to hand to the ring. */
    private long readCursor;
    private long writePosition;
    /** Records after {@link #readCursor}. */
    private long unread;

    DiskSpool(final Path file, final boolean sync)
    {
        this.file = file;
        this.sync = sync;
        try
        {
            if (null != file.getParent())
            {
                Files.createDirectories(file.getParent());
            }
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            final long size = channel.size();
            if (size == 0)
            {
                reset();
            }
            else
            {
                recover(size);
            }
        }
        catch (final IOException ex)
        {
            throw new SyslogException("cannot open queue spool file: file=" + file + " error=" + ex.getMessage(), ex);
        }
    }

    /** Reads the header and checks every record after the read position. */
    private void recover(final long size) throws IOException
    {
        header.clear();
        final boolean whole = size >= HEADER_LENGTH && channel.read(header, 0) == HEADER_LENGTH;
        final long position = whole ? header.getLong(8) : -1;
        if (!whole || header.getInt(0) != MAGIC || header.getInt(4) != VERSION || position < HEADER_LENGTH ||
            position > size)
        {
            LOG.error("queue spool {}: unreadable header at offset 0 (size {}): no record can be trusted, the file " +
                "is moved to {}", file, size, moveAside(0));
            reset();
            return;
        }
        committed = position;
        readCursor = position;
        writePosition = size;
        long p = position;
        long n = 0;
        while (p < size)
        {
            final String problem = check(p, size);
            if (null != problem)
            {
                LOG.error("queue spool {}: {} at offset {}: the {} record(s) before it are kept, the rest ({} bytes) is " +
                    "moved to {}", file, problem, p, n, size - p, moveAside(p));
                channel.truncate(p);
                writePosition = p;
                break;
            }
            p += RECORD_HEADER + recordHeader.getInt(0);
            n++;
        }
        unread = n;
        if (n > 0)
        {
            LOG.info("queue spool {}: {} message(s) from the previous run will be delivered first", file, n);
        }
    }

    /** Why the record at {@code p} cannot be read, or null when it is whole and its checksum matches. */
    private String check(final long p, final long size) throws IOException
    {
        recordHeader.clear();
        if (p + RECORD_HEADER > size || channel.read(recordHeader, p) != RECORD_HEADER)
        {
            return "truncated record header";
        }
        final int len = recordHeader.getInt(0);
        if (len < 0 || len > MAX_RECORD)
        {
            return "corrupt record length " + len;
        }
        if (p + RECORD_HEADER + len > size)
        {
            return "truncated record (length " + len + ", " + (size - p - RECORD_HEADER) + " bytes present)";
        }
        final ByteBuffer data = ByteBuffer.allocate(len);
        while (data.hasRemaining())
        {
            if (channel.read(data, p + RECORD_HEADER + data.position()) < 0)
            {
                return "truncated record";
            }
        }
        crc.reset();
        crc.update(data.array(), 0, len);
        return (int)crc.getValue() == recordHeader.getInt(4) ? null : "checksum mismatch";
    }

    private Path moveAside(final long from) throws IOException
    {
        final Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + from);
        try (FileChannel out = FileChannel.open(aside, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            channel.transferTo(from, channel.size() - from, out);
        }
        return aside;
    }

    private void reset() throws IOException
    {
        channel.truncate(0);
        committed = HEADER_LENGTH;
        readCursor = HEADER_LENGTH;
        writePosition = HEADER_LENGTH;
        unread = 0;
        writeHeader();
    }

    private void writeHeader() throws IOException
    {
        header.clear();
        header.putInt(0, MAGIC);
        header.putInt(4, VERSION);
        header.putLong(8, committed);
        while (header.hasRemaining())
        {
            channel.write(header, header.position());
        }
        if (sync)
        {
            channel.force(false);
        }
    }

    /**
     * Records not yet handed to the ring.
     *
     * @return count.
     */
    long size()
    {
        return unread;
    }

    boolean isEmpty()
    {
        return 0 == unread;
    }

    /**
     * Appends one record with write(2) (and fsync with {@code syncQueueFiles}).
     *
     * @param data   message.
     * @param offset first byte.
     * @param length bytes.
     */
    void append(final byte[] data, final int offset, final int length)
    {
        if (writeBuffer.capacity() < RECORD_HEADER + length)
        {
            writeBuffer = ByteBuffer.allocate(Math.max(RECORD_HEADER + length, writeBuffer.capacity() * 2));
        }
        crc.reset();
        crc.update(data, offset, length);
        writeBuffer.clear();
        writeBuffer.putInt(length).putInt((int)crc.getValue()).put(data, offset, length).flip();
        try
        {
            while (writeBuffer.hasRemaining())
            {
                writePosition += channel.write(writeBuffer, writePosition);
            }
            if (sync)
            {
                channel.force(false);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("queue spool write failed: file=" + file, ex);
        }
        unread++;
    }

    /**
     * Reads the next record into a ring slot; it stays in the file until {@link #commit}.
     *
     * @param ring  ring receiving the record.
     * @param index slot index.
     * @return the file offset just after the record (what to commit once it is delivered).
     */
    long readInto(final ActionQueue.Slots ring, final int index)
    {
        try
        {
            recordHeader.clear();
            channel.read(recordHeader, readCursor);
            final int len = recordHeader.getInt(0);
            final ByteBuffer dst = ByteBuffer.wrap(ring.ensure(index, len), 0, len);
            long p = readCursor + RECORD_HEADER;
            while (dst.hasRemaining())
            {
                final int n = channel.read(dst, p);
                if (n < 0)
                {
                    throw new IOException("unexpected end of spool at offset " + p);
                }
                p += n;
            }
            ring.lengths[index] = len;
            readCursor = p;
            unread--;
            return p;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("queue spool read failed: file=" + file, ex);
        }
    }

    /**
     * Marks everything before {@code end} as delivered; starts the file over once all of it is.
     *
     * @param end offset returned by {@link #readInto} for the last delivered record.
     */
    void commit(final long end)
    {
        if (end <= committed)
        {
            return;
        }
        committed = end;
        try
        {
            if (committed == writePosition && 0 == unread)
            {
                // Drained: start the file over so it does not grow forever.
                reset();
            }
            else
            {
                writeHeader();
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("queue spool commit failed: file=" + file, ex);
        }
    }

    /**
     * Rewrites the file as {@code older} followed by every record not yet delivered (at shutdown:
     * messages held in memory are older than any spooled one).
     *
     * @param older messages to put first.
     */
    void prepend(final java.util.List<byte[]> older)
    {
        final java.util.List<byte[]> newer = new java.util.ArrayList<>();
        final Slots one = new Slots();
        readCursor = committed;
        long p = committed;
        while (p < writePosition)
        {
            final ActionQueue.Slots slot = one.slot;
            readCursor = p;
            p = readInto(slot, 0);
            newer.add(java.util.Arrays.copyOf(slot.data[0], slot.lengths[0]));
        }
        try
        {
            reset();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("queue spool rewrite failed: file=" + file, ex);
        }
        for (final byte[] b : older)
        {
            append(b, 0, b.length);
        }
        for (final byte[] b : newer)
        {
            append(b, 0, b.length);
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
            writeHeader();
            channel.force(false);
            final boolean empty = committed == writePosition;
            channel.close();
            if (empty)
            {
                Files.deleteIfExists(file);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("queue spool close failed: file=" + file, ex);
        }
    }

    /** One reusable slot for reading records outside the ring. */
    private static final class Slots
    {
        final ActionQueue.Slots slot = new ActionQueue.Slots(1);
    }
}

package dev.hostplane.flashcache.internal;

import static dev.hostplane.flashcache.internal.MetadataDescriptor.RECORD_LENGTH;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

import dev.hostplane.flashcache.FlashCacheException;
import dev.hostplane.flashcache.FlashIoListener;

/**
 * The flash tier's append-only metadata log: checksummed, versioned, sequence-numbered records
 * ({@link MetadataDescriptor}), buffered in memory and written on commit, rewritten (compacted) to the live
 * entries by write-to-temporary, fsync, atomic rename, fsync of the directory.
 *
 * <p>Why a log of our own rather than Chronicle Map as the index: the cache must not acknowledge a
 * write-back write before its mapping is durable; Chronicle Map never fsyncs and needs recovery after a
 * crash, and the in-memory index must be rebuilt at open anyway. Not thread-safe: the flash tier calls it
 * under its lock.
 */
public final class MetadataLog implements AutoCloseable
{
    /** Receives recovered records in file order. */
    public interface RecoveryHandler
    {
        /**
         * A valid record.
         *
         * @param index   record number in the file (0-based).
         * @param type    record type.
         * @param flags   flags.
         * @param seq     sequence number.
         * @param key     block key.
         * @param slot    slot.
         * @param dataCrc data checksum.
         */
        void onRecord(int index, byte type, short flags, long seq, long key, int slot, int dataCrc);

        /**
         * A torn or corrupt record, never applied.
         *
         * @param index record number in the file.
         */
        void onCorrupt(int index);
    }

    private static final int BUFFER_RECORDS = 1024;

    private final Path path;
    private final long headerKey;
    private final int headerSlot;
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer buffer =
        ByteBuffer.allocateDirect(BUFFER_RECORDS * RECORD_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    private FileChannel channel;
    private long fileSize;
    private long lastSeq;
    private long bytesWritten;
    private FlashIoListener io = FlashIoListener.NONE;

    private MetadataLog(final Path path, final int blockSize, final int segmentBlocks, final int flashBlocks,
        final long lastSeq)
    {
        this.path = path;
        this.headerKey = ((long)blockSize << 32) | segmentBlocks;
        this.headerSlot = flashBlocks;
        this.lastSeq = lastSeq;
    }

    /**
     * What a replay found.
     *
     * @param exists     whether the log file exists.
     * @param fileSize   its size in bytes.
     * @param headerSeen whether a valid header record was found.
     * @param lastSeq    the highest sequence number of a valid record (0 when none).
     */
    public record Replay(boolean exists, long fileSize, boolean headerSeen, long lastSeq)
    {
    }

    /**
     * Reads a log without changing it and hands every record to a handler, in file order.
     *
     * @param path          the log file.
     * @param blockSize     geometry: block size.
     * @param segmentBlocks geometry: blocks per segment.
     * @param flashBlocks   geometry: blocks in flash.
     * @param handler       receives the valid records and the corrupt ones.
     * @return what the replay found.
     * @throws IOException when the file cannot be read.
     * @throws FlashCacheException when the log was written with another geometry.
     */
    public static Replay replay(
        final Path path,
        final int blockSize,
        final int segmentBlocks,
        final int flashBlocks,
        final RecoveryHandler handler) throws IOException
    {
        if (!Files.exists(path))
        {
            return new Replay(false, 0, false, 0);
        }
        final long fileSize = Files.size(path);
        if (fileSize > Integer.MAX_VALUE)
        {
            throw new FlashCacheException("metadata log too large: path=" + path + " size=" + fileSize);
        }
        final long headerKey = ((long)blockSize << 32) | segmentBlocks;
        final ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        final CRC32C crc = new CRC32C();
        final int records = all.capacity() / RECORD_LENGTH;
        boolean headerSeen = false;
        long lastSeq = 0;
        for (int i = 0; i < records; i++)
        {
            final int offset = i * RECORD_LENGTH;
            if (!MetadataDescriptor.isValid(all, offset, crc))
            {
                handler.onCorrupt(i);
                continue;
            }
            final byte type = MetadataDescriptor.type(all, offset);
            final long seq = MetadataDescriptor.seq(all, offset);
            final long key = MetadataDescriptor.key(all, offset);
            final int slot = MetadataDescriptor.slot(all, offset);
            if (MetadataDescriptor.TYPE_HEADER == type)
            {
                if (key != headerKey || slot != flashBlocks)
                {
                    throw new FlashCacheException("flash geometry changed: path=" + path
                        + " log blockSize=" + (key >>> 32) + " segmentBlocks=" + (int)key + " flashBlocks=" + slot
                        + " config blockSize=" + blockSize + " segmentBlocks=" + segmentBlocks
                        + " flashBlocks=" + flashBlocks + " (delete the directory to start over)");
                }
                headerSeen = true;
            }
            else if (!headerSeen)
            {
                handler.onCorrupt(i);
                continue;
            }
            if (seq <= lastSeq)
            {
                // Sequence numbers only grow in file order: a record that goes back is not what was written.
                handler.onCorrupt(i);
                continue;
            }
            lastSeq = seq;
            handler.onRecord(i, type, MetadataDescriptor.flags(all, offset), seq, key, slot,
                MetadataDescriptor.dataCrc(all, offset));
        }
        return new Replay(true, fileSize, headerSeen, lastSeq);
    }

    /**
     * Writes a new log (header, then the given records) in place of whatever is at {@code path}, the same
     * way a compaction does, and opens it for appending. Sequence numbers continue after {@code lastSeq}.
     *
     * @param path          the log file.
     * @param blockSize     geometry: block size.
     * @param segmentBlocks geometry: blocks per segment.
     * @param flashBlocks   geometry: blocks in flash.
     * @param lastSeq       the highest sequence number used so far.
     * @param live          appends the live records with {@link #append}.
     * @return the log.
     * @throws IOException when it cannot be written.
     */
    public static MetadataLog create(
        final Path path,
        final int blockSize,
        final int segmentBlocks,
        final int flashBlocks,
        final long lastSeq,
        final java.util.function.Consumer<MetadataLog> live) throws IOException
    {
        final MetadataLog log = new MetadataLog(path, blockSize, segmentBlocks, flashBlocks, lastSeq);
        log.rewrite(live);
        return log;
    }

    private void appendHeader()
    {
        append(MetadataDescriptor.TYPE_HEADER, (short)0, headerKey, headerSlot, 0);
    }

    /**
     * Appends a record to the in-memory buffer (written to the file by {@link #writeOut()}).
     *
     * @param type    record type.
     * @param flags   flags.
     * @param key     block key.
     * @param slot    slot.
     * @param dataCrc data checksum.
     * @return the record's sequence number.
     */
    public long append(final byte type, final short flags, final long key, final int slot, final int dataCrc)
    {
        if (buffer.position() == buffer.capacity())
        {
            try
            {
                writeOut();
            }
            catch (final IOException ex)
            {
                throw new FlashCacheException("metadata log write failed: path=" + path, ex);
            }
        }
        final long seq = ++lastSeq;
        final int offset = buffer.position();
        MetadataDescriptor.write(buffer, offset, type, flags, seq, key, slot, dataCrc, crc);
        buffer.position(offset + RECORD_LENGTH);
        return seq;
    }

    /**
     * Writes buffered records to the file (no fsync).
     *
     * @throws IOException on failure.
     */
    public void writeOut() throws IOException
    {
        buffer.flip();
        final int pending = buffer.remaining();
        while (buffer.hasRemaining())
        {
            final int n = channel.write(buffer, fileSize);
            fileSize += n;
            bytesWritten += n;
        }
        buffer.clear();
        if (pending > 0)
        {
            io.onMetadataWrite(pending);
        }
    }

    /**
     * Forces written records to the device.
     *
     * @throws IOException on failure.
     */
    public void force() throws IOException
    {
        channel.force(false);
        io.onSync();
    }

    /**
     * @param listener told about every write and fsync of the log from now on.
     */
    public void listener(final FlashIoListener listener)
    {
        this.io = listener;
    }

    /**
     * Replaces the log with a header and the given live records: temporary file, fsync, atomic rename,
     * directory fsync. Sequence numbers continue.
     *
     * @param live writes the live records with {@link #append}.
     * @throws IOException on failure.
     */
    public void rewrite(final java.util.function.Consumer<MetadataLog> live) throws IOException
    {
        final Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        if (null != channel)
        {
            // Records appended since the last write-out go to the current log first: the new log holds the
            // live state they led to, but if writing it fails the current log stays in use and must not have
            // lost them (their effects are in the flash tier's table; its next checkpoint would not match).
            writeOut();
        }
        final FileChannel old = channel;
        final long oldSize = fileSize;
        buffer.clear();
        channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.READ, StandardOpenOption.WRITE);
        fileSize = 0;
        try
        {
            appendHeader();
            live.accept(this);
            writeOut();
            channel.force(false);
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            Files.deleteIfExists(tmp);
            channel = old;
            fileSize = oldSize;
            throw ex;
        }
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(path.getParent(), StandardOpenOption.READ))
        {
            dir.force(true);
        }
        if (null != old)
        {
            old.close();
        }
    }

    /**
     * @return the last sequence number handed out.
     */
    public long lastSeq()
    {
        return lastSeq;
    }

    /**
     * @return bytes in the log file (excluding the unwritten buffer).
     */
    public long fileSize()
    {
        return fileSize;
    }

    /**
     * @return bytes of metadata written to the device since open.
     */
    public long bytesWritten()
    {
        return bytesWritten;
    }

    /**
     * @return the log file.
     */
    public Path path()
    {
        return path;
    }

    @Override
    public void close() throws IOException
    {
        if (null != channel)
        {
            channel.close();
        }
    }
}

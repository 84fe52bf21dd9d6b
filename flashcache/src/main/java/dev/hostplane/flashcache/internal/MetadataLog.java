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

    /**
     * Opens (creating if missing) a log and replays it.
     *
     * @param path          the log file.
     * @param blockSize     geometry: block size.
     * @param segmentBlocks geometry: blocks per segment.
     * @param flashBlocks   geometry: blocks in flash.
     * @param handler       receives the valid records (not called for a new log).
     * @throws IOException when the file cannot be read or written.
     * @throws FlashCacheException when the log was written with another geometry.
     */
    public MetadataLog(
        final Path path,
        final int blockSize,
        final int segmentBlocks,
        final int flashBlocks,
        final RecoveryHandler handler) throws IOException
    {
        this.path = path;
        this.headerKey = ((long)blockSize << 32) | segmentBlocks;
        this.headerSlot = flashBlocks;
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        fileSize = channel.size();
        if (fileSize >= RECORD_LENGTH)
        {
            recover(handler);
        }
        else
        {
            channel.truncate(0);
            fileSize = 0;
            appendHeader();
            writeOut();
            force();
        }
    }

    private void recover(final RecoveryHandler handler) throws IOException
    {
        if (fileSize > Integer.MAX_VALUE)
        {
            throw new FlashCacheException("metadata log too large: path=" + path + " size=" + fileSize);
        }
        final ByteBuffer all = ByteBuffer.allocate((int)fileSize).order(ByteOrder.LITTLE_ENDIAN);
        while (all.hasRemaining())
        {
            if (channel.read(all, all.position()) < 0)
            {
                break;
            }
        }
        final int records = (int)(fileSize / RECORD_LENGTH);
        boolean headerSeen = false;
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
                if (key != headerKey || slot != headerSlot)
                {
                    throw new FlashCacheException("flash geometry changed: path=" + path
                        + " log blockSize=" + (key >>> 32) + " segmentBlocks=" + (int)key + " flashBlocks=" + slot
                        + " config blockSize=" + (headerKey >>> 32) + " segmentBlocks=" + (int)headerKey
                        + " flashBlocks=" + headerSlot + " (delete the directory to start over)");
                }
                headerSeen = true;
            }
            else if (!headerSeen)
            {
                handler.onCorrupt(i);
                continue;
            }
            if (seq > lastSeq)
            {
                lastSeq = seq;
            }
            handler.onRecord(i, type, MetadataDescriptor.flags(all, offset), seq, key, slot,
                MetadataDescriptor.dataCrc(all, offset));
        }
        if (!headerSeen)
        {
            // Nothing trustworthy: not even the header survived. Start an empty log.
            channel.truncate(0);
            fileSize = 0;
            appendHeader();
            writeOut();
            force();
        }
        // A torn partial record at the end is cut off by the compaction that follows recovery.
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
        while (buffer.hasRemaining())
        {
            final int n = channel.write(buffer, fileSize);
            fileSize += n;
            bytesWritten += n;
        }
        buffer.clear();
    }

    /**
     * Forces written records to the device.
     *
     * @throws IOException on failure.
     */
    public void force() throws IOException
    {
        channel.force(false);
    }

    /**
     * Replaces the log with a header and the given live records: temporary file, fsync, atomic rename,
     * directory fsync. Sequence numbers continue.
     *
     * @param live writes the live records with {@link #append}.
     * @throws IOException on failure.
     */
    public void rewrite(final Runnable live) throws IOException
    {
        final Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        final FileChannel old = channel;
        final long oldSize = fileSize;
        buffer.clear();
        channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.READ, StandardOpenOption.WRITE);
        fileSize = 0;
        try
        {
            appendHeader();
            live.run();
            writeOut();
            channel.force(false);
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            channel = old;
            fileSize = oldSize;
            throw ex;
        }
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(path.getParent(), StandardOpenOption.READ))
        {
            dir.force(true);
        }
        old.close();
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
        channel.close();
    }
}

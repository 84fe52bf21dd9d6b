package dev.hostplane.flashcache.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A witness, kept apart from the metadata log, of how far the log has been committed: the sequence number
 * of the last record made durable. A log that ends before its seal was cut short or damaged after the
 * commit, so records that were acknowledged are missing and recovery cannot prove that no dirty block went
 * with them.
 *
 * <p>Written after the log's fsync without an fsync of its own (it rides on the next data fsync or on the
 * page cache), so the seal may lag the log after a power loss but never runs ahead of it: a lagging seal
 * only weakens the check, it never refuses a sound log. Two alternating 32-byte slots, each with its own
 * checksum, so a torn seal write leaves the other slot readable.
 *
 * <pre>
 *   0 int  magic 'FCS1'
 *   4 int  reserved (0)
 *   8 long sequence number
 *  16 long generation (which slot is newer)
 *  24 int  CRC32C of bytes 0..23
 *  28 int  reserved (0)
 * </pre>
 */
final class CommitSeal implements AutoCloseable
{
    static final String FILE_NAME = "flash.seal";
    private static final int MAGIC = 0x46435331;
    private static final int SLOT = 32;

    private final Path path;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(SLOT).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();
    private long generation;
    private long sealed;

    private CommitSeal(final Path path, final FileChannel channel, final long generation, final long sealed)
    {
        this.path = path;
        this.channel = channel;
        this.generation = generation;
        this.sealed = sealed;
    }

    /**
     * What a seal file says.
     *
     * @param exists whether the file exists.
     * @param seq    the sealed sequence number; -1 when the file is missing or neither slot is readable.
     */
    record Reading(boolean exists, long seq)
    {
        boolean readable()
        {
            return seq >= 0;
        }
    }

    static Reading read(final Path directory) throws IOException
    {
        final Path path = directory.resolve(FILE_NAME);
        if (!Files.exists(path))
        {
            return new Reading(false, -1);
        }
        final ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        final CRC32C crc = new CRC32C();
        long bestGeneration = -1;
        long bestSeq = -1;
        for (int offset = 0; offset + SLOT <= all.capacity() && offset < 2 * SLOT; offset += SLOT)
        {
            if (all.getInt(offset) != MAGIC || all.getInt(offset + 24) != checksum(all, offset, crc))
            {
                continue;
            }
            final long generation = all.getLong(offset + 16);
            if (generation > bestGeneration)
            {
                bestGeneration = generation;
                bestSeq = all.getLong(offset + 8);
            }
        }
        return new Reading(true, bestSeq);
    }

    private static int checksum(final ByteBuffer b, final int offset, final CRC32C crc)
    {
        crc.reset();
        final ByteBuffer view = b.duplicate();
        view.limit(offset + 24).position(offset);
        crc.update(view);
        return (int)crc.getValue();
    }

    /**
     * Creates or opens the seal file, writing {@code seq} durably (used at creation and after recovery).
     */
    static CommitSeal create(final Path directory, final long seq) throws IOException
    {
        final Path path = directory.resolve(FILE_NAME);
        final FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        final CommitSeal seal = new CommitSeal(path, channel, 0, -1);
        try
        {
            channel.truncate(2 * SLOT);
            seal.write(seq);
            seal.write(seq);
            channel.force(true);
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
        return seal;
    }

    /**
     * Records that the log is durable up to {@code seq} (no fsync; see the class comment).
     */
    void write(final long seq) throws IOException
    {
        if (seq <= sealed)
        {
            return;
        }
        generation++;
        buffer.clear();
        buffer.putInt(0, MAGIC);
        buffer.putInt(4, 0);
        buffer.putLong(8, seq);
        buffer.putLong(16, generation);
        crc.reset();
        buffer.limit(24).position(0);
        crc.update(buffer);
        buffer.clear();
        buffer.putInt(24, (int)crc.getValue());
        buffer.putInt(28, 0);
        final long position = (generation & 1) * SLOT;
        while (buffer.hasRemaining())
        {
            channel.write(buffer, position + buffer.position());
        }
        sealed = seq;
    }

    long sealed()
    {
        return sealed;
    }

    Path path()
    {
        return path;
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}

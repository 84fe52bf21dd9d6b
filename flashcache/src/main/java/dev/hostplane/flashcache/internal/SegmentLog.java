package dev.hostplane.flashcache.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import dev.hostplane.flashcache.FlashIoListener;

/**
 * The flash data file as a log of slots: a preallocated file of fixed-size slots grouped in segments, filled
 * one segment at a time through an in-memory segment buffer, so the device sees large sequential writes.
 * The head segment's blocks are served from the buffer until it is written out. Not thread-safe: the flash
 * tier guards it with its lock, except {@link #readSlot}, a positional read that may run unlocked.
 */
final class SegmentLog implements AutoCloseable
{
    private final int blockSize;
    private final int segmentBlocks;
    private final int segments;
    private final long slots;
    private final Path path;
    private final FileChannel data;
    private final ByteBuffer segmentBuffer;
    private final FlashIoListener io;

    private int currentSegment;
    private int fill;
    private int flushedUpTo;
    private boolean bufferValid;
    private long bytesWritten;

    SegmentLog(final Path path, final int blockSize, final int slots, final int segmentBlocks, final FlashIoListener io)
        throws IOException
    {
        this.io = io;
        this.path = path;
        this.blockSize = blockSize;
        this.segmentBlocks = segmentBlocks;
        this.segments = slots / segmentBlocks;
        this.slots = slots;
        data = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        segmentBuffer = ByteBuffer.allocateDirect(segmentBlocks * blockSize);
        continueAfter(segments - 1);
    }

    /** Writes real zeros up to the full size, not a sparse file: the slots are then allocated up front. */
    void preallocate() throws IOException
    {
        final long size = slots * blockSize;
        long position = data.size();
        if (position >= size)
        {
            return;
        }
        final ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        while (position < size)
        {
            zeros.clear().limit((int)Math.min(zeros.capacity(), size - position));
            position += data.write(zeros, position);
        }
        data.force(true);
    }

    /** Positions the head so that the next segment opened is the one after {@code segment}. */
    void continueAfter(final int segment)
    {
        currentSegment = segment;
        fill = segmentBlocks;
        flushedUpTo = segmentBlocks;
        bufferValid = false;
    }

    boolean full()
    {
        return fill == segmentBlocks;
    }

    int currentSegment()
    {
        return currentSegment;
    }

    int fill()
    {
        return fill;
    }

    int nextSegment()
    {
        return (currentSegment + 1) % segments;
    }

    /** Makes {@code segment} the head, empty (its previous blocks must have been dropped). */
    void open(final int segment)
    {
        currentSegment = segment;
        fill = 0;
        flushedUpTo = 0;
        bufferValid = true;
    }

    /** Appends a block at the head (not full) and returns its slot; {@code crcOut[0]} gets its checksum. */
    int append(final ByteBuffer src, final int offset, final java.util.zip.CRC32C crc, final int[] crcOut)
    {
        final int slot = currentSegment * segmentBlocks + fill;
        final int bufferOffset = fill * blockSize;
        segmentBuffer.put(bufferOffset, src, offset, blockSize);
        crcOut[0] = Checksums.crcOf(crc, segmentBuffer, bufferOffset, blockSize);
        fill++;
        return slot;
    }

    boolean inBuffer(final int slot)
    {
        return bufferValid && slot / segmentBlocks == currentSegment && slot % segmentBlocks < fill;
    }

    void copyFromBuffer(final int slot, final ByteBuffer dst, final int offset)
    {
        dst.put(offset, segmentBuffer, (slot % segmentBlocks) * blockSize, blockSize);
    }

    /** Reads a slot from the file into {@code dst} at {@code offset}; thread-safe (positional read). */
    void readSlot(final int slot, final ByteBuffer dst, final int offset) throws IOException
    {
        final int oldPosition = dst.position();
        final int oldLimit = dst.limit();
        try
        {
            dst.limit(offset + blockSize).position(offset);
            final long position = (long)slot * blockSize - offset;
            while (dst.hasRemaining())
            {
                if (data.read(dst, position + dst.position()) < 0)
                {
                    break;
                }
            }
        }
        finally
        {
            dst.limit(oldLimit).position(oldPosition);
        }
        io.onDataRead(blockSize);
    }

    /** Writes the buffered, not yet written part of the head segment to the file (no fsync). */
    void flush() throws IOException
    {
        if (!bufferValid || flushedUpTo >= fill)
        {
            return;
        }
        final ByteBuffer buffer = segmentBuffer;
        final int oldLimit = buffer.limit();
        buffer.limit(fill * blockSize).position(flushedUpTo * blockSize);
        long position = ((long)currentSegment * segmentBlocks + flushedUpTo) * blockSize;
        while (buffer.hasRemaining())
        {
            final int n = data.write(buffer, position);
            position += n;
            bytesWritten += n;
        }
        buffer.limit(oldLimit).position(0);
        io.onDataWrite((long)(fill - flushedUpTo) * blockSize);
        flushedUpTo = fill;
    }

    void force() throws IOException
    {
        data.force(false);
        io.onSync();
    }

    long bytesWritten()
    {
        return bytesWritten;
    }

    Path path()
    {
        return path;
    }

    @Override
    public void close() throws IOException
    {
        data.close();
    }
}

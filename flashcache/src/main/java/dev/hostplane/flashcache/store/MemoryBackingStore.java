package dev.hostplane.flashcache.store;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import dev.hostplane.flashcache.BackingStore;

/**
 * A backing store in heap memory, for tests and the simulator: counts reads and writes so tests can assert
 * what reached the store.
 */
public final class MemoryBackingStore implements BackingStore
{
    private final int blockSize;
    private final ConcurrentHashMap<Long, byte[]> blocks = new ConcurrentHashMap<>();
    private final LongAdder reads = new LongAdder();
    private final LongAdder writes = new LongAdder();

    /**
     * @param blockSize block size in bytes.
     */
    public MemoryBackingStore(final int blockSize)
    {
        if (blockSize < 1)
        {
            throw new IllegalArgumentException("blockSize=" + blockSize + " must be >= 1");
        }
        this.blockSize = blockSize;
    }

    private static Long key(final int file, final long blockNo)
    {
        return ((long)file << 40) | blockNo;
    }

    @Override
    public int blockSize()
    {
        return blockSize;
    }

    @Override
    public void open(final int file, final String name)
    {
        // Nothing to open: blocks live in the map.
    }

    @Override
    public void read(final int file, final long blockNo, final ByteBuffer dst, final int offset)
    {
        reads.increment();
        final byte[] data = blocks.get(key(file, blockNo));
        if (null == data)
        {
            for (int i = 0; i < blockSize; i++)
            {
                dst.put(offset + i, (byte)0);
            }
        }
        else
        {
            dst.put(offset, data, 0, blockSize);
        }
    }

    @Override
    public void write(final int file, final long blockNo, final ByteBuffer src, final int offset)
    {
        writes.increment();
        final byte[] data = new byte[blockSize];
        src.get(offset, data, 0, blockSize);
        blocks.put(key(file, blockNo), data);
    }

    /**
     * @param file    file id.
     * @param blockNo block number.
     * @return a copy of the stored block, or {@code null} if never written.
     */
    public byte[] get(final int file, final long blockNo)
    {
        final byte[] data = blocks.get(key(file, blockNo));
        return null == data ? null : data.clone();
    }

    /**
     * @return block reads served so far.
     */
    public long reads()
    {
        return reads.sum();
    }

    /**
     * @return block writes received so far.
     */
    public long writes()
    {
        return writes.sum();
    }

    @Override
    public void flush()
    {
        // Memory is as durable as it gets here.
    }

    @Override
    public void close()
    {
        // Contents stay readable for assertions after the cache closes.
    }
}

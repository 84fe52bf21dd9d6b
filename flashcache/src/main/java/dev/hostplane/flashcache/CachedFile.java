package dev.hostplane.flashcache;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One file of the backing store as seen through a {@link BlockCache}: what {@link BlockCache#open(String)}
 * returns. It reads, writes and invalidates blocks of that file with the cache's durability and integrity
 * contracts, and is as thread-safe as the cache. It holds no resource of its own (nothing to close); it is
 * usable until its cache is closed. {@link #id()} is the file's number for the cache's id-based methods, which
 * code that keeps many files in primitive arrays (the simulator, benchmarks) calls directly.
 */
public final class CachedFile
{
    private final BlockCache cache;
    private final String name;
    private final int id;

    CachedFile(final BlockCache cache, final String name, final int id)
    {
        this.cache = cache;
        this.name = name;
        this.id = id;
    }

    /**
     * @return the file's name in the backing store.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return the file's id in its cache, stable across restarts of a persistent flash tier.
     */
    public int id()
    {
        return id;
    }

    /**
     * Reads one block; see {@link BlockCache#read(int, long, ByteBuffer, int)}.
     *
     * @param blockNo block number.
     * @param dst     destination with at least {@code offset + blockSize} bytes.
     * @param offset  where the block goes.
     * @throws FlashDataLossException when the block's only current copy was lost.
     * @throws IOException when the backing store or flash fails.
     */
    public void read(final long blockNo, final ByteBuffer dst, final int offset) throws IOException
    {
        cache.read(id, blockNo, dst, offset);
    }

    /**
     * Writes one block; see {@link BlockCache#write(int, long, ByteBuffer, int)}.
     *
     * @param blockNo block number.
     * @param src     source with at least {@code offset + blockSize} bytes.
     * @param offset  where the block is.
     * @throws IOException when the backing store or flash fails.
     */
    public void write(final long blockNo, final ByteBuffer src, final int offset) throws IOException
    {
        cache.write(id, blockNo, src, offset);
    }

    /**
     * Drops every cached copy of a block; see {@link BlockCache#invalidate(int, long)}.
     *
     * @param blockNo block number.
     * @throws IOException when the invalidation cannot be persisted.
     */
    public void invalidate(final long blockNo) throws IOException
    {
        cache.invalidate(id, blockNo);
    }

    @Override
    public String toString()
    {
        return "CachedFile{" + name + ", id=" + id + '}';
    }
}

package dev.hostplane.flashcache;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The slow store under the cache (a file system, a network filer, an object store) addressed by file and
 * block number. Implementations must be thread-safe.
 *
 * <p>Buffers: a block is {@link #blockSize()} bytes at {@code offset} in the buffer; implementations must
 * not keep the buffer and must leave its position and limit as they found them.
 */
public interface BackingStore extends AutoCloseable
{
    /**
     * @return the block size in bytes.
     */
    int blockSize();

    /**
     * Tells the store which name a file id stands for. Called once per id before any read or write.
     *
     * @param file the cache's id for the file.
     * @param name the file's name in this store.
     * @throws IOException when the file cannot be opened.
     */
    void open(int file, String name) throws IOException;

    /**
     * Reads one block; bytes past the end of the file read as zero.
     *
     * @param file    file id.
     * @param blockNo block number.
     * @param dst     destination.
     * @param offset  where in {@code dst} the block goes.
     * @throws IOException on failure.
     */
    void read(int file, long blockNo, ByteBuffer dst, int offset) throws IOException;

    /**
     * Writes one block.
     *
     * @param file    file id.
     * @param blockNo block number.
     * @param src     source.
     * @param offset  where in {@code src} the block is.
     * @throws IOException on failure.
     */
    void write(int file, long blockNo, ByteBuffer src, int offset) throws IOException;

    /**
     * Makes every completed write durable.
     *
     * @throws IOException on failure.
     */
    void flush() throws IOException;

    @Override
    void close() throws IOException;
}

package dev.hostplane.benchmarks.flashcache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.hostplane.flashcache.BlockCache;
import dev.hostplane.flashcache.CacheConfig;
import dev.hostplane.flashcache.WritePolicy;
import dev.hostplane.flashcache.store.FileBackingStore;
import dev.hostplane.flashcache.trace.ZipfGenerator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The cache's hot paths: a RAM hit, a flash hit (RAM misses on a cyclic scan larger than RAM, flash holds
 * everything: pread + CRC32C check + RAM fill) and a Zipf 0.99 mix with 30% writes (no fsync). Run with
 * {@code -prof gc} to see that the hit paths allocate nothing per operation; {@code ramShards} compares the
 * single-lock RAM tier with the sharded default, and the {@code TwoThreads} variants show contention:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar BlockCacheBenchmark -f 1 -wi 2 -w 1s -i 3 -r 1s -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BlockCacheBenchmark
{
    private static final int RAM_BLOCKS = 256;
    private static final int FLASH_BLOCKS = 8192;
    private static final int SCAN_BLOCKS = 4096;

    /** RAM-tier shards: 1 is the single-lock tier of before sharding, 0 the default (here 4: 256 blocks / 64). */
    @Param({"1", "0"})
    public int ramShards;

    private Path dir;
    private FileBackingStore store;
    private BlockCache cache;
    private int file;

    /** Per-thread buffer and cursors. */
    @State(Scope.Thread)
    public static class Cursor
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(CacheConfig.BLOCK_SIZE_DEFAULT);
        final ZipfGenerator zipf = new ZipfGenerator(FLASH_BLOCKS * 2, 0.99, Thread.currentThread().getId());
        long next;
    }

    /**
     * Opens a cache over a temporary directory and fills RAM and flash.
     *
     * @throws IOException on failure.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        dir = Files.createTempDirectory("flashcache-jmh");
        store = new FileBackingStore(dir.resolve("store"), CacheConfig.BLOCK_SIZE_DEFAULT);
        cache = BlockCache.open(CacheConfig.builder().ramBlocks(RAM_BLOCKS).ramShards(ramShards)
            .flashDirectory(dir.resolve("flash")).flashBlocks(FLASH_BLOCKS).segmentBlocks(256)
            .flashWritePolicy(WritePolicy.PERIODIC_WRITE_BACK).fsync(false).build(), store);
        file = cache.open("bench.dat").id();
        final ByteBuffer buffer = ByteBuffer.allocateDirect(CacheConfig.BLOCK_SIZE_DEFAULT);
        for (long b = 0; b < SCAN_BLOCKS; b++)
        {
            buffer.putLong(0, b);
            cache.write(file, b, buffer, 0);
        }
        cache.flush();
    }

    /**
     * Closes the cache and deletes the directory.
     *
     * @throws IOException on failure.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        cache.close();
        store.close();
        try (Stream<Path> walk = Files.walk(dir))
        {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * A read served by RAM.
     *
     * @param cursor per-thread state.
     * @return a byte of the block.
     * @throws IOException never in practice.
     */
    @Benchmark
    public long ramHit(final Cursor cursor) throws IOException
    {
        // Block 0..63 stay hot in RAM (256 slots).
        final long block = (cursor.next++) & 63;
        cache.read(file, block, cursor.buffer, 0);
        return cursor.buffer.getLong(0);
    }

    /**
     * A read RAM misses and flash serves (cyclic scan over 4096 blocks, RAM holds 256).
     *
     * @param cursor per-thread state.
     * @return a byte of the block.
     * @throws IOException never in practice.
     */
    @Benchmark
    public long flashHit(final Cursor cursor) throws IOException
    {
        final long block = 64 + (cursor.next++ % (SCAN_BLOCKS - 64));
        cache.read(file, block, cursor.buffer, 0);
        return cursor.buffer.getLong(0);
    }

    /**
     * Zipf 0.99 over twice the flash size, 30% writes, no fsync: the whole mixed path including backing reads.
     *
     * @param cursor per-thread state.
     * @return a byte of the block.
     * @throws IOException on failure.
     */
    @Benchmark
    public long zipfMixed(final Cursor cursor) throws IOException
    {
        final long block = cursor.zipf.next();
        if (cursor.zipf.uniform() < 0.3)
        {
            cursor.buffer.putLong(0, block);
            cache.write(file, block, cursor.buffer, 0);
        }
        else
        {
            cache.read(file, block, cursor.buffer, 0);
        }
        return cursor.buffer.getLong(0);
    }

    /**
     * {@link #ramHit} from two threads at once: shows how RAM-tier locking scales (both threads cycle over
     * the same 64 hot blocks, in different phases).
     *
     * @param cursor per-thread state.
     * @return a byte of the block.
     * @throws IOException never in practice.
     */
    @Benchmark
    @Threads(2)
    public long ramHitTwoThreads(final Cursor cursor) throws IOException
    {
        return ramHit(cursor);
    }

    /**
     * {@link #zipfMixed} from two threads at once.
     *
     * @param cursor per-thread state.
     * @return a byte of the block.
     * @throws IOException on failure.
     */
    @Benchmark
    @Threads(2)
    public long zipfMixedTwoThreads(final Cursor cursor) throws IOException
    {
        return zipfMixed(cursor);
    }
}

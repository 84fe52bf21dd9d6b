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
import dev.hostplane.flashcache.Clock;
import dev.hostplane.flashcache.WritePolicy;
import dev.hostplane.flashcache.store.LatencyBackingStore;
import dev.hostplane.flashcache.store.MemoryBackingStore;
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
 * Flash write-back towards a backing store with 1 ms write latency (a network filer): four threads write
 * different blocks with flash synchronous write-through, so each write returns only once written back.
 * Compares one write-back thread (the old design) with several. Latency-bound, so it measures the same on a
 * busy machine:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar WriteBackBenchmark -f 1 -wi 1 -w 1s -i 3 -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WriteBackBenchmark
{
    private static final int BLOCKS = 1024;

    /** Flash write-back threads. */
    @Param({"1", "2", "4"})
    public int writeBackThreads;

    private Path dir;
    private BlockCache cache;
    private int file;

    /** Per-thread buffer and block cursor (threads write disjoint blocks). */
    @State(Scope.Thread)
    public static class Cursor
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(CacheConfig.BLOCK_SIZE_DEFAULT);
        long next = Thread.currentThread().getId() * 7919;
    }

    /**
     * Opens the cache over a latency-injecting in-memory store.
     *
     * @throws IOException on failure.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        dir = Files.createTempDirectory("flashcache-wb-jmh");
        final LatencyBackingStore store = new LatencyBackingStore(
            new MemoryBackingStore(CacheConfig.BLOCK_SIZE_DEFAULT), Clock.SYSTEM, 0, TimeUnit.MILLISECONDS.toNanos(1));
        cache = BlockCache.open(CacheConfig.builder().ramBlocks(256).flashDirectory(dir.resolve("flash"))
            .flashBlocks(8192).segmentBlocks(256).flashWritePolicy(WritePolicy.SYNC_WRITE_THROUGH)
            .flashWriteBackThreads(writeBackThreads).fsync(false).build(), store);
        file = cache.open("wb.dat").id();
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
        try (Stream<Path> walk = Files.walk(dir))
        {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * One synchronous write-through write: returns after the block reached the backing store.
     *
     * @param cursor per-thread state.
     * @throws IOException on failure.
     */
    @Benchmark
    @Threads(4)
    public void syncWriteThrough(final Cursor cursor) throws IOException
    {
        final long block = (cursor.next++) % BLOCKS;
        cursor.buffer.putLong(0, block);
        cache.write(file, block, cursor.buffer, 0);
    }
}

package dev.hostplane.flashcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicLongArray;

import dev.hostplane.flashcache.store.LatencyBackingStore;
import dev.hostplane.flashcache.store.MemoryBackingStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Many readers and writers on a few hot blocks while RAM and flash evict and write back: every read sees one
 * whole version of a block (never torn), never older than the last write that completed before the read
 * started; the dirty limit holds writers back.
 */
class ConcurrencyTest
{
    private static final int BS = 4096;
    private static final int BLOCKS = 96;

    @TempDir
    Path dir;

    static void fill(final ByteBuffer b, final long block, final long version)
    {
        for (int i = 0; i < BS; i += 8)
        {
            b.putLong(i, (block << 40) ^ (version << 12) ^ i);
        }
    }

    static long versionOf(final ByteBuffer b, final long block)
    {
        final long first = b.getLong(0);
        if (0 == first && 0 == b.getLong(8))
        {
            return 0;
        }
        final long version = (first ^ (block << 40)) >>> 12;
        for (int i = 0; i < BS; i += 8)
        {
            if (b.getLong(i) != ((block << 40) ^ (version << 12) ^ i))
            {
                return -1;
            }
        }
        return version;
    }

    @ParameterizedTest
    @EnumSource(WritePolicy.class)
    void shouldNeverReadTornOrOlderDataUnderConcurrentWritesAndWriteBack(final WritePolicy policy) throws Exception
    {
        final LatencyBackingStore store =
            new LatencyBackingStore(new MemoryBackingStore(BS), Clock.SYSTEM, 20_000, 50_000);
        final AtomicLongArray completed = new AtomicLongArray(BLOCKS);
        final AtomicLong versions = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Object[] blockLocks = new Object[BLOCKS];
        for (int i = 0; i < BLOCKS; i++)
        {
            blockLocks[i] = new Object();
        }
        try (BlockCache cache = BlockCache.open(CacheConfig.builder().ramBlocks(16).flashDirectory(dir.resolve("f"))
            .flashBlocks(64).segmentBlocks(8).flashWritePolicy(policy).writeBackPeriod(Duration.ofMillis(5))
            .dirtyLimitBlocks(8).fsync(false).build(), store))
        {
            final int file = cache.open("vol").id();
            final Thread[] threads = new Thread[4];
            for (int t = 0; t < threads.length; t++)
            {
                final long seed = t;
                threads[t] = new Thread(() ->
                {
                    final SplittableRandom random = new SplittableRandom(seed);
                    final ByteBuffer buffer = ByteBuffer.allocateDirect(BS);
                    try
                    {
                        for (int i = 0; i < 1500; i++)
                        {
                            final long block = random.nextInt(BLOCKS);
                            if (random.nextInt(3) == 0)
                            {
                                // Writers of one block are serialized by the cache; versions only grow per block.
                                synchronized (blockLocks[(int)block])
                                {
                                    final long version = versions.incrementAndGet();
                                    fill(buffer, block, version);
                                    cache.write(file, block, buffer, 0);
                                    completed.set((int)block, version);
                                }
                            }
                            else
                            {
                                final long floor = completed.get((int)block);
                                cache.read(file, block, buffer, 0);
                                final long got = versionOf(buffer, block);
                                if (got < 0 || got < floor)
                                {
                                    throw new AssertionError("block=" + block + " read version=" + got
                                        + " after version=" + floor + " completed (torn if -1)");
                                }
                            }
                        }
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                });
                threads[t].start();
            }
            for (final Thread thread : threads)
            {
                thread.join();
            }
            if (null != failure.get())
            {
                throw new AssertionError("policy=" + policy, failure.get());
            }
            final CacheStats stats = cache.stats();
            assertThat(stats.writes()).isGreaterThan(1000);
            assertThat(stats.flashHits() + stats.ramHits()).isGreaterThan(0);
            assertThat(cache.lastWriteBackError()).isNull();
        }
    }
}

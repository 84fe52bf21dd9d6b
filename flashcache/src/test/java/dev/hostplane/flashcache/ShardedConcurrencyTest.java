package dev.hostplane.flashcache;

import static dev.hostplane.flashcache.ConcurrencyTest.fill;
import static dev.hostplane.flashcache.ConcurrencyTest.versionOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import dev.hostplane.flashcache.store.MemoryBackingStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Eight threads reading and writing blocks spread over eight RAM shards (each small enough to evict all the
 * time) under every RAM write policy: no read is torn or older than the last write completed before it
 * started, the counters add up exactly to what the threads did, and after {@link BlockCache#flush()} the
 * backing store holds every block's last version and nothing is left dirty.
 */
class ShardedConcurrencyTest
{
    private static final int BS = 4096;
    private static final int BLOCKS = 256;
    private static final int THREADS = 8;
    private static final int OPS = 1500;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "ram={0} flash={1}")
    @CsvSource({
        "SYNC_WRITE_THROUGH, true",
        "ASYNC_WRITE_THROUGH, true",
        "PERIODIC_WRITE_BACK, true",
        "WRITE_BACK_ON_EVICTION, true",
        "PERIODIC_WRITE_BACK, false",
        "WRITE_BACK_ON_EVICTION, false",
    })
    void shouldKeepBlocksWholeAndStatsExactAcrossShards(final WritePolicy ramPolicy, final boolean withFlash)
        throws Exception
    {
        final MemoryBackingStore store = new MemoryBackingStore(BS);
        final AtomicLongArray completed = new AtomicLongArray(BLOCKS);
        final AtomicLong versions = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final LongAdder reads = new LongAdder();
        final LongAdder writes = new LongAdder();
        final Object[] blockLocks = new Object[BLOCKS];
        for (int i = 0; i < BLOCKS; i++)
        {
            blockLocks[i] = new Object();
        }
        final CacheConfig.Builder config = CacheConfig.builder().ramBlocks(64).ramShards(8).ramWritePolicy(ramPolicy)
            .writeBackPeriod(Duration.ofMillis(2)).dirtyLimitBlocks(24).fsync(false);
        if (withFlash)
        {
            config.flashDirectory(dir.resolve("f")).flashBlocks(128).segmentBlocks(8)
                .flashWritePolicy(WritePolicy.PERIODIC_WRITE_BACK);
        }
        try (BlockCache cache = BlockCache.open(config.build(), store))
        {
            assertThat(config.build().ramShards()).isEqualTo(8);
            final int file = cache.open("vol").id();
            final Thread[] threads = new Thread[THREADS];
            for (int t = 0; t < threads.length; t++)
            {
                final long seed = 1000 + t;
                threads[t] = new Thread(() ->
                {
                    final SplittableRandom random = new SplittableRandom(seed);
                    final ByteBuffer buffer = ByteBuffer.allocateDirect(BS);
                    try
                    {
                        for (int i = 0; i < OPS; i++)
                        {
                            final long block = random.nextInt(BLOCKS);
                            if (random.nextInt(3) == 0)
                            {
                                // The test orders writers of one block so that "last version" is well defined.
                                synchronized (blockLocks[(int)block])
                                {
                                    final long version = versions.incrementAndGet();
                                    fill(buffer, block, version);
                                    cache.write(file, block, buffer, 0);
                                    completed.set((int)block, version);
                                }
                                writes.increment();
                            }
                            else
                            {
                                final long floor = completed.get((int)block);
                                cache.read(file, block, buffer, 0);
                                reads.increment();
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
                }, "sharded-" + t);
                threads[t].start();
            }
            for (final Thread thread : threads)
            {
                thread.join();
            }
            if (null != failure.get())
            {
                throw new AssertionError("ramPolicy=" + ramPolicy + " flash=" + withFlash, failure.get());
            }

            final CacheStats stats = cache.stats();
            assertThat(stats.reads()).isEqualTo(reads.sum());
            assertThat(stats.writes()).isEqualTo(writes.sum());
            assertThat(stats.ramHits()).isPositive();
            assertThat(stats.ramMisses()).isPositive();
            assertThat(stats.ramDirty()).isBetween(0L, 64L);
            assertThat(cache.lastWriteBackError()).isNull();

            cache.flush();
            assertThat(cache.stats().ramDirty()).isZero();
            final ByteBuffer expected = ByteBuffer.allocate(BS);
            for (int block = 0; block < BLOCKS; block++)
            {
                final long version = completed.get(block);
                final byte[] stored = store.get(file, block);
                if (0 == version)
                {
                    assertThat(stored).as("block=%d never written", block).isNull();
                    continue;
                }
                fill(expected, block, version);
                assertThat(stored).as("block=%d version=%d in the store", block, version)
                    .isEqualTo(expected.array());
            }
        }
    }
}

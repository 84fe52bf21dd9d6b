package dev.hostplane.flashcache;

import static dev.hostplane.flashcache.ConcurrencyTest.fill;
import static dev.hostplane.flashcache.ConcurrencyTest.versionOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import dev.hostplane.flashcache.store.MemoryBackingStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Flash write-back on several threads against a slow store: the store does receive writes in parallel, yet
 * for every block it never receives an older version after a newer one (a write-back in flight blocks its
 * key), and after {@link BlockCache#flush()} it holds exactly each block's last version.
 */
class ConcurrentWriteBackTest
{
    private static final int BS = 4096;
    private static final int BLOCKS = 48;

    /** A store that takes 0.2 to 4 ms per write, counts overlapping writes and checks per-block version order. */
    static final class OrderCheckingStore implements BackingStore
    {
        final MemoryBackingStore delegate = new MemoryBackingStore(BS);
        final ConcurrentHashMap<Long, Long> lastVersion = new ConcurrentHashMap<>();
        final AtomicInteger current = new AtomicInteger();
        final AtomicInteger maxConcurrent = new AtomicInteger();
        final AtomicReference<String> violation = new AtomicReference<>();

        @Override
        public int blockSize()
        {
            return BS;
        }

        @Override
        public void open(final int file, final String name)
        {
            delegate.open(file, name);
        }

        @Override
        public void read(final int file, final long blockNo, final ByteBuffer dst, final int offset)
            throws IOException
        {
            delegate.read(file, blockNo, dst, offset);
        }

        @Override
        public void write(final int file, final long blockNo, final ByteBuffer src, final int offset)
            throws IOException
        {
            final int now = current.incrementAndGet();
            maxConcurrent.accumulateAndGet(now, Math::max);
            try
            {
                final ByteBuffer copy = ByteBuffer.allocate(BS);
                copy.put(0, src, offset, BS);
                final long version = versionOf(copy, blockNo);
                // Random latency, so a later write could overtake an earlier one if the cache let it.
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(200_000, 4_000_000));
                // Check and store atomically per block, as the device would apply them.
                lastVersion.compute(blockNo, (block, previous) ->
                {
                    if (version < 0 || (null != previous && version < previous))
                    {
                        violation.compareAndSet(null,
                            "block=" + block + " version=" + version + " written after version=" + previous);
                    }
                    return null == previous ? version : Math.max(previous, version);
                });
                delegate.write(file, blockNo, src, offset);
            }
            finally
            {
                current.decrementAndGet();
            }
        }

        @Override
        public void flush()
        {
            delegate.flush();
        }

        @Override
        public void close()
        {
            delegate.close();
        }
    }

    @TempDir
    Path dir;

    @ParameterizedTest(name = "flash={0} threads={1}")
    @CsvSource({
        "ASYNC_WRITE_THROUGH, 4",
        "PERIODIC_WRITE_BACK, 4",
        "WRITE_BACK_ON_EVICTION, 4",
        "SYNC_WRITE_THROUGH, 4",
        "ASYNC_WRITE_THROUGH, 1",
    })
    void shouldWriteBackInParallelButKeepEachBlocksVersionsInOrder(final WritePolicy policy, final int threads)
        throws Exception
    {
        final OrderCheckingStore store = new OrderCheckingStore();
        final long[] last = new long[BLOCKS];
        final int writers = 4;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicInteger versions = new AtomicInteger();
        try (BlockCache cache = BlockCache.open(CacheConfig.builder().ramBlocks(8).flashDirectory(dir.resolve("f"))
            .flashBlocks(64).segmentBlocks(8).flashWritePolicy(policy).flashWriteBackThreads(threads)
            .writeBackPeriod(Duration.ofMillis(3)).dirtyLimitBlocks(32).fsync(false).build(), store))
        {
            final int file = cache.open("vol").id();
            final Thread[] workers = new Thread[writers];
            for (int w = 0; w < writers; w++)
            {
                final int owner = w;
                workers[w] = new Thread(() ->
                {
                    // Each writer owns the blocks b with b % writers == owner: versions of a block only grow.
                    final SplittableRandom random = new SplittableRandom(owner);
                    final ByteBuffer buffer = ByteBuffer.allocateDirect(BS);
                    try
                    {
                        for (int i = 0; i < 150; i++)
                        {
                            final int block = owner + writers * random.nextInt(BLOCKS / writers);
                            final long version = versions.incrementAndGet();
                            fill(buffer, block, version);
                            cache.write(file, block, buffer, 0);
                            last[block] = version;
                        }
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                }, "writer-" + w);
                workers[w].start();
            }
            for (final Thread worker : workers)
            {
                worker.join();
            }
            if (null != failure.get())
            {
                throw new AssertionError("policy=" + policy, failure.get());
            }
            cache.flush();
            assertThat(cache.stats().flashDirty()).isZero();
            assertThat(cache.lastWriteBackError()).isNull();
            assertThat(store.violation.get()).isNull();
            final ByteBuffer expected = ByteBuffer.allocate(BS);
            for (int block = 0; block < BLOCKS; block++)
            {
                if (0 == last[block])
                {
                    continue;
                }
                fill(expected, block, last[block]);
                assertThat(store.delegate.get(file, block)).as("block=%d", block).isEqualTo(expected.array());
            }
            System.out.printf("flash=%s writeBackThreads=%d: store writes=%d, most at once=%d%n", policy, threads,
                store.delegate.writes(), store.maxConcurrent.get());
            if (threads > 1 && WritePolicy.SYNC_WRITE_THROUGH != policy)
            {
                // Hundreds of writes of ~2 ms each with four writer threads: several write-backs must have overlapped.
                assertThat(store.maxConcurrent.get()).isGreaterThan(1);
            }
            else if (1 == threads)
            {
                // The one write-back thread, plus this thread's flush() at the end.
                assertThat(store.maxConcurrent.get()).isLessThanOrEqualTo(2);
            }
        }
    }
}

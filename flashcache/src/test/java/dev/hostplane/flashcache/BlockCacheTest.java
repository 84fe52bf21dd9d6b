package dev.hostplane.flashcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;

import dev.hostplane.flashcache.store.MemoryBackingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BlockCacheTest
{
    private static final int BS = 4096;

    @TempDir
    Path dir;

    static ByteBuffer block(final long seed)
    {
        final ByteBuffer b = ByteBuffer.allocateDirect(BS);
        for (int i = 0; i < BS; i += 8)
        {
            b.putLong(i, seed * 31 + i);
        }
        return b;
    }

    static void assertBlock(final ByteBuffer b, final long seed)
    {
        for (int i = 0; i < BS; i += 8)
        {
            assertThat(b.getLong(i)).as("seed=%d offset=%d", seed, i).isEqualTo(seed * 31 + i);
        }
    }

    private CacheConfig.Builder config(final WritePolicy flashPolicy)
    {
        return CacheConfig.builder().ramBlocks(16).flashDirectory(dir.resolve("flash")).flashBlocks(64).segmentBlocks(8)
            .flashWritePolicy(flashPolicy).writeBackPeriod(Duration.ofMillis(20)).fsync(false);
    }

    @ParameterizedTest
    @EnumSource(WritePolicy.class)
    void shouldReadBackWritesThroughEvictionsAndReachStoreAfterFlush(final WritePolicy policy) throws Exception
    {
        final MemoryBackingStore store = new MemoryBackingStore(BS);
        try (BlockCache cache = BlockCache.open(config(policy).build(), store))
        {
            final int file = cache.open("vol").id();
            for (int round = 0; round < 3; round++)
            {
                for (long b = 0; b < 100; b++)
                {
                    cache.write(file, b, block(b * 10 + round), 0);
                }
            }
            final ByteBuffer dst = ByteBuffer.allocateDirect(BS);
            for (long b = 0; b < 100; b++)
            {
                cache.read(file, b, dst, 0);
                assertBlock(dst, b * 10 + 2);
            }
            cache.flush();
            for (long b = 0; b < 100; b++)
            {
                assertBlock(ByteBuffer.wrap(store.get(file, b)), b * 10 + 2);
            }
            final CacheStats stats = cache.stats();
            assertThat(stats.flashDirty()).isZero();
            assertThat(stats.writes()).isEqualTo(300);
            assertThat(stats.flashDataBytes()).isGreaterThan(0);
        }
    }

    @Test
    void shouldReadWriteAndInvalidateThroughAFileHandleWhoseIdSurvivesARestart() throws Exception
    {
        final MemoryBackingStore store = new MemoryBackingStore(BS);
        final ByteBuffer dst = ByteBuffer.allocateDirect(BS);
        final int volumeId;
        try (BlockCache cache = BlockCache.open(config(WritePolicy.PERIODIC_WRITE_BACK).build(), store))
        {
            final CachedFile volume = cache.open("volume0");
            final CachedFile other = cache.open("volume1");
            assertThat(volume.name()).isEqualTo("volume0");
            assertThat(other.id()).isNotEqualTo(volume.id());
            assertThat(cache.open("volume0").id()).isEqualTo(volume.id());
            volume.write(3, block(3), 0);
            other.write(3, block(33), 0);
            volume.read(3, dst, 0);
            assertBlock(dst, 3);
            other.read(3, dst, 0);
            assertBlock(dst, 33);
            cache.flush();
            assertBlock(ByteBuffer.wrap(store.get(volume.id(), 3)), 3);
            store.write(volume.id(), 3, block(4), 0);
            volume.read(3, dst, 0);
            assertBlock(dst, 3);
            volume.invalidate(3);
            volume.read(3, dst, 0);
            assertBlock(dst, 4);
            volumeId = volume.id();
        }
        try (BlockCache cache = BlockCache.open(config(WritePolicy.PERIODIC_WRITE_BACK).build(), store))
        {
            assertThat(cache.open("volume1").id()).isNotEqualTo(volumeId);
            assertThat(cache.open("volume0").id()).isEqualTo(volumeId);
        }
    }

    @Test
    void shouldServeFromFlashAfterRamEvictionAndComeBackWarm() throws Exception
    {
        final MemoryBackingStore store = new MemoryBackingStore(BS);
        final ByteBuffer dst = ByteBuffer.allocateDirect(BS);
        try (BlockCache cache = BlockCache.open(config(WritePolicy.ASYNC_WRITE_THROUGH).build(), store))
        {
            final int file = cache.open("vol").id();
            for (long b = 0; b < 40; b++)
            {
                cache.write(file, b, block(b), 0);
            }
            cache.flush();
            for (long b = 0; b < 40; b++)
            {
                cache.read(file, b, dst, 0);
                assertBlock(dst, b);
            }
            final CacheStats stats = cache.stats();
            assertThat(stats.flashHits()).isGreaterThan(0);
            assertThat(stats.backingReads()).isZero();
        }
        final long readsBefore = store.reads();
        try (BlockCache cache = BlockCache.open(config(WritePolicy.ASYNC_WRITE_THROUGH).build(), store))
        {
            final int file = cache.open("vol").id();
            assertThat(cache.stats().recoveredBlocks()).isEqualTo(40);
            for (long b = 0; b < 40; b++)
            {
                cache.read(file, b, dst, 0);
                assertBlock(dst, b);
            }
            assertThat(store.reads()).isEqualTo(readsBefore);
            assertThat(cache.stats().flashHits()).isEqualTo(40);
        }
    }

    @Test
    void shouldNotBringBackInvalidatedBlockAfterRestart() throws Exception
    {
        final MemoryBackingStore store = new MemoryBackingStore(BS);
        final ByteBuffer dst = ByteBuffer.allocateDirect(BS);
        try (BlockCache cache = BlockCache.open(config(WritePolicy.WRITE_BACK_ON_EVICTION).build(), store))
        {
            final int file = cache.open("vol").id();
            cache.write(file, 1, block(1), 0);
            cache.write(file, 2, block(2), 0);
            cache.invalidate(file, 1);
        }
        try (BlockCache cache = BlockCache.open(config(WritePolicy.WRITE_BACK_ON_EVICTION).build(), store))
        {
            final int file = cache.open("vol").id();
            assertThat(cache.stats().recoveredBlocks()).isEqualTo(1);
            cache.read(file, 1, dst, 0);
            assertThat(dst.getLong(0)).isZero();
            cache.read(file, 2, dst, 0);
            assertBlock(dst, 2);
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void shouldKeepTiersInclusiveOrExclusive(final Architecture architecture) throws Exception
    {
        final MemoryBackingStore store = new MemoryBackingStore(BS);
        final ByteBuffer dst = ByteBuffer.allocateDirect(BS);
        try (BlockCache cache = BlockCache.open(config(WritePolicy.SYNC_WRITE_THROUGH).architecture(architecture).build(), store))
        {
            final int file = cache.open("vol").id();
            for (long b = 0; b < 8; b++)
            {
                cache.read(file, b, dst, 0);
            }
            final CacheStats stats = cache.stats();
            // Naive fills both tiers on a miss; unified fills RAM only (nothing was evicted yet).
            assertThat(stats.flashLive()).isEqualTo(Architecture.NAIVE == architecture ? 8 : 0);
            for (long b = 8; b < 40; b++)
            {
                cache.read(file, b, dst, 0);
            }
            // Unified: RAM evictions moved 24 blocks down to flash.
            assertThat(cache.stats().flashLive()).isEqualTo(Architecture.NAIVE == architecture ? 40 : 24);
            cache.read(file, 0, dst, 0);
            assertThat(cache.stats().flashHits()).isEqualTo(1);
        }
    }

    @Test
    void shouldInvalidateOtherHostsAndCountInvalidationsPerWrite() throws Exception
    {
        final MemoryBackingStore store = new MemoryBackingStore(BS);
        final InvalidationBus bus = new InvalidationBus();
        final ByteBuffer dst = ByteBuffer.allocateDirect(BS);
        try (BlockCache a = BlockCache.open(CacheConfig.builder().ramBlocks(8).invalidationBus(bus, "a").build(), store);
            BlockCache b = BlockCache.open(CacheConfig.builder().ramBlocks(8)
                .flashDirectory(dir.resolve("b")).flashBlocks(32).segmentBlocks(8).fsync(false)
                .flashWritePolicy(WritePolicy.SYNC_WRITE_THROUGH).invalidationBus(bus, "b").build(), store))
        {
            final int fa = a.open("shared").id();
            final int fb = b.open("shared").id();
            a.write(fa, 5, block(1), 0);
            b.read(fb, 5, dst, 0);
            assertBlock(dst, 1);
            a.write(fa, 5, block(2), 0);
            b.read(fb, 5, dst, 0);
            assertBlock(dst, 2);
            b.write(fb, 5, block(3), 0);
            a.read(fa, 5, dst, 0);
            assertBlock(dst, 3);
            assertThat(a.stats().invalidationsSent()).isEqualTo(2);
            assertThat(a.stats().invalidationsPerWrite()).isEqualTo(1.0);
            assertThat(b.stats().invalidationsApplied()).isEqualTo(1);
            assertThat(bus.published()).isEqualTo(3);
        }
    }

    @Test
    void shouldWriteBackRamDirtyBlocksPeriodically() throws Exception
    {
        final MemoryBackingStore store = new MemoryBackingStore(BS);
        try (BlockCache cache = BlockCache.open(CacheConfig.builder().ramBlocks(32)
            .ramWritePolicy(WritePolicy.PERIODIC_WRITE_BACK).writeBackPeriod(Duration.ofMillis(10)).build(), store))
        {
            final int file = cache.open("vol").id();
            cache.write(file, 3, block(3), 0);
            assertThat(cache.stats().ramDirty()).isEqualTo(1);
            final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (null == store.get(file, 3) && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            assertBlock(ByteBuffer.wrap(store.get(file, 3)), 3);
            assertThat(cache.stats().ramDirty()).isZero();
        }
    }

    @Test
    void shouldWriteBackRamDirtyBlockOnlyWhenEvicted() throws Exception
    {
        final MemoryBackingStore store = new MemoryBackingStore(BS);
        final ByteBuffer dst = ByteBuffer.allocateDirect(BS);
        try (BlockCache cache = BlockCache.open(CacheConfig.builder().ramBlocks(8).ramEviction(EvictionPolicy.LRU)
            .ramWritePolicy(WritePolicy.WRITE_BACK_ON_EVICTION).build(), store))
        {
            final int file = cache.open("vol").id();
            cache.write(file, 0, block(7), 0);
            Thread.sleep(50);
            assertThat(store.get(file, 0)).as("not written back before eviction").isNull();
            for (long b = 1; b <= 8; b++)
            {
                cache.read(file, b, dst, 0);
            }
            assertBlock(ByteBuffer.wrap(store.get(file, 0)), 7);
            cache.read(file, 0, dst, 0);
            assertBlock(dst, 7);
        }
    }

    @Test
    void shouldWriteRamDirtyBlockThroughAsynchronously() throws Exception
    {
        final MemoryBackingStore store = new MemoryBackingStore(BS);
        try (BlockCache cache = BlockCache.open(CacheConfig.builder().ramBlocks(8)
            .ramWritePolicy(WritePolicy.ASYNC_WRITE_THROUGH).build(), store))
        {
            final int file = cache.open("vol").id();
            cache.write(file, 4, block(4), 0);
            final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (null == store.get(file, 4) && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
            assertBlock(ByteBuffer.wrap(store.get(file, 4)), 4);
        }
    }

    @Test
    void shouldHoldFlashDirtyBlocksUnderLimitAndReportWriteBackLag() throws Exception
    {
        final MemoryBackingStore store = new MemoryBackingStore(BS);
        try (BlockCache cache = BlockCache.open(CacheConfig.builder().ramBlocks(8).flashDirectory(dir.resolve("lag"))
            .flashBlocks(256).segmentBlocks(16).flashWritePolicy(WritePolicy.PERIODIC_WRITE_BACK)
            .writeBackPeriod(Duration.ofHours(1)).dirtyLimitBlocks(20).fsync(false).build(), store))
        {
            final int file = cache.open("vol").id();
            for (long b = 0; b < 100; b++)
            {
                cache.write(file, b, block(b), 0);
                assertThat(cache.stats().flashDirty()).isLessThanOrEqualTo(20);
            }
            // The period is an hour: only backpressure wrote anything back.
            assertThat(store.writes()).isGreaterThanOrEqualTo(80);
            Thread.sleep(20);
            final CacheStats stats = cache.stats();
            assertThat(stats.flashDirty()).isPositive();
            assertThat(stats.writeBackLagNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
            assertThat(stats.writeLatency().count()).isEqualTo(100);
        }
    }

    @Test
    void shouldMoveUnifiedRamBlocksToFlashOnCloseSoRestartIsWarm() throws Exception
    {
        final MemoryBackingStore store = new MemoryBackingStore(BS);
        final ByteBuffer dst = ByteBuffer.allocateDirect(BS);
        final CacheConfig.Builder config = config(WritePolicy.ASYNC_WRITE_THROUGH).architecture(Architecture.UNIFIED);
        try (BlockCache cache = BlockCache.open(config.build(), store))
        {
            final int file = cache.open("vol").id();
            for (long b = 0; b < 10; b++)
            {
                cache.read(file, b, dst, 0);
            }
            assertThat(cache.stats().flashLive()).isZero();
        }
        try (BlockCache cache = BlockCache.open(config(WritePolicy.ASYNC_WRITE_THROUGH)
            .architecture(Architecture.UNIFIED).build(), store))
        {
            final int file = cache.open("vol").id();
            assertThat(cache.stats().recoveredBlocks()).isEqualTo(10);
            for (long b = 0; b < 10; b++)
            {
                cache.read(file, b, dst, 0);
            }
            assertThat(cache.stats().flashHits()).isEqualTo(10);
        }
    }

    @Test
    void shouldStartColdWithNonPersistentFlash() throws Exception
    {
        final MemoryBackingStore store = new MemoryBackingStore(BS);
        final CacheConfig.Builder config = config(WritePolicy.SYNC_WRITE_THROUGH).persistent(false);
        try (BlockCache cache = BlockCache.open(config.build(), store))
        {
            final int file = cache.open("vol").id();
            cache.write(file, 1, block(1), 0);
            assertThat(cache.stats().flashLive()).isEqualTo(1);
        }
        try (BlockCache cache = BlockCache.open(config(WritePolicy.SYNC_WRITE_THROUGH).persistent(false).build(), store))
        {
            final int file = cache.open("vol").id();
            assertThat(cache.stats().recoveredBlocks()).isZero();
            final ByteBuffer dst = ByteBuffer.allocateDirect(BS);
            cache.read(file, 1, dst, 0);
            assertBlock(dst, 1);
            assertThat(cache.stats().backingReads()).isEqualTo(1);
        }
    }

    @Test
    void shouldRejectBadConfigurationWithTheValueNamed()
    {
        assertThatThrownBy(() -> CacheConfig.builder().blockSize(1000).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("blockSize=1000");
        assertThatThrownBy(() -> CacheConfig.builder().flashDirectory(dir).flashBlocks(100).segmentBlocks(64).build())
            .hasMessageStartingWith("flashBlocks=100 must hold at least 2 segments");
        assertThatThrownBy(() -> BlockCache.open(CacheConfig.builder().build(), new MemoryBackingStore(512)))
            .hasMessage("store blockSize=512 differs from cache blockSize=4096");
    }

    @Test
    void shouldKeepABuiltConfigurationWhenItsBuilderChangesLater()
    {
        final CacheConfig.Builder builder = CacheConfig.builder().ramBlocks(256).ramShards(0)
            .flashDirectory(dir).flashBlocks(100).segmentBlocks(8);
        final CacheConfig config = builder.build();
        builder.ramBlocks(8).flashBlocks(64);

        assertThat(config.ramBlocks()).isEqualTo(256);
        assertThat(config.ramShards()).as("0 resolves to a power of two").isPositive()
            .satisfies((n) -> assertThat(Integer.bitCount(n)).isOne());
        assertThat(config.flashBlocks()).as("rounded down to whole segments").isEqualTo(96);
        assertThat(config.dirtyLimitBlocks()).as("default: a quarter of the flash tier").isEqualTo(24);
        assertThat(builder.build().flashBlocks()).isEqualTo(64);
    }
}

package dev.hostplane.flashcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;

import dev.hostplane.flashcache.sim.SimClock;
import dev.hostplane.flashcache.store.MemoryBackingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Caller-runs background work, as the simulator drives it: each call is one step of one write-back thread (one
 * RAM block of the RAM writer's pass, one flash block of one flash writer), so an owner can interleave the
 * threads in time order; the "until" methods say when each thread has work. The simulator's settable clock
 * drives time, so nothing here sleeps.
 */
class CallerRunsBackgroundWorkTest
{
    private static final int BLOCK = 4096;

    @TempDir
    Path dir;

    @Test
    void shouldWriteOneRamBlockPerStepAndEndAPeriodicPassWhenNoneIsLeft() throws Exception
    {
        final SimClock clock = new SimClock();
        final MemoryBackingStore store = new MemoryBackingStore(BLOCK);
        final CacheConfig config = CacheConfig.builder().blockSize(BLOCK).ramBlocks(64).ramShards(2)
            .ramWritePolicy(WritePolicy.PERIODIC_WRITE_BACK).writeBackPeriod(Duration.ofSeconds(1)).clock(clock)
            .callerRunsBackgroundWork(true).build();
        try (BlockCache cache = BlockCache.open(config, store))
        {
            final CachedFile file = cache.open("f");
            final ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
            for (int b = 0; b < 5; b++)
            {
                file.write(b, block, 0);
            }
            assertThat(cache.nanosUntilRamWriteBack()).isEqualTo(Duration.ofSeconds(1).toNanos());
            assertThat(cache.doRamWriteBack()).as("not due yet").isZero();
            clock.set(Duration.ofSeconds(1).toNanos());
            for (int step = 1; step <= 5; step++)
            {
                assertThat(cache.nanosUntilRamWriteBack()).isZero();
                assertThat(cache.doRamWriteBack()).isEqualTo(1);
                assertThat(store.writes()).as("blocks in the store after step %d", step).isEqualTo(step);
            }
            assertThat(cache.doRamWriteBack()).as("the pass ends").isZero();
            assertThat(cache.nanosUntilRamWriteBack()).isEqualTo(Long.MAX_VALUE);
            file.write(9, block, 0);
            assertThat(cache.nanosUntilRamWriteBack()).as("next pass a period after the last ended")
                .isEqualTo(Duration.ofSeconds(1).toNanos());
        }
    }

    @Test
    void shouldWriteBackOneFlashBlockPerStep() throws Exception
    {
        final SimClock clock = new SimClock();
        final MemoryBackingStore store = new MemoryBackingStore(BLOCK);
        final CacheConfig config = CacheConfig.builder().blockSize(BLOCK).ramBlocks(64)
            .ramWritePolicy(WritePolicy.SYNC_WRITE_THROUGH).flashDirectory(dir).flashBlocks(256).segmentBlocks(16)
            .flashWritePolicy(WritePolicy.ASYNC_WRITE_THROUGH).clock(clock).callerRunsBackgroundWork(true).build();
        try (BlockCache cache = BlockCache.open(config, store))
        {
            final CachedFile file = cache.open("f");
            final ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
            for (int b = 0; b < 3; b++)
            {
                file.write(b, block, 0);
            }
            assertThat(store.writes()).isZero();
            assertThat(cache.nanosUntilRamWriteBack()).isEqualTo(Long.MAX_VALUE);
            for (int step = 1; step <= 3; step++)
            {
                assertThat(cache.nanosUntilFlashWriteBack()).isZero();
                assertThat(cache.doFlashWriteBack()).isEqualTo(1);
                assertThat(store.writes()).isEqualTo(step);
            }
            assertThat(cache.doFlashWriteBack()).isZero();
            assertThat(cache.nanosUntilFlashWriteBack()).isEqualTo(Long.MAX_VALUE);
            assertThat(cache.stats().flashDirty()).isZero();
        }
    }
}

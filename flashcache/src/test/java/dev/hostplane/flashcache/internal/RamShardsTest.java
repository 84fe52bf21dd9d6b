package dev.hostplane.flashcache.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hostplane.flashcache.EvictionPolicy;
import dev.hostplane.flashcache.policy.ReplacementPolicy;
import org.junit.jupiter.api.Test;

class RamShardsTest
{
    @Test
    void shouldPickFourShardsPerProcessorButKeepShardsLargeEnough()
    {
        assertThat(RamShards.defaultShardCount(1024, 2)).isEqualTo(8);
        assertThat(RamShards.defaultShardCount(1 << 20, 3)).isEqualTo(16);
        assertThat(RamShards.defaultShardCount(1 << 20, 64)).isEqualTo(256);
        assertThat(RamShards.defaultShardCount(256, 16)).isEqualTo(4);
        assertThat(RamShards.defaultShardCount(127, 8)).isEqualTo(1);
        assertThat(RamShards.defaultShardCount(1, 1)).isEqualTo(1);
    }

    @Test
    void shouldSplitCapacityEvenlyAndUseEveryShard()
    {
        final RamShards shards = new RamShards(8, 1003, EvictionPolicy.LRU::create, 512);
        int total = 0;
        for (int i = 0; i < shards.shardCount(); i++)
        {
            final int capacity = shards.shard(i).capacity();
            assertThat(capacity).isBetween(125, 126);
            total += capacity;
        }
        assertThat(total).isEqualTo(1003).isEqualTo(shards.capacity());

        final int[] hits = new int[8];
        for (long key = 0; key < 8000; key++)
        {
            final RamTier shard = shards.forKey(key);
            for (int i = 0; i < 8; i++)
            {
                if (shards.shard(i) == shard)
                {
                    hits[i]++;
                }
            }
        }
        for (final int count : hits)
        {
            // 1000 expected per shard; a usable hash stays well inside this band.
            assertThat(count).isBetween(800, 1200);
        }
    }

    @Test
    void shouldCountDirtyBlocksAcrossShards()
    {
        final RamShards shards = new RamShards(4, 64, EvictionPolicy.S3FIFO::create, 512);
        for (long key = 0; key < 10; key++)
        {
            final RamTier shard = shards.forKey(key);
            shard.lock().lock();
            try
            {
                final int slot = shard.admit(key);
                assertThat(shard.evictedKey()).isEqualTo(ReplacementPolicy.NO_KEY);
                shard.dirty(slot, true);
                shard.dirty(slot, true);
            }
            finally
            {
                shard.lock().unlock();
            }
        }
        assertThat(shards.dirtyCount()).isEqualTo(10);
        final RamTier shard = shards.forKey(3);
        shard.remove(3);
        assertThat(shards.dirtyCount()).isEqualTo(9);
    }

    @Test
    void shouldRejectShardCountsThatAreNotPowersOfTwoOrExceedCapacity()
    {
        assertThatThrownBy(() -> new RamShards(3, 64, EvictionPolicy.LRU::create, 512))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ramShards=3");
        assertThatThrownBy(() -> new RamShards(128, 64, EvictionPolicy.LRU::create, 512))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ramBlocks=64");
    }
}

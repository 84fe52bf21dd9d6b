package dev.hostplane.flashcache.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.hostplane.flashcache.BlockCache;
import dev.hostplane.flashcache.CacheConfig;
import dev.hostplane.flashcache.CacheStats;
import dev.hostplane.flashcache.EvictionPolicy;
import dev.hostplane.flashcache.store.MemoryBackingStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The RAM tier inside a {@link BlockCache}: with one shard it makes exactly the decisions of its replacement
 * policy (the same hits, access by access, as {@link TraceReplay} that {@link PublishedHitRatioTest} checks
 * against the published table); with eight shards the hit ratio stays close to it.
 */
class ShardedHitRatioTest
{
    private static final int CAPACITY = 2000;
    private static final long ACCESSES = 300_000;
    private static final int BS = 512;

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void shouldReproduceThePolicyExactlyWithOneShardAndCloselyWithEight(final EvictionPolicy eviction)
        throws Exception
    {
        final Path file = PublishedHitRatioTest.traces().resolve("arc/OLTP.lis.gz");
        if (!Files.isReadable(file))
        {
            System.out.println("SKIP: trace not readable: " + file.toAbsolutePath());
        }
        assumeTrue(Files.isReadable(file), "trace not readable: " + file);

        final TraceReplay.Result policy = TraceReplay.replay(file, TraceFormat.ARC, eviction.create(CAPACITY), ACCESSES);
        final CacheStats one = replayThroughCache(file, eviction, 1);
        final CacheStats eight = replayThroughCache(file, eviction, 8);
        final double eightPercent = 100.0 * eight.ramHitRatio();
        System.out.printf("OLTP first %d accesses c=%d %s: policy %.2f%%, 1 shard %.2f%%, 8 shards %.2f%%%n",
            policy.accesses(), CAPACITY, eviction, policy.hitRatioPercent(), 100.0 * one.ramHitRatio(),
            eightPercent);

        assertThat(one.reads()).isEqualTo(policy.accesses()).isEqualTo(ACCESSES);
        assertThat(one.ramHits()).isEqualTo(policy.hits());
        assertThat(eight.reads()).isEqualTo(policy.accesses());
        // Hashing splits the capacity into eight independent caches: close to, not equal to, the policy.
        assertThat(eightPercent).isBetween(policy.hitRatioPercent() - 3.0, policy.hitRatioPercent() + 3.0);
    }

    private static CacheStats replayThroughCache(final Path file, final EvictionPolicy eviction, final int shards)
        throws IOException
    {
        final CacheConfig.Builder config = CacheConfig.builder().blockSize(BS).ramBlocks(CAPACITY).ramShards(shards)
            .ramEviction(eviction);
        try (BlockCache cache = BlockCache.open(config.build(), new MemoryBackingStore(BS)))
        {
            final int id = cache.open("oltp").id();
            final ByteBuffer buffer = ByteBuffer.allocateDirect(BS);
            // Every access is a reference, as in the published tables: replay them all as reads.
            TraceReader.read(file, TraceFormat.ARC, (block, write) ->
            {
                try
                {
                    cache.read(id, block, buffer, 0);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            }, ACCESSES);
            return cache.stats();
        }
    }
}

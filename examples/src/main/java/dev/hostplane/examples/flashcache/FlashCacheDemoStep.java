package dev.hostplane.examples.flashcache;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import dev.hostplane.examples.DemoStep;
import dev.hostplane.flashcache.BlockCache;
import dev.hostplane.flashcache.CacheConfig;
import dev.hostplane.flashcache.CachedFile;
import dev.hostplane.flashcache.CacheStats;
import dev.hostplane.flashcache.WritePolicy;
import dev.hostplane.flashcache.store.FileBackingStore;

/**
 * Demo: a small RAM+flash cache over files in a temporary directory: write blocks, read them back, check
 * the hit ratio, close, reopen and check that the flash tier came back warm.
 */
public final class FlashCacheDemoStep implements DemoStep
{
    private static final int BLOCKS = 128;

    @Override
    public String name()
    {
        return "flashcache: write, read, restart warm";
    }

    @Override
    public String run() throws Exception
    {
        final Path dir = Files.createTempDirectory("hostplane-flashcache-demo");
        try
        {
            final CacheConfig config = CacheConfig.builder().ramBlocks(64).flashDirectory(dir.resolve("flash"))
                .flashBlocks(1024).segmentBlocks(64).flashWritePolicy(WritePolicy.PERIODIC_WRITE_BACK).build();
            final ByteBuffer buffer = ByteBuffer.allocateDirect(CacheConfig.BLOCK_SIZE_DEFAULT);
            final double firstHitRatio;
            try (FileBackingStore store = new FileBackingStore(dir.resolve("store"), CacheConfig.BLOCK_SIZE_DEFAULT);
                BlockCache cache = BlockCache.open(config, store))
            {
                final CachedFile file = cache.open("demo.dat");
                for (long b = 0; b < BLOCKS; b++)
                {
                    buffer.putLong(0, b * 31).putLong(4088, ~b);
                    file.write(b, buffer, 0);
                }
                for (long b = 0; b < BLOCKS; b++)
                {
                    file.read(b, buffer, 0);
                    check(buffer, b);
                }
                final CacheStats stats = cache.stats();
                firstHitRatio = stats.hitRatio();
                if (stats.backingReads() != 0)
                {
                    throw new IllegalStateException("expected every read from RAM or flash: backingReads="
                        + stats.backingReads());
                }
            }
            try (FileBackingStore store = new FileBackingStore(dir.resolve("store"), CacheConfig.BLOCK_SIZE_DEFAULT);
                BlockCache cache = BlockCache.open(config, store))
            {
                final CachedFile file = cache.open("demo.dat");
                final long recovered = cache.stats().recoveredBlocks();
                for (long b = 0; b < BLOCKS; b++)
                {
                    file.read(b, buffer, 0);
                    check(buffer, b);
                }
                final CacheStats stats = cache.stats();
                if (stats.flashHits() != BLOCKS)
                {
                    throw new IllegalStateException("restart not warm: flashHits=" + stats.flashHits()
                        + " expected=" + BLOCKS + " recovered=" + recovered);
                }
                return String.format("%d blocks, hit ratio %.0f%%, restart recovered %d blocks, warm hit ratio %.0f%%",
                    BLOCKS, 100 * firstHitRatio, recovered, 100 * stats.hitRatio());
            }
        }
        finally
        {
            try (Stream<Path> walk = Files.walk(dir))
            {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void check(final ByteBuffer buffer, final long block)
    {
        if (buffer.getLong(0) != block * 31 || buffer.getLong(4088) != ~block)
        {
            throw new IllegalStateException("block=" + block + " read back wrong data: first=" + buffer.getLong(0));
        }
    }
}

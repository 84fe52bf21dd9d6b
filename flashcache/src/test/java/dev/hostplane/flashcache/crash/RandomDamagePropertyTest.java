package dev.hostplane.flashcache.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import dev.hostplane.flashcache.BlockCache;
import dev.hostplane.flashcache.CacheConfig;
import dev.hostplane.flashcache.FlashDataLossException;
import dev.hostplane.flashcache.FlashRecoveryException;
import dev.hostplane.flashcache.WritePolicy;
import dev.hostplane.flashcache.store.MemoryBackingStore;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random damage to a crash image that holds dirty blocks (the only current copy of acknowledged writes):
 * whatever is damaged, a strict open either refuses or serves every block at its acknowledged version or
 * fails its read with a {@link FlashDataLossException}; it never serves the store's older copy. After a
 * refusal, accepting the loss opens the tier and serves no torn data.
 */
class RandomDamagePropertyTest
{
    private static final int BS = CrashWorkload.BLOCK_SIZE;
    private static final int BLOCKS = 48;

    private static CacheConfig.Builder config(final Path dir, final WritePolicy policy)
    {
        return CacheConfig.builder().ramBlocks(4).flashDirectory(dir).flashBlocks(128).segmentBlocks(8)
            .flashWritePolicy(policy).writeBackPeriod(Duration.ofHours(1)).fsync(false);
    }

    @Provide
    Arbitrary<List<Damage>> damages()
    {
        return Arbitraries.of(Damage.class).list().ofMinSize(1).ofMaxSize(3);
    }

    @Property(tries = 30)
    void shouldNeverServeOlderThanAcknowledgedWhateverIsDamaged(
        @ForAll("damages") @Size(min = 1, max = 3) final List<Damage> damages, @ForAll final long seed)
        throws Exception
    {
        final Path root = Files.createTempDirectory("flashcache-damage");
        try
        {
            final SplittableRandom random = new SplittableRandom(seed);
            final WritePolicy policy = random.nextBoolean() ? WritePolicy.WRITE_BACK_ON_EVICTION
                : WritePolicy.PERIODIC_WRITE_BACK;
            final MemoryBackingStore store = new MemoryBackingStore(BS);
            final Map<Long, Long> acked = crashImage(root, store, policy, random);
            final Path image = root.resolve("image");
            final StringBuilder what = new StringBuilder();
            for (final Damage damage : damages)
            {
                if (Files.exists(image.resolve(fileOf(damage))))
                {
                    what.append(damage.apply(image, random)).append("; ");
                }
            }
            try
            {
                verify(image, store, policy, acked, false);
            }
            catch (final FlashRecoveryException refused)
            {
                assertThat(refused.problems()).as(what.toString()).isNotEmpty();
                verify(image, store, policy, acked, true);
            }
        }
        finally
        {
            try (Stream<Path> walk = Files.walk(root))
            {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String fileOf(final Damage damage)
    {
        switch (damage)
        {
            case FLIP_DATA_BYTES:
            case DELETE_DATA:
                return Damage.DATA;
            case DELETE_REGISTRY:
            case JUNK_REGISTRY:
                return Damage.REGISTRY;
            case DELETE_SEAL:
                return Damage.SEAL;
            default:
                return Damage.META;
        }
    }

    /** Writes versions of every block (some written back, the newest dirty), then copies the open tier. */
    private static Map<Long, Long> crashImage(
        final Path root, final MemoryBackingStore store, final WritePolicy policy, final SplittableRandom random)
        throws IOException
    {
        final Map<Long, Long> acked = new HashMap<>();
        final Path live = root.resolve("live");
        final ByteBuffer buffer = ByteBuffer.allocateDirect(BS);
        final BlockCache cache = BlockCache.open(config(live, policy).build(), store);
        try
        {
            final int file = cache.open(CrashWorkload.FILE).id();
            long version = 0;
            for (int round = 0; round < 3; round++)
            {
                for (long block = 0; block < BLOCKS; block++)
                {
                    if (random.nextInt(4) > 0)
                    {
                        version++;
                        CrashWorkload.fill(buffer, block, version);
                        cache.write(file, block, buffer, 0);
                        acked.put(block, version);
                    }
                }
                if (0 == round)
                {
                    cache.flush();
                }
            }
            Files.createDirectories(root.resolve("image"));
            try (Stream<Path> files = Files.list(live))
            {
                for (final Path f : files.toList())
                {
                    Files.copy(f, root.resolve("image").resolve(f.getFileName()));
                }
            }
        }
        finally
        {
            cache.close();
        }
        return acked;
    }

    private static void verify(
        final Path image, final MemoryBackingStore store, final WritePolicy policy, final Map<Long, Long> acked,
        final boolean acceptLoss) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(BS);
        try (BlockCache cache = BlockCache.open(config(image, policy).acceptDataLoss(acceptLoss).build(), store))
        {
            final int file = cache.open(CrashWorkload.FILE).id();
            for (long block = 0; block < BLOCKS; block++)
            {
                final long ack = acked.getOrDefault(block, 0L);
                try
                {
                    cache.read(file, block, buffer, 0);
                }
                catch (final FlashDataLossException lost)
                {
                    assertThat(lost.blockNo()).isEqualTo(block);
                    continue;
                }
                final long got = CrashWorkload.version(buffer, block);
                assertThat(got).as("block=%d torn", block).isNotNegative();
                assertThat(got).as("block=%d newer than written", block).isLessThanOrEqualTo(ack);
                if (!acceptLoss)
                {
                    assertThat(got).as("block=%d acked=%d: stale read (store has %d, %s)", block, ack,
                        null == store.get(file, block) ? 0 : ByteBuffer.wrap(store.get(file, block)).getLong(0), cache.stats().toString().replaceAll("Histogram@[0-9a-f]+", ""))
                        .isEqualTo(ack);
                }
            }
        }
    }
}

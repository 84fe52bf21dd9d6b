package dev.hostplane.flashcache.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import dev.hostplane.flashcache.Architecture;
import dev.hostplane.flashcache.BlockCache;
import dev.hostplane.flashcache.CacheConfig;
import dev.hostplane.flashcache.FlashDataLossException;
import dev.hostplane.flashcache.FlashRecoveryException;
import dev.hostplane.flashcache.WritePolicy;
import dev.hostplane.flashcache.store.FileBackingStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kill -9 during write load, then damage the flash files, for every write policy: a strict open either
 * refuses with a {@link FlashRecoveryException} (when the metadata cannot prove that no dirty block was
 * lost) or opens, and then every block reads back at least its acknowledged version or fails with a
 * {@link FlashDataLossException}: never an older version. After a refusal, an open that accepts the loss
 * works and serves no torn data.
 */
class DamageMatrixTest
{
    @TempDir
    Path dir;

    static java.util.stream.Stream<Arguments> cells()
    {
        final Damage[] damages = {Damage.FLIP_DATA_BYTES, Damage.FLIP_LOG_BYTES, Damage.TRUNCATE_LOG, Damage.EMPTY_LOG,
            Damage.DELETE_REGISTRY, Damage.JUNK_REGISTRY};
        final java.util.List<Arguments> cells = new java.util.ArrayList<>();
        for (final WritePolicy policy : WritePolicy.values())
        {
            for (final Damage damage : damages)
            {
                cells.add(Arguments.of(policy, damage));
            }
        }
        return cells.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cells")
    void shouldNeverServeAnOlderVersionThanAcknowledgedAfterKillAndDamage(final WritePolicy policy, final Damage damage)
        throws Exception
    {
        final SplittableRandom random = new SplittableRandom(31L * policy.ordinal() + damage.ordinal());
        final Map<Long, Long> acked = new HashMap<>();
        final Map<Long, Long> started = new HashMap<>();
        final Process child = CrashTest.startChild(dir, policy, random.nextLong(), 0, Architecture.NAIVE);
        final long acks = CrashTest.readUntilKilled(child, acked, started, new long[1], 300 + random.nextInt(200));
        assertThat(acks).as("acknowledged writes before the kill").isPositive();
        final String what = damage.apply(dir.resolve("flash"), random);

        final Outcome strict = open(CrashWorkload.config(dir, policy, Architecture.NAIVE), acked, started, false);
        System.out.printf("damage policy=%s %s: acks=%d %s%n", policy, what, acks, strict);
        if (damage.mustRefuse())
        {
            assertThat(strict.refusal).as("%s must be refused", what).isNotNull();
        }
        if (Damage.FLIP_DATA_BYTES == damage)
        {
            assertThat(strict.refusal).as("the log is intact: %s", strict.refusal).isNull();
        }
        if (null != strict.refusal)
        {
            assertThat(strict.refusal).contains("flash tier at").contains("acceptDataLoss");
            final Outcome accepted =
                open(CrashWorkload.config(dir, policy, Architecture.NAIVE).acceptDataLoss(true), acked, started, true);
            System.out.printf("damage policy=%s %s: after accepting the loss: %s%n", policy, what, accepted);
            assertThat(accepted.refusal).isNull();
        }
    }

    private static final class Outcome
    {
        String refusal;
        long checked;
        long lossErrors;
        long olderThanAcked;

        @Override
        public String toString()
        {
            return null != refusal ? "refused: " + refusal
                : "opened: checked=" + checked + " loss errors=" + lossErrors + " older than acked=" + olderThanAcked;
        }
    }

    /**
     * Opens and reads every block. Strict: stale reads fail the test. Accepted loss: stale reads are the
     * accepted loss (counted), but torn or never-written data still fails it.
     */
    private Outcome open(
        final CacheConfig.Builder config, final Map<Long, Long> acked, final Map<Long, Long> started, final boolean lossAccepted)
        throws Exception
    {
        final Outcome outcome = new Outcome();
        final ByteBuffer buffer = ByteBuffer.allocateDirect(CrashWorkload.BLOCK_SIZE);
        try (FileBackingStore store = new FileBackingStore(dir.resolve("store"), CrashWorkload.BLOCK_SIZE))
        {
            final BlockCache cache;
            try
            {
                cache = BlockCache.open(config.build(), store);
            }
            catch (final FlashRecoveryException refused)
            {
                outcome.refusal = refused.getMessage();
                return outcome;
            }
            try
            {
                final int file = cache.open(CrashWorkload.FILE).id();
                for (long block = 0; block < CrashWorkload.WRITE_BLOCKS; block++)
                {
                    final long ack = acked.getOrDefault(block, 0L);
                    final long start = started.getOrDefault(block, 0L);
                    try
                    {
                        cache.read(file, block, buffer, 0);
                    }
                    catch (final FlashDataLossException lost)
                    {
                        assertThat(lost.file()).isEqualTo(CrashWorkload.FILE);
                        assertThat(lost.blockNo()).isEqualTo(block);
                        assertThat(lost.getMessage()).contains("block=" + block).contains("damaged");
                        outcome.lossErrors++;
                        outcome.checked++;
                        continue;
                    }
                    final long got = CrashWorkload.version(buffer, block);
                    assertThat(got).as("block=%d torn or foreign data", block).isNotNegative();
                    assertThat(got).as("block=%d newer than any write", block).isLessThanOrEqualTo(Math.max(ack, start));
                    if (got < ack)
                    {
                        outcome.olderThanAcked++;
                        assertThat(lossAccepted).as("block=%d acked=%d read back %d: stale", block, ack, got).isTrue();
                    }
                    outcome.checked++;
                }
            }
            finally
            {
                cache.close();
            }
        }
        return outcome;
    }
}

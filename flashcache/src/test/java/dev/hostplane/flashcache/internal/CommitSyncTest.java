package dev.hostplane.flashcache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

import dev.hostplane.flashcache.Clock;
import dev.hostplane.flashcache.WritePolicy;
import dev.hostplane.flashcache.store.MemoryBackingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commits fsync the data file only when they cover dirty data; a commit of clean fills or invalidations
 * fsyncs just the metadata log. Why that is crash-safe: a durable clean record whose data a crash lost fails
 * its CRC on read and is a miss (the backing store has the block), never wrong data.
 */
class CommitSyncTest
{
    private static final int BS = 4096;

    @TempDir
    Path tmp;

    private static FlashTier open(final Path dir, final MemoryBackingStore store) throws IOException
    {
        return new FlashTier(dir, BS, 64, 8, true, true, WritePolicy.WRITE_BACK_ON_EVICTION, 1_000_000_000L, 32,
            Clock.SYSTEM, store);
    }

    private static ByteBuffer block(final long seed)
    {
        final ByteBuffer b = ByteBuffer.allocateDirect(BS);
        for (int i = 0; i < BS; i += 8)
        {
            b.putLong(i, seed * 31 + i);
        }
        return b;
    }

    @Test
    void shouldSyncDataOnlyForCommitsThatCoverDirtyData() throws Exception
    {
        final MemoryBackingStore store = new MemoryBackingStore(BS);
        try (FlashTier flash = open(tmp.resolve("f"), store))
        {
            flash.commit(flash.put(1, block(1), 0, false));
            assertThat(flash.dataSyncs()).isZero();
            assertThat(flash.logSyncs()).isEqualTo(1);

            flash.commit(flash.invalidate(1, true));
            assertThat(flash.dataSyncs()).isZero();
            assertThat(flash.logSyncs()).isEqualTo(2);

            flash.commit(flash.put(2, block(2), 0, true));
            assertThat(flash.dataSyncs()).isEqualTo(1);
            assertThat(flash.logSyncs()).isEqualTo(3);

            // A dirty put not yet committed is covered by the next commit, whatever record that is for.
            flash.put(3, block(3), 0, true);
            flash.commit(flash.put(4, block(4), 0, false));
            assertThat(flash.dataSyncs()).isEqualTo(2);
            assertThat(flash.logSyncs()).isEqualTo(4);

            flash.commit(flash.put(5, block(5), 0, false));
            assertThat(flash.dataSyncs()).isEqualTo(2);
            assertThat(flash.logSyncs()).isEqualTo(5);
        }
    }

    @Test
    void shouldTreatACleanBlockWhoseDataWasLostAsAMissAfterACrash() throws Exception
    {
        final MemoryBackingStore store = new MemoryBackingStore(BS);
        final Path live = tmp.resolve("live");
        final Path image = tmp.resolve("image");
        final FlashTier flash = open(live, store);
        try
        {
            flash.put(7, block(7), 0, true);
            flash.commit(flash.put(8, block(8), 0, false));
            flash.commit(flash.put(9, block(9), 0, false));
            assertThat(flash.dataSyncs()).isEqualTo(1);
            // Crash image: metadata as committed; the data of the clean block 9 (committed without a data
            // fsync) lost, i.e. its slot still holds what was there before: zeros.
            Files.createDirectories(image);
            try (Stream<Path> files = Files.list(live))
            {
                for (final Path file : files.toList())
                {
                    Files.copy(file, image.resolve(file.getFileName()));
                }
            }
        }
        finally
        {
            flash.close();
        }
        final int lostSlot = slotHolding(image, 9);
        try (FileChannel data = FileChannel.open(image.resolve("flash.data"), StandardOpenOption.WRITE))
        {
            data.write(ByteBuffer.allocate(BS), (long)lostSlot * BS);
        }

        try (FlashTier recovered = open(image, store))
        {
            final ByteBuffer dst = ByteBuffer.allocateDirect(BS);
            assertThat(recovered.read(9, dst, 0)).as("clean block with lost data").isEqualTo(FlashTier.MISS);
            assertThat(recovered.contains(9)).isFalse();
            assertThat(recovered.read(7, dst, 0)).as("dirty block, data fsynced").isEqualTo(FlashTier.HIT);
            assertThat(dst).isEqualTo(block(7));
            assertThat(recovered.isDirty(7)).isTrue();
            assertThat(recovered.read(8, dst, 0)).isEqualTo(FlashTier.HIT);
            assertThat(dst).isEqualTo(block(8));
            final long[] stats = new long[10];
            recovered.stats(stats);
            assertThat(stats[9]).as("checksum misses").isEqualTo(1);
        }
    }

    /** Finds the slot of a key by scanning the data file for its contents. */
    private static int slotHolding(final Path dir, final long key) throws IOException
    {
        final ByteBuffer wanted = block(key);
        final ByteBuffer slot = ByteBuffer.allocateDirect(BS);
        try (FileChannel data = FileChannel.open(dir.resolve("flash.data"), StandardOpenOption.READ))
        {
            for (int s = 0; (long)s * BS < data.size(); s++)
            {
                slot.clear();
                data.read(slot, (long)s * BS);
                slot.flip();
                if (slot.equals(wanted))
                {
                    return s;
                }
            }
        }
        throw new AssertionError("key=" + key + " not found in " + dir);
    }
}

package dev.hostplane.flashcache.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.hostplane.flashcache.Clock;
import dev.hostplane.flashcache.FlashIoListener;
import dev.hostplane.flashcache.FlashRecoveryException;
import dev.hostplane.flashcache.WritePolicy;
import dev.hostplane.flashcache.store.MemoryBackingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flash directory written before the commit seal existed (no {@code flash.seal}, a metadata log without
 * checkpoint records) is refused with a message that says so and how to upgrade, not as damage; following
 * that advice opens it and later opens need no option.
 */
class UpgradeFromBeforeSealTest
{
    private static final int BS = 4096;

    @TempDir
    Path tmp;

    private static FlashTier open(final Path dir, final MemoryBackingStore store, final boolean acceptLoss)
        throws IOException
    {
        return new FlashTier(dir, BS, 64, 8, true, true, WritePolicy.WRITE_BACK_ON_EVICTION, 1_000_000_000L, 32,
            Clock.SYSTEM, store, BlockKeys.MAX_FILE + 1, null, acceptLoss, FlashIoListener.NONE);
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

    /** What the older format looked like: the same records, minus the seal and the checkpoints. */
    private static void makeOldFormat(final Path dir) throws IOException
    {
        Files.delete(dir.resolve(CommitSeal.FILE_NAME));
        final Path meta = dir.resolve("flash.meta");
        final byte[] log = Files.readAllBytes(meta);
        final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        int checkpoints = 0;
        for (int offset = 0; offset + MetadataDescriptor.RECORD_LENGTH <= log.length;
            offset += MetadataDescriptor.RECORD_LENGTH)
        {
            if (MetadataDescriptor.TYPE_CHECKPOINT == log[offset + MetadataDescriptor.TYPE_OFFSET])
            {
                checkpoints++;
                continue;
            }
            kept.write(log, offset, MetadataDescriptor.RECORD_LENGTH);
        }
        assertThat(checkpoints).as("checkpoints in the log this version wrote").isPositive();
        Files.write(meta, kept.toByteArray());
    }

    @Test
    void shouldExplainHowToUpgradeADirectoryWrittenBeforeTheSeal() throws Exception
    {
        final MemoryBackingStore store = new MemoryBackingStore(BS);
        final Path dir = tmp.resolve("flash");
        try (FlashTier flash = open(dir, store, false))
        {
            flash.put(1, block(1), 0, true);
            flash.commit(flash.put(2, block(2), 0, false));
        }
        makeOldFormat(dir);

        assertThatThrownBy(() -> open(dir, store, false))
            .isInstanceOf(FlashRecoveryException.class)
            .hasMessageContaining("written by an older flashcache, from before the commit seal flash.seal existed")
            .hasMessageContaining("BlockCache.flush()")
            .hasMessageContaining("acceptDataLoss(true) once")
            .hasMessageNotContaining("cut-short");
        assertThat(Files.exists(dir.resolve(CommitSeal.FILE_NAME))).as("refusal changes nothing on disk").isFalse();
    }

    @Test
    void shouldOpenAFlushedOldDirectoryOnceTheLossIsAcceptedAndThenWithoutIt() throws Exception
    {
        final MemoryBackingStore store = new MemoryBackingStore(BS);
        final Path dir = tmp.resolve("flash");
        try (FlashTier flash = open(dir, store, false))
        {
            flash.put(1, block(1), 0, true);
            flash.commit(flash.put(2, block(2), 0, false));
            // The advice's first step (done by the older version): write every dirty block back.
            final ByteBuffer scratch = ByteBuffer.allocateDirect(BS);
            while (flash.writeBackStep(scratch, true, 0) > 0)
            {
                // Until nothing is dirty.
            }
            assertThat(flash.dirtyCount()).isZero();
        }
        makeOldFormat(dir);

        try (FlashTier upgraded = open(dir, store, true))
        {
            final ByteBuffer dst = ByteBuffer.allocateDirect(BS);
            assertThat(upgraded.read(1, dst, 0)).as("clean copies of an unproven log are dropped")
                .isEqualTo(FlashTier.MISS);
            upgraded.commit(upgraded.put(3, block(3), 0, true));
        }
        try (FlashTier reopened = open(dir, store, false))
        {
            final ByteBuffer dst = ByteBuffer.allocateDirect(BS);
            assertThat(reopened.read(3, dst, 0)).isEqualTo(FlashTier.HIT);
            assertThat(dst).isEqualTo(block(3));
            assertThat(reopened.isDirty(3)).isTrue();
        }
        final ByteBuffer fromStore = ByteBuffer.allocateDirect(BS);
        store.read(BlockKeys.file(1), BlockKeys.block(1), fromStore, 0);
        assertThat(fromStore).as("the flushed block is in the store").isEqualTo(block(1));
    }
}

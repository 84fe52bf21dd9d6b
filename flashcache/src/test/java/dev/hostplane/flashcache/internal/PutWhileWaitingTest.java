package dev.hostplane.flashcache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import dev.hostplane.flashcache.Clock;
import dev.hostplane.flashcache.WritePolicy;
import dev.hostplane.flashcache.store.MemoryBackingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer whose put must wait for write-back (the log head is about to enter a segment that still holds
 * dirty blocks) releases the tier's lock while it waits, so other threads commit meanwhile. Nothing it
 * decided before waiting may show in the table during the wait: a commit's checkpoint then fingerprints a
 * dirty state that no record explains, and recovery after a crash refuses the tier.
 */
class PutWhileWaitingTest
{
    private static final int BS = 4096;
    private static final int SLOTS = 64;
    private static final int SEGMENT = 8;

    @TempDir
    Path tmp;

    private static FlashTier open(final Path dir, final MemoryBackingStore store) throws IOException
    {
        // Dirty limit above the slot count: writers wait only for the segment the head enters next.
        return new FlashTier(dir, BS, SLOTS, SEGMENT, true, true, WritePolicy.WRITE_BACK_ON_EVICTION,
            1_000_000_000L, 10 * SLOTS, Clock.SYSTEM, store);
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
    void shouldRecoverFromACrashWhileAWriterWaitsForWriteBack() throws Exception
    {
        final MemoryBackingStore store = new MemoryBackingStore(BS);
        final Path live = tmp.resolve("live");
        final Path image = tmp.resolve("image");
        final FlashTier flash = open(live, store);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = null;
        try
        {
            long seq = 0;
            for (long key = 1; key <= SLOTS; key++)
            {
                seq = flash.put(key, block(key), 0, true);
            }
            flash.commit(seq);
            assertThat(flash.dirtyCount()).isEqualTo(SLOTS);

            // Flash is full of dirty blocks: a new version of block 1 waits for segment 0 to be written back.
            writer = new Thread(() ->
            {
                try
                {
                    flash.commit(flash.put(1, block(1_001), 0, true));
                }
                catch (final Throwable t)
                {
                    failure.set(t);
                }
            }, "i16-waiting-writer");
            writer.start();
            awaitWaiting(writer);
            assertThat(flash.isDirty(1)).as("block 1's acknowledged version while its successor waits").isTrue();

            // Another thread commits meanwhile (an invalidation), then the host dies: the crash image.
            flash.commit(flash.invalidate(SLOTS + 1, true));
            copy(live, image);

            final ByteBuffer scratch = ByteBuffer.allocateDirect(BS);
            while (writer.isAlive())
            {
                flash.writeBackStep(scratch, false, 0);
                writer.join(1);
            }
            assertThat(failure.get()).isNull();
        }
        finally
        {
            if (null != writer)
            {
                writer.interrupt();
                writer.join();
            }
            flash.stop();
            flash.close();
        }

        final MemoryBackingStore staleStore = new MemoryBackingStore(BS);
        try (FlashTier recovered = open(image, staleStore))
        {
            final ByteBuffer dst = ByteBuffer.allocateDirect(BS);
            for (long key = 1; key <= SLOTS; key++)
            {
                assertThat(recovered.read(key, dst, 0)).as("block %d", key).isEqualTo(FlashTier.HIT);
                assertThat(dst).as("block %d", key).isEqualTo(block(key));
                assertThat(recovered.isDirty(key)).as("block %d", key).isTrue();
            }
        }
    }

    private static void awaitWaiting(final Thread thread) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (Thread.State.TIMED_WAITING != thread.getState() && Thread.State.WAITING != thread.getState())
        {
            assertThat(System.nanoTime()).as("writer never waited for write-back").isLessThan(deadline);
            assertThat(thread.isAlive()).as("writer finished without waiting for write-back").isTrue();
            Thread.sleep(1);
        }
    }

    private static void copy(final Path from, final Path to) throws IOException
    {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from))
        {
            for (final Path file : files.toList())
            {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}

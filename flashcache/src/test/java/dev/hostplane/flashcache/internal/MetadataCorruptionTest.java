package dev.hostplane.flashcache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

import dev.hostplane.flashcache.BlockCache;
import dev.hostplane.flashcache.CacheConfig;
import dev.hostplane.flashcache.CacheStats;
import dev.hostplane.flashcache.FlashRecoveryException;
import dev.hostplane.flashcache.WritePolicy;
import dev.hostplane.flashcache.store.MemoryBackingStore;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Torn and corrupt metadata, with every block written back: damaged records are detected by their checksum
 * and dropped, a clean block whose state is in doubt is dropped too, and a checkpoint after the damage proves
 * that no dirty block went with it; the cache then serves the backing store's data, never stale or wrong
 * flash data. Damage no checkpoint can vouch for makes the strict open refuse.
 */
class MetadataCorruptionTest
{
    private static final int BS = 4096;
    private static final int BLOCKS = 24;

    @TempDir
    Path tmp;

    private static CacheConfig.Builder config(final Path dir)
    {
        return CacheConfig.builder().ramBlocks(4).flashDirectory(dir).flashBlocks(64).segmentBlocks(8)
            .flashWritePolicy(WritePolicy.WRITE_BACK_ON_EVICTION).fsync(false);
    }

    private static ByteBuffer block(final long block, final long version)
    {
        final ByteBuffer b = ByteBuffer.allocateDirect(BS);
        for (int i = 0; i < BS; i += 8)
        {
            b.putLong(i, block * 1_000_003L + version * 7919L + i);
        }
        return b;
    }

    /**
     * Builds a crash image: blocks written and written back (v1), block 3 changed behind the cache (v2)
     * and invalidated, then more writes so records follow the invalidation. Returns the copied directory.
     */
    private Path crashImage(final MemoryBackingStore store, final String name) throws IOException
    {
        final Path live = tmp.resolve(name + "-live");
        final Path image = tmp.resolve(name);
        final BlockCache cache = BlockCache.open(config(live).build(), store);
        try
        {
            final int file = cache.open("vol").id();
            for (long b = 0; b < BLOCKS; b++)
            {
                cache.write(file, b, block(b, 1), 0);
            }
            cache.flush();
            store.write(file, 3, block(3, 2), 0);
            cache.invalidate(file, 3);
            for (long b = 10; b < BLOCKS; b++)
            {
                cache.write(file, b, block(b, 1), 0);
            }
            cache.flush();
            // Copy while the cache is still open: exactly what a crash leaves on disk.
            Files.createDirectories(image);
            try (Stream<Path> files = Files.list(live))
            {
                for (final Path f : (Iterable<Path>)files::iterator)
                {
                    Files.copy(f, image.resolve(f.getFileName()));
                }
            }
        }
        finally
        {
            cache.close();
        }
        return image;
    }

    private static int findRecord(final Path meta, final byte type) throws IOException
    {
        final ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(meta)).order(ByteOrder.LITTLE_ENDIAN);
        for (int offset = 0; offset + MetadataDescriptor.RECORD_LENGTH <= all.capacity();
            offset += MetadataDescriptor.RECORD_LENGTH)
        {
            if (MetadataDescriptor.type(all, offset) == type)
            {
                return offset;
            }
        }
        throw new AssertionError("no record of type " + type + " in " + meta);
    }

    private static void flipByte(final Path file, final long position) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.put(0, (byte)(one.get(0) ^ 0x5A)).clear();
            channel.write(one, position);
        }
    }

    /** Opens the image and checks every block reads as the store has it; returns the stats. */
    private static CacheStats assertServesStoreData(final Path image, final MemoryBackingStore store) throws IOException
    {
        return assertServesStoreData(image, store, false);
    }

    private static CacheStats assertServesStoreData(
        final Path image, final MemoryBackingStore store, final boolean acceptLoss) throws IOException
    {
        try (BlockCache cache = BlockCache.open(config(image).acceptDataLoss(acceptLoss).build(), store))
        {
            final int file = cache.open("vol").id();
            final ByteBuffer dst = ByteBuffer.allocateDirect(BS);
            for (long b = 0; b < BLOCKS; b++)
            {
                cache.read(file, b, dst, 0);
                final ByteBuffer expected = ByteBuffer.wrap(store.get(file, b));
                for (int i = 0; i < BS; i += 8)
                {
                    assertThat(dst.getLong(i)).as("block=%d offset=%d", b, i).isEqualTo(expected.getLong(i));
                }
            }
            return cache.stats();
        }
    }

    @Test
    void shouldDropBlocksInDoubtWhenInvalidationRecordIsCorrupt() throws Exception
    {
        final MemoryBackingStore store = new MemoryBackingStore(BS);
        final Path image = crashImage(store, "invalidate");
        final Path meta = image.resolve("flash.meta");
        flipByte(meta, findRecord(meta, MetadataDescriptor.TYPE_INVALIDATE) + 17);

        final CacheStats stats = assertServesStoreData(image, store);
        assertThat(stats.corruptRecords()).isEqualTo(1);
        assertThat(stats.droppedOnRecovery()).isGreaterThan(0);
        // Blocks re-written after the corrupt record are still trusted: the restart is still warm.
        assertThat(stats.recoveredBlocks()).isGreaterThan(0);
        assertThat(stats.flashHits()).isGreaterThan(0);
    }

    @Test
    void shouldIgnoreTornTailRecord() throws Exception
    {
        final MemoryBackingStore store = new MemoryBackingStore(BS);
        final Path image = crashImage(store, "tail");
        final Path meta = image.resolve("flash.meta");
        final long size = Files.size(meta);
        try (FileChannel channel = FileChannel.open(meta, StandardOpenOption.WRITE))
        {
            // Half a record of garbage: an append torn by the crash.
            channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}),
                size);
        }
        final CacheStats stats = assertServesStoreData(image, store);
        assertThat(stats.droppedOnRecovery()).isZero();
        assertThat(stats.recoveredBlocks()).isEqualTo(BLOCKS - 1);
    }

    @Test
    void shouldDetectCorruptBlockDataByChecksumAndReadFromStore() throws Exception
    {
        final MemoryBackingStore store = new MemoryBackingStore(BS);
        final Path image = crashImage(store, "data");
        final Path meta = image.resolve("flash.meta");
        final int put = findRecord(meta, MetadataDescriptor.TYPE_PUT);
        final ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(meta)).order(ByteOrder.LITTLE_ENDIAN);
        final int slot = MetadataDescriptor.slot(all, put);
        flipByte(image.resolve("flash.data"), (long)slot * BS + 100);

        final CacheStats stats = assertServesStoreData(image, store);
        assertThat(stats.checksumMisses()).isEqualTo(1);
    }

    @Property(tries = 40)
    void shouldNeverServeWrongDataWhateverMetadataByteIsCorrupted(
        @ForAll @IntRange(min = 0, max = 1_000_000) final int where, @ForAll final byte xor) throws Exception
    {
        // jqwik does not inject @TempDir: use a directory of our own.
        tmp = Files.createTempDirectory("flashcache-corrupt");
        final MemoryBackingStore store = new MemoryBackingStore(BS);
        final Path image = crashImage(store, "prop");
        try
        {
            final Path meta = image.resolve("flash.meta");
            final long position = where % Files.size(meta);
            try (FileChannel channel = FileChannel.open(meta, StandardOpenOption.READ, StandardOpenOption.WRITE))
            {
                final ByteBuffer one = ByteBuffer.allocate(1);
                channel.read(one, position);
                one.put(0, (byte)(one.get(0) ^ (0 == xor ? 1 : xor))).clear();
                channel.write(one, position);
            }
            try
            {
                assertServesStoreData(image, store, false);
            }
            catch (final FlashRecoveryException refused)
            {
                // The damage hit a record no checkpoint can vouch for (the header, a checkpoint, the last
                // records): the strict open refuses and changes nothing; accepting the loss then opens it.
                assertThat(refused.problems()).isNotEmpty();
                assertServesStoreData(image, store, true);
            }
        }
        finally
        {
            deleteTree(tmp);
        }
    }

    private static void deleteTree(final Path root) throws IOException
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (Stream<Path> walk = Files.walk(root))
        {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

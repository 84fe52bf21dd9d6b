package dev.hostplane.examples.readme;

// README flashcache
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.hostplane.flashcache.BlockCache;
import dev.hostplane.flashcache.CacheConfig;
import dev.hostplane.flashcache.CachedFile;
import dev.hostplane.flashcache.WritePolicy;
import dev.hostplane.flashcache.store.FileBackingStore;
// README end

/** README snippet: a small RAM + flash block cache over a directory of backing files. */
public final class FlashcacheReadme
{
    private FlashcacheReadme()
    {
    }

    /**
     * Runs the snippet in a temporary directory.
     *
     * @param args unused.
     * @throws Exception when the cache fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final Path dir = Files.createTempDirectory("hostplane-readme");
        try
        {
            run(dir);
        }
        finally
        {
            try (var paths = Files.walk(dir))
            {
                paths.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(java.io.File::delete);
            }
        }
    }

    private static void run(final Path dir) throws Exception
    {
        // README flashcache
        Path filer = Files.createDirectories(dir.resolve("filer"));   // the slow store: one file per volume
        CacheConfig config = CacheConfig.builder()
            .ramBlocks(1024)                                          // 4 MiB of RAM (off-heap)
            .flashDirectory(dir.resolve("flash"))
            .flashBlocks(4096)                                        // a 16 MiB flash file, written in full once
            .flashWritePolicy(WritePolicy.PERIODIC_WRITE_BACK)
            .build();                                                 // checks every value, names a bad one
        try (FileBackingStore store = new FileBackingStore(filer, 4096);
             BlockCache cache = BlockCache.open(config, store))
        {
            CachedFile volume = cache.open("volume0");                // a handle for the file filer/volume0
            ByteBuffer block = ByteBuffer.allocate(cache.blockSize());
            block.put(0, (byte)42);
            volume.write(7, block, 0);                                // block 7: RAM now, flash and filer later
            ByteBuffer read = ByteBuffer.allocate(cache.blockSize());
            volume.read(7, read, 0);
            System.out.println("block 7 byte 0 = " + read.get(0) + "; " + cache.stats());
        }
        // README end
    }
}

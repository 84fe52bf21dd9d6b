package dev.hostplane.flashcache.crash;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;

import dev.hostplane.flashcache.Architecture;
import dev.hostplane.flashcache.BlockCache;
import dev.hostplane.flashcache.CacheConfig;
import dev.hostplane.flashcache.WritePolicy;
import dev.hostplane.flashcache.store.FileBackingStore;

/**
 * The child JVM of {@link CrashTest}: a write-heavy workload that reports every acknowledged write on
 * stdout ({@code A block version}) only after {@link BlockCache#write} returned, and runs until killed.
 * Blocks {@code [INVALIDATION_BASE, +INVALIDATION_BLOCKS)} are changed behind the cache's back in the store
 * and then invalidated ({@code I block version} after {@link BlockCache#invalidate} returned).
 */
public final class CrashWorkload
{
    static final int BLOCK_SIZE = 4096;
    static final int WRITE_BLOCKS = 200;
    static final int INVALIDATION_BASE = 1000;
    static final int INVALIDATION_BLOCKS = 20;
    static final String FILE = "volume";

    private CrashWorkload()
    {
    }

    static CacheConfig.Builder config(final Path dir, final WritePolicy policy, final Architecture architecture)
    {
        return CacheConfig.builder().architecture(architecture).ramBlocks(32).flashDirectory(dir.resolve("flash")).flashBlocks(256).segmentBlocks(16)
            .flashWritePolicy(policy).writeBackPeriod(Duration.ofMillis(50)).fsync(true);
    }

    static void fill(final ByteBuffer b, final long block, final long version)
    {
        b.putLong(0, (block << 32) | version);
        for (int i = 8; i < BLOCK_SIZE; i += 8)
        {
            b.putLong(i, block * 1_000_003L + version * 7919L + i);
        }
    }

    /**
     * @param b     a block read back.
     * @param block the block number it should be.
     * @return its version (0 for a never-written block), or -1 when torn or another block's data.
     */
    static long version(final ByteBuffer b, final long block)
    {
        final long header = b.getLong(0);
        if (0 == header)
        {
            for (int i = 8; i < BLOCK_SIZE; i += 8)
            {
                if (0 != b.getLong(i))
                {
                    return -1;
                }
            }
            return 0;
        }
        final long version = header & 0xFFFF_FFFFL;
        if ((header >>> 32) != block)
        {
            return -1;
        }
        for (int i = 8; i < BLOCK_SIZE; i += 8)
        {
            if (b.getLong(i) != block * 1_000_003L + version * 7919L + i)
            {
                return -1;
            }
        }
        return version;
    }

    /**
     * @param args directory, write policy, seed, first version number, architecture.
     * @throws Exception on failure (the parent sees the exit code).
     */
    public static void main(final String[] args) throws Exception
    {
        final Path dir = Path.of(args[0]);
        final WritePolicy policy = WritePolicy.valueOf(args[1]);
        final long seed = Long.parseLong(args[2]);
        final long firstVersion = Long.parseLong(args[3]);
        final PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        final FileBackingStore store = new FileBackingStore(dir.resolve("store"), BLOCK_SIZE);
        final BlockCache cache = BlockCache.open(config(dir, policy, Architecture.valueOf(args[4])).build(), store);
        final int file = cache.open(FILE).id();
        synchronized (out)
        {
            out.println("READY recovered=" + cache.stats().recoveredBlocks());
            out.flush();
        }
        final Thread[] threads = new Thread[2];
        for (int t = 0; t < threads.length; t++)
        {
            final int lane = t;
            threads[t] = new Thread(() -> run(cache, store, file, lane, seed + lane, firstVersion, out));
            threads[t].start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
    }

    private static void run(
        final BlockCache cache, final FileBackingStore store, final int file, final int lane, final long seed,
        final long firstVersion, final PrintStream out)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final ByteBuffer buffer = ByteBuffer.allocateDirect(BLOCK_SIZE);
        long version = firstVersion;
        try
        {
            while (true)
            {
                version++;
                final int dice = random.nextInt(100);
                if (dice < 10 && 0 == lane)
                {
                    // Change the store behind the cache's back, then invalidate: the old copy must never return.
                    final long block = INVALIDATION_BASE + random.nextInt(INVALIDATION_BLOCKS);
                    cache.read(file, block, buffer, 0);
                    report(out, "S", block, version);
                    fill(buffer, block, version);
                    store.write(file, block, buffer, 0);
                    cache.invalidate(file, block);
                    report(out, "I", block, version);
                    cache.read(file, block, buffer, 0);
                }
                else if (dice < 30)
                {
                    final long block = random.nextInt(WRITE_BLOCKS / 2) * 2L + lane;
                    cache.read(file, block, buffer, 0);
                }
                else
                {
                    final long block = random.nextInt(WRITE_BLOCKS / 2) * 2L + lane;
                    report(out, "S", block, version);
                    fill(buffer, block, version);
                    cache.write(file, block, buffer, 0);
                    report(out, "A", block, version);
                }
            }
        }
        catch (final Exception ex)
        {
            ex.printStackTrace();
            System.exit(3);
        }
    }

    private static void report(final PrintStream out, final String what, final long block, final long version)
    {
        synchronized (out)
        {
            out.print(what);
            out.print(' ');
            out.print(block);
            out.print(' ');
            out.print(version);
            out.println(" .");
            out.flush();
        }
    }
}

package dev.hostplane.benchmarks.flashcache;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import dev.hostplane.flashcache.BackingStore;
import dev.hostplane.flashcache.BlockCache;
import dev.hostplane.flashcache.CacheConfig;
import dev.hostplane.flashcache.CacheStats;
import dev.hostplane.flashcache.WritePolicy;
import dev.hostplane.flashcache.trace.ZipfGenerator;
import org.HdrHistogram.Histogram;
import org.ehcache.Cache;
import org.ehcache.PersistentCacheManager;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.config.units.EntryUnit;
import org.ehcache.config.units.MemoryUnit;
import org.ehcache.core.internal.statistics.DefaultStatisticsService;
import org.ehcache.core.statistics.TierStatistics;

/**
 * Side-by-side harness: flashcache (RAM + flash) against Ehcache 3 tiered (heap + off-heap + persistent
 * disk) with the same byte budgets, on Zipf 0.99 / Zipf 0.7 / uniform / scan-mix workloads of 4 KiB values,
 * 0% and 30% writes, 1 and 2 threads; then warm restart after a clean close and after kill -9.
 *
 * <p>Like the reference measurement in the flash-caches note, a read miss creates the value and puts it
 * (no real backing store: both caches are measured, not a disk behind them).
 *
 * <p>{@code -Dcompare.workloads=zipf-0.7,uniform} runs only those workloads (and skips the restart tests).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar $(cat benchmarks/target/classes/hostplane-jvm.flags) \
 *     -Xmx1g -XX:MaxDirectMemorySize=512m dev.hostplane.benchmarks.flashcache.CacheComparison /tmp/fc-compare
 * </pre>
 */
public final class CacheComparison
{
    static final int BLOCK = 4096;
    static final long MIB = 1 << 20;
    static final int HEAP_ENTRIES = 1000;
    static final int OFFHEAP_MIB = 32;
    static final int DISK_MIB = 256;
    static final long KEYS = Long.getLong("compare.keys", 100_000);
    static final long WARMUP = Long.getLong("compare.warmup", 150_000);
    static final long OPS = Long.getLong("compare.ops", 150_000);

    private CacheComparison()
    {
    }

    /** What both caches offer the workload. */
    interface Subject extends AutoCloseable
    {
        /** @return true on a hit. */
        boolean get(long key, ByteBuffer scratch) throws IOException;

        void put(long key, ByteBuffer value) throws IOException;

        /** @return hits per tier: [ram/heap, offheap, flash/disk], plus reads. */
        long[] tierHits();

        long deviceBytesOwn();

        @Override
        void close() throws IOException;
    }

    /** A backing store that makes values instead of reading them and drops writes: measures the cache only. */
    static final class GeneratedStore implements BackingStore
    {
        final AtomicLong writes = new AtomicLong();

        @Override
        public int blockSize()
        {
            return BLOCK;
        }

        @Override
        public void open(final int file, final String name)
        {
            // Nothing to open.
        }

        @Override
        public void read(final int file, final long blockNo, final ByteBuffer dst, final int offset)
        {
            dst.putLong(offset, blockNo);
        }

        @Override
        public void write(final int file, final long blockNo, final ByteBuffer src, final int offset)
        {
            writes.incrementAndGet();
        }

        @Override
        public void flush()
        {
            // Nothing buffered.
        }

        @Override
        public void close()
        {
            // Nothing to close.
        }
    }

    static final class FlashSubject implements Subject
    {
        final BlockCache cache;
        final int file;

        FlashSubject(final Path dir, final boolean fsync) throws IOException
        {
            final int ramBlocks = (int)((HEAP_ENTRIES * (long)BLOCK + OFFHEAP_MIB * MIB) / BLOCK);
            cache = BlockCache.open(CacheConfig.builder().ramBlocks(ramBlocks).flashDirectory(dir)
                .flashBlocks((int)(DISK_MIB * MIB / BLOCK)).flashWritePolicy(WritePolicy.WRITE_BACK_ON_EVICTION)
                .fsync(fsync).build(), new GeneratedStore());
            file = cache.open("bench").id();
        }

        @Override
        public boolean get(final long key, final ByteBuffer scratch) throws IOException
        {
            // The cache reads through on a miss; a hit is visible in its counters (checked per run, not per op).
            cache.read(file, key, scratch, 0);
            return true;
        }

        @Override
        public void put(final long key, final ByteBuffer value) throws IOException
        {
            cache.write(file, key, value, 0);
        }

        @Override
        public long[] tierHits()
        {
            final CacheStats s = cache.stats();
            return new long[] {s.ramHits(), 0, s.flashHits(), s.reads()};
        }

        @Override
        public long deviceBytesOwn()
        {
            final CacheStats s = cache.stats();
            return s.flashDataBytes() + s.flashMetaBytes();
        }

        CacheStats stats()
        {
            return cache.stats();
        }

        @Override
        public void close() throws IOException
        {
            cache.close();
        }
    }

    static final class EhcacheSubject implements Subject
    {
        final DefaultStatisticsService statistics = new DefaultStatisticsService();
        final PersistentCacheManager manager;
        final Cache<Long, byte[]> cache;
        final AtomicLong gets = new AtomicLong();

        EhcacheSubject(final Path dir)
        {
            manager = CacheManagerBuilder.newCacheManagerBuilder()
                .with(CacheManagerBuilder.persistence(dir.toFile()))
                .using(statistics)
                .withCache("c", CacheConfigurationBuilder.newCacheConfigurationBuilder(Long.class, byte[].class,
                    ResourcePoolsBuilder.newResourcePoolsBuilder()
                        .heap(HEAP_ENTRIES, EntryUnit.ENTRIES)
                        .offheap(OFFHEAP_MIB, MemoryUnit.MB)
                        .disk(DISK_MIB, MemoryUnit.MB, true)))
                .build(true);
            cache = manager.getCache("c", Long.class, byte[].class);
        }

        @Override
        public boolean get(final long key, final ByteBuffer scratch)
        {
            gets.incrementAndGet();
            final byte[] value = cache.get(key);
            if (null != value)
            {
                return true;
            }
            final byte[] made = new byte[BLOCK];
            ByteBuffer.wrap(made).putLong(0, key);
            cache.put(key, made);
            return false;
        }

        @Override
        public void put(final long key, final ByteBuffer value)
        {
            final byte[] copy = new byte[BLOCK];
            value.get(0, copy, 0, BLOCK);
            cache.put(key, copy);
        }

        @Override
        public long[] tierHits()
        {
            final Map<String, TierStatistics> tiers = statistics.getCacheStatistics("c").getTierStatistics();
            return new long[] {hits(tiers, "OnHeap"), hits(tiers, "OffHeap"), hits(tiers, "Disk"), gets.get()};
        }

        private static long hits(final Map<String, TierStatistics> tiers, final String name)
        {
            final TierStatistics t = tiers.get(name);
            return null == t ? 0 : t.getHits();
        }

        @Override
        public long deviceBytesOwn()
        {
            return -1;
        }

        @Override
        public void close()
        {
            manager.close();
        }
    }

    record Workload(String name, double theta, double scan)
    {
    }

    static Subject open(final String system, final Path dir) throws IOException
    {
        switch (system)
        {
            case "flashcache":
                return new FlashSubject(dir, false);
            case "flashcache-fsync":
                return new FlashSubject(dir, true);
            default:
                return new EhcacheSubject(dir);
        }
    }

    /** Runs ops on threads; records per-op latency; returns elapsed nanos. */
    static long run(final Subject subject, final Workload w, final double writes, final int threads, final long ops,
        final long seed, final Histogram latency) throws Exception
    {
        final AtomicLong remaining = new AtomicLong(ops);
        final Thread[] workers = new Thread[threads];
        final Throwable[] failure = new Throwable[1];
        final Histogram[] perThread = new Histogram[threads];
        final long start = System.nanoTime();
        for (int t = 0; t < threads; t++)
        {
            final int id = t;
            perThread[t] = new Histogram(1, TimeUnit.SECONDS.toNanos(60), 3);
            workers[t] = new Thread(() ->
            {
                final ZipfGenerator zipf = new ZipfGenerator(KEYS, w.theta > 0 ? w.theta : 0.5, seed + id * 7919L);
                final ByteBuffer buffer = ByteBuffer.allocateDirect(BLOCK);
                long cursor = (seed + id * 1000L) % KEYS;
                try
                {
                    while (remaining.getAndDecrement() > 0)
                    {
                        final long key;
                        if (w.theta == 0)
                        {
                            key = (long)(zipf.uniform() * KEYS);
                        }
                        else if (w.scan > 0 && zipf.uniform() < w.scan)
                        {
                            key = cursor;
                            cursor = (cursor + 1) % KEYS;
                        }
                        else
                        {
                            key = zipf.next();
                        }
                        final long t0 = System.nanoTime();
                        if (zipf.uniform() < writes)
                        {
                            buffer.putLong(0, key);
                            subject.put(key, buffer);
                        }
                        else
                        {
                            subject.get(key, buffer);
                        }
                        perThread[id].recordValue(Math.max(1, Math.min(System.nanoTime() - t0,
                            TimeUnit.SECONDS.toNanos(60))));
                    }
                }
                catch (final Throwable ex)
                {
                    failure[0] = ex;
                }
            });
            workers[t].start();
        }
        for (final Thread worker : workers)
        {
            worker.join();
        }
        final long elapsed = System.nanoTime() - start;
        if (null != failure[0])
        {
            throw new IllegalStateException("worker failed", failure[0]);
        }
        for (final Histogram h : perThread)
        {
            latency.add(h);
        }
        return elapsed;
    }

    static long deviceWriteBytes()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/io")))
            {
                if (line.startsWith("write_bytes:"))
                {
                    return Long.parseLong(line.substring(12).trim());
                }
            }
        }
        catch (final IOException ex)
        {
            // Not available: report 0.
        }
        return 0;
    }

    static void deleteTree(final Path root) throws IOException
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

    static String measure(final String system, final Path dir, final Workload w, final double writes, final int threads)
        throws Exception
    {
        deleteTree(dir);
        Files.createDirectories(dir);
        try (Subject subject = open(system, dir))
        {
            run(subject, w, writes, threads, WARMUP, 1, new Histogram(3));
            final long[] before = subject.tierHits();
            final long ownBefore = subject.deviceBytesOwn();
            final long deviceBefore = deviceWriteBytes();
            final Histogram latency = new Histogram(1, TimeUnit.SECONDS.toNanos(60), 3);
            final long nanos = run(subject, w, writes, threads, OPS, 2, latency);
            final long device = deviceWriteBytes() - deviceBefore;
            final long[] after = subject.tierHits();
            final long reads = after[3] - before[3];
            final double ram = pct(after[0] - before[0], reads);
            final double off = pct(after[1] - before[1], reads);
            final double disk = pct(after[2] - before[2], reads);
            final long own = subject.deviceBytesOwn() - ownBefore;
            return String.format(Locale.ROOT,
                "| %s | %s | %.0f%% | %d | %,.0f | %.1f%% | %.1f / %.1f / %.1f | %.1f | %.0f | %s |",
                system, w.name, writes * 100, threads, OPS / (nanos / 1e9), ram + off + disk, ram, off, disk,
                latency.getValueAtPercentile(99) / 1e3, device / (double)OPS,
                own < 0 ? "-" : String.format(Locale.ROOT, "%.0f", own / (double)OPS));
        }
    }

    static double pct(final long part, final long whole)
    {
        return 0 == whole ? 0 : 100.0 * part / whole;
    }

    /** Warm restart after a clean close: open time and hit ratio over the first ops. */
    static String cleanRestart(final String system, final Path dir) throws Exception
    {
        deleteTree(dir);
        Files.createDirectories(dir);
        final Workload w = new Workload("zipf-0.99", 0.99, 0);
        try (Subject subject = open(system, dir))
        {
            run(subject, w, 0.3, 1, WARMUP, 1, new Histogram(3));
        }
        return reopen(system, dir, "clean close");
    }

    static String reopen(final String system, final Path dir, final String after) throws Exception
    {
        final Workload w = new Workload("zipf-0.99", 0.99, 0);
        final long t0 = System.nanoTime();
        try (Subject subject = open(system, dir))
        {
            final double openMs = (System.nanoTime() - t0) / 1e6;
            // Probe: the 10,000 hottest keys, read once each right after open; a hit means it survived.
            final long[] beforeProbe = subject.tierHits();
            final ByteBuffer buffer = ByteBuffer.allocateDirect(BLOCK);
            for (long key = 0; key < 10_000; key++)
            {
                subject.get(key, buffer);
            }
            final long[] probe = subject.tierHits();
            final double probeHits = pct(probe[0] + probe[1] + probe[2] - beforeProbe[0] - beforeProbe[1]
                - beforeProbe[2], probe[3] - beforeProbe[3]);
            final long first = 50_000;
            run(subject, w, 0.3, 1, first, 3, new Histogram(3));
            final long[] h = subject.tierHits();
            final long reads = h[3] - probe[3];
            final String recovered = subject instanceof FlashSubject f ? Long.toString(f.stats().recoveredBlocks()) :
                "-";
            return String.format(Locale.ROOT, "| %s | %s | %.0f | %s | %.1f%% | %.1f%% |", system, after, openMs,
                recovered, probeHits, pct(h[0] + h[1] + h[2] - probe[0] - probe[1] - probe[2], reads));
        }
    }

    /** Warm restart after kill -9: a child fills the cache and is SIGKILLed, then we reopen. */
    static String killRestart(final String system, final Path dir) throws Exception
    {
        deleteTree(dir);
        Files.createDirectories(dir);
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CacheComparison.class.getName());
        command.add("--child");
        command.add(system);
        command.add(dir.toString());
        final Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)))
        {
            final String line = in.readLine();
            if (!"READY".equals(line))
            {
                throw new IllegalStateException("child did not get ready: " + line);
            }
            Thread.sleep(500);
            child.toHandle().destroyForcibly();
            child.waitFor();
        }
        return reopen(system, dir, "kill -9");
    }

    /**
     * @param args output directory, or {@code --child system dir} (internal).
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        if (args.length == 3 && "--child".equals(args[0]))
        {
            final Subject subject = open(args[1], Path.of(args[2]));
            run(subject, new Workload("zipf-0.99", 0.99, 0), 0.3, 1, WARMUP, 1, new Histogram(3));
            System.out.println("READY");
            System.out.flush();
            run(subject, new Workload("zipf-0.99", 0.99, 0), 0.3, 1, Long.MAX_VALUE, 5, new Histogram(3));
            return;
        }
        final Path root = Path.of(args.length > 0 ? args[0] : "/tmp/flashcache-compare");
        final boolean quick = args.length > 1 && "--quick".equals(args[1]);
        System.out.printf("keys=%d (%d MiB working set) warmup=%d ops=%d budgets: heap %d entries + off-heap %d MiB "
            + "(flashcache RAM: same bytes), disk/flash %d MiB%n", KEYS, KEYS * BLOCK / MIB, WARMUP, OPS, HEAP_ENTRIES,
            OFFHEAP_MIB, DISK_MIB);
        System.out.println("| system | workload | writes | threads | ops/s | hit ratio | heap-or-RAM / off-heap / disk-or-flash"
            + " | p99 us | device B/op | cache-counted flash B/op |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        final Workload[] workloads = {
            new Workload("zipf-0.99", 0.99, 0), new Workload("zipf-0.7", 0.7, 0), new Workload("uniform", 0, 0),
            new Workload("scan-mix", 0.99, 0.2)};
        final String only = System.getProperty("compare.workloads", "");
        for (final Workload w : quick ? new Workload[] {workloads[0]} : workloads)
        {
            if (!only.isEmpty() && !List.of(only.split(",")).contains(w.name))
            {
                continue;
            }
            for (final double writes : new double[] {0.0, 0.3})
            {
                for (final int threads : new int[] {1, 2})
                {
                    for (final String system : new String[] {"flashcache", "ehcache"})
                    {
                        System.out.println(measure(system, root.resolve(system), w, writes, threads));
                    }
                }
            }
        }
        if (!only.isEmpty())
        {
            deleteTree(root);
            return;
        }
        System.out.println(measure("flashcache-fsync", root.resolve("fsync"), workloads[0], 0.3, 1));
        System.out.println();
        System.out.println("| system | restart after | open ms | blocks recovered | hottest 10k keys found |"
            + " hit ratio, next 50k ops |");
        System.out.println("|---|---|---|---|---|---|");
        for (final String system : new String[] {"flashcache", "ehcache"})
        {
            System.out.println(cleanRestart(system, root.resolve(system)));
            System.out.println(killRestart(system, root.resolve(system)));
        }
        deleteTree(root);
    }
}

package dev.hostplane.examples.flashcache;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.hostplane.flashcache.Architecture;
import dev.hostplane.flashcache.BackingStore;
import dev.hostplane.flashcache.BlockCache;
import dev.hostplane.flashcache.CacheConfig;
import dev.hostplane.flashcache.CacheStats;
import dev.hostplane.flashcache.Clock;
import dev.hostplane.flashcache.EvictionPolicy;
import dev.hostplane.flashcache.LatencyHistogram;
import dev.hostplane.flashcache.WritePolicy;
import dev.hostplane.flashcache.store.FileBackingStore;
import dev.hostplane.flashcache.store.LatencyBackingStore;
import dev.hostplane.flashcache.trace.ZipfGenerator;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hostplane cache bench}: runs a Zipf, uniform or scan-mix workload of 4 KiB blocks against a cache
 * over files in a directory (backing store in {@code DIR/store}, flash tier in {@code DIR/flash}) and prints
 * a summary table.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Run a Zipf/uniform/scan workload against a RAM+flash cache over a directory and summarise it.")
public final class CacheBenchCommand implements Callable<Integer>
{
    private static final long MIB = 1 << 20;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", required = true, description = "directory for the backing store and the flash tier")
    private Path dir;

    @Option(names = "--ram-mib", defaultValue = "32", description = "RAM tier size (default: ${DEFAULT-VALUE})")
    private int ramMib;

    @Option(names = "--flash-mib", defaultValue = "128", description = "flash tier size, 0 for none (default: ${DEFAULT-VALUE})")
    private int flashMib;

    @Option(names = "--working-set-mib", defaultValue = "256", description = "blocks the workload touches (default: ${DEFAULT-VALUE})")
    private int workingSetMib;

    @Option(names = "--ops", defaultValue = "200000", description = "measured operations (default: ${DEFAULT-VALUE})")
    private long ops;

    @Option(names = "--warmup", defaultValue = "100000", description = "operations before measuring (default: ${DEFAULT-VALUE})")
    private long warmup;

    @Option(names = "--workload", defaultValue = "zipf", description = "zipf, uniform or scan (zipf plus 20%% sequential scan)")
    private String workload;

    @Option(names = "--theta", defaultValue = "0.99", description = "Zipf skew (default: ${DEFAULT-VALUE})")
    private double theta;

    @Option(names = "--writes", defaultValue = "0.3", description = "fraction of writes (default: ${DEFAULT-VALUE})")
    private double writes;

    @Option(names = "--threads", defaultValue = "1", description = "worker threads (default: ${DEFAULT-VALUE})")
    private int threads;

    @Option(names = "--eviction", defaultValue = "s3fifo", description = "RAM policy: lru, arc, s3fifo")
    private String eviction;

    @Option(names = "--ram-write-policy", defaultValue = "SYNC_WRITE_THROUGH", description = "${COMPLETION-CANDIDATES}")
    private WritePolicy ramWritePolicy;

    @Option(names = "--flash-write-policy", defaultValue = "ASYNC_WRITE_THROUGH", description = "${COMPLETION-CANDIDATES}")
    private WritePolicy flashWritePolicy;

    @Option(names = "--architecture", defaultValue = "NAIVE", description = "${COMPLETION-CANDIDATES}")
    private Architecture architecture;

    @Option(names = "--backing-latency-us", defaultValue = "0", description = "latency added to each backing-store I/O")
    private int backingLatencyMicros;

    @Option(names = "--no-fsync", description = "do not fsync flash commits (durable across process crashes only)")
    private boolean noFsync;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        if (threads < 1 || ops < 1 || writes < 0 || writes > 1 || ramMib < 1 || workingSetMib < 1 || flashMib < 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "threads=" + threads + " ops=" + ops
                + " writes=" + writes + " ram-mib=" + ramMib + " working-set-mib=" + workingSetMib
                + " flash-mib=" + flashMib + ": need threads>=1, ops>=1, 0<=writes<=1, sizes>=1 (flash>=0)");
        }
        final String kind = workload.toLowerCase(Locale.ROOT);
        if (!kind.equals("zipf") && !kind.equals("uniform") && !kind.equals("scan"))
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--workload=" + workload
                + " must be zipf, uniform or scan");
        }
        final int blockSize = CacheConfig.BLOCK_SIZE_DEFAULT;
        final long blocks = workingSetMib * MIB / blockSize;
        final CacheConfig.Builder config = CacheConfig.builder().ramBlocks((int)(ramMib * MIB / blockSize))
            .ramEviction(EvictionPolicy.parse(eviction)).ramWritePolicy(ramWritePolicy)
            .flashWritePolicy(flashWritePolicy).architecture(architecture).fsync(!noFsync);
        if (flashMib > 0)
        {
            config.flashDirectory(dir.resolve("flash")).flashBlocks((int)(flashMib * MIB / blockSize));
        }
        Files.createDirectories(dir);
        final FileBackingStore files = new FileBackingStore(dir.resolve("store"), blockSize);
        final BackingStore store = 0 == backingLatencyMicros ? files :
            new LatencyBackingStore(files, Clock.SYSTEM, backingLatencyMicros * 1000L, backingLatencyMicros * 1000L);
        final long openStart = System.nanoTime();
        try (BlockCache cache = BlockCache.open(config.build(), store))
        {
            final long openMillis = (System.nanoTime() - openStart) / 1_000_000;
            final int file = cache.open("bench.dat").id();
            final CacheStats atOpen = cache.stats();
            run(cache, file, blocks, warmup, "warm-up");
            final CacheStats before = cache.stats();
            final long deviceBefore = deviceWriteBytes();
            final long start = System.nanoTime();
            run(cache, file, blocks, ops, "measure");
            final double seconds = (System.nanoTime() - start) / 1e9;
            final long deviceBytes = deviceWriteBytes() - deviceBefore;
            final CacheStats after = cache.stats();
            printSummary(out, blocks, seconds, openMillis, atOpen, before, after, deviceBytes);
        }
        finally
        {
            store.close();
        }
        return 0;
    }

    private void run(final BlockCache cache, final int file, final long blocks, final long count, final String task)
        throws Exception
    {
        if (0 == count)
        {
            return;
        }
        final AtomicLong remaining = new AtomicLong(count);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread[] workers = new Thread[threads];
        try (ProgressBar bar = dev.hostplane.examples.Progress.bar(task, count, "", 1))
        {
            for (int t = 0; t < threads; t++)
            {
                final long seed = 42 + t * 7919L + task.hashCode();
                workers[t] = new Thread(() ->
                {
                    try
                    {
                        work(cache, file, blocks, seed, remaining, bar);
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                }, "bench-" + t);
                workers[t].start();
            }
            for (final Thread worker : workers)
            {
                worker.join();
            }
        }
        if (null != failure.get())
        {
            throw new IllegalStateException("bench worker failed: " + failure.get(), failure.get());
        }
    }

    private void work(
        final BlockCache cache, final int file, final long blocks, final long seed, final AtomicLong remaining,
        final ProgressBar bar) throws Exception
    {
        final ZipfGenerator zipf = new ZipfGenerator(blocks, "uniform".equalsIgnoreCase(workload) ? 0.5 : theta, seed);
        final boolean uniform = "uniform".equalsIgnoreCase(workload);
        final boolean scan = "scan".equalsIgnoreCase(workload);
        final ByteBuffer buffer = ByteBuffer.allocateDirect(cache.blockSize());
        long scanCursor = seed % blocks;
        long done = 0;
        while (remaining.getAndDecrement() > 0)
        {
            final long block;
            if (uniform)
            {
                block = (long)(zipf.uniform() * blocks);
            }
            else if (scan && zipf.uniform() < 0.2)
            {
                block = scanCursor;
                scanCursor = (scanCursor + 1) % blocks;
            }
            else
            {
                block = zipf.next();
            }
            if (zipf.uniform() < writes)
            {
                buffer.putLong(0, block).putLong(8, done);
                cache.write(file, block, buffer, 0);
            }
            else
            {
                cache.read(file, block, buffer, 0);
            }
            if (0 == (++done & 1023))
            {
                dev.hostplane.examples.Progress.stepBy(bar, 1024);
            }
        }
        dev.hostplane.examples.Progress.stepBy(bar, done & 1023);
    }

    private static long deviceWriteBytes()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/io")))
            {
                if (line.startsWith("write_bytes:"))
                {
                    return Long.parseLong(line.substring("write_bytes:".length()).trim());
                }
            }
        }
        catch (final Exception ex)
        {
            // Not Linux or not readable: report 0 rather than fail the benchmark.
        }
        return 0;
    }

    private void printSummary(
        final PrintWriter out, final long blocks, final double seconds, final long openMillis, final CacheStats atOpen,
        final CacheStats before, final CacheStats after, final long deviceBytes)
    {
        final long reads = after.reads() - before.reads();
        final long ramHits = after.ramHits() - before.ramHits();
        final long flashHits = after.flashHits() - before.flashHits();
        final long writesDone = after.writes() - before.writes();
        final long flashBytes = after.flashDataBytes() + after.flashMetaBytes()
            - before.flashDataBytes() - before.flashMetaBytes();
        final LatencyHistogram readLatency = after.readLatency().minus(before.readLatency());
        final LatencyHistogram writeLatency = after.writeLatency().minus(before.writeLatency());
        final String row = "%-18s %s%n";
        out.printf(row, "workload", String.format(Locale.ROOT, "%s%s writes=%.0f%% threads=%d working-set=%d MiB (%d blocks)",
            workload, "zipf".equalsIgnoreCase(workload) || "scan".equalsIgnoreCase(workload) ? " theta=" + theta : "",
            writes * 100, threads, workingSetMib, blocks));
        out.printf(row, "cache", String.format(Locale.ROOT,
            "ram=%d MiB (%s, %s) flash=%d MiB (%s) %s fsync=%s", ramMib, eviction, ramWritePolicy, flashMib,
            flashWritePolicy, architecture, !noFsync));
        out.printf(row, "open", String.format(Locale.ROOT, "%d ms, %d flash blocks recovered", openMillis,
            atOpen.recoveredBlocks()));
        out.printf(row, "throughput", String.format(Locale.ROOT, "%,.0f ops/s (%d ops in %.2f s)",
            ops / seconds, ops, seconds));
        out.printf(row, "hit ratio", String.format(Locale.ROOT, "total %.1f%%  ram %.1f%%  flash %.1f%%  (%d reads)",
            pct(ramHits + flashHits, reads), pct(ramHits, reads), pct(flashHits, reads), reads));
        out.printf(row, "read latency", latency(readLatency));
        out.printf(row, "write latency", latency(writeLatency));
        out.printf(row, "flash written", String.format(Locale.ROOT, "%.1f MiB (%.0f B/op, %.2f x per write)",
            flashBytes / (double)MIB, flashBytes / (double)ops,
            0 == writesDone ? 0.0 : flashBytes / (double)(writesDone * CacheConfig.BLOCK_SIZE_DEFAULT)));
        // The kernel's write_bytes is what the file system charged this process, not what reached the
        // device: ext4 charges about 1 MiB per fdatasync of a small write, so it can be many times the
        // "flash written" row above.
        out.printf(row, "kernel write_bytes", String.format(Locale.ROOT,
            "%.1f MiB (%.0f B/op; /proc/self/io, file-system accounting: includes about 1 MiB per fdatasync)",
            deviceBytes / (double)MIB, deviceBytes / (double)ops));
        out.printf(row, "backing store", String.format(Locale.ROOT, "reads %d  writes %d",
            after.backingReads() - before.backingReads(), after.backingWrites() - before.backingWrites()));
        out.printf(row, "dirty", String.format(Locale.ROOT, "ram %d  flash %d  write-back lag %.1f ms",
            after.ramDirty(), after.flashDirty(), after.writeBackLagNanos() / 1e6));
        out.flush();
    }

    private static double pct(final long part, final long whole)
    {
        return 0 == whole ? 0.0 : 100.0 * part / whole;
    }

    private static String latency(final LatencyHistogram h)
    {
        if (0 == h.count())
        {
            return "-";
        }
        return String.format(Locale.ROOT, "p50 %.1f us  p99 %.1f us  p99.9 %.1f us  max %.1f ms",
            h.percentileNanos(50) / 1e3, h.percentileNanos(99) / 1e3, h.percentileNanos(99.9) / 1e3,
            h.maxNanos() / 1e6);
    }
}

package dev.hostplane.flashcache.sim;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import dev.hostplane.flashcache.Architecture;
import dev.hostplane.flashcache.BackingStore;
import dev.hostplane.flashcache.BlockCache;
import dev.hostplane.flashcache.CacheConfig;
import dev.hostplane.flashcache.CacheStats;
import dev.hostplane.flashcache.EvictionPolicy;
import dev.hostplane.flashcache.WritePolicy;
import dev.hostplane.flashcache.trace.TraceFormat;
import dev.hostplane.flashcache.trace.TraceReader;

/**
 * The paper's experiments (Holland et al., Figures 2 to 6 and the write-policy grid) on the simulator, plus a
 * replay of published traces through the two-tier hierarchy. Each returns a table, charts and a summary.
 * Sizes are the paper's (8 GB RAM, 64 GB flash) divided by the scale; simulated durations too.
 */
public final class Experiments
{
    /** The experiments, by name. */
    public static final List<String> NAMES =
        List.of("working-set", "write-policies", "architecture", "persistence", "invalidations", "small-ram", "traces");

    private static final long GB = 1L << 30;

    private final int scale;
    private final DeviceParameters devices;
    private final Duration duration;
    private final Consumer<String> progress;
    private Path traces;

    /**
     * @param scale    sizes and durations divided by this.
     * @param devices  device parameters.
     * @param duration simulated duration of each point at full scale.
     * @param progress told about each point as it finishes.
     */
    public Experiments(final int scale, final DeviceParameters devices, final Duration duration,
        final Consumer<String> progress)
    {
        this.scale = scale;
        this.devices = devices;
        this.duration = duration;
        this.progress = progress;
    }

    /**
     * @param directory where the published traces are ({@code ../shared/traces}).
     * @return this.
     */
    public Experiments traces(final Path directory)
    {
        this.traces = directory;
        return this;
    }

    /**
     * @param name one of {@link #NAMES}.
     * @return its result.
     * @throws IOException when a trace cannot be read.
     */
    public ExperimentResult run(final String name) throws IOException
    {
        switch (name)
        {
            case "working-set":
                return workingSet();
            case "write-policies":
                return writePolicies();
            case "architecture":
                return architecture();
            case "persistence":
                return persistence();
            case "invalidations":
                return invalidations();
            case "small-ram":
                return smallRam();
            case "traces":
                return traceReplay();
            default:
                throw new IllegalArgumentException("experiment=" + name + " is unknown (expected one of " + NAMES + ")");
        }
    }

    private SimResult point(final SimStore.Backend backend, final HostSetup host, final WorkloadSpec workload,
        final String label)
    {
        final SimResult r = new Simulator(scale, devices, backend).run(host, workload, duration, 0.5);
        progress.accept(String.format(Locale.ROOT, "%s: read %.1f us write %.1f us ram %.1f%% flash %.1f%% (%d events,"
            + " %.0f events/s, stale reads %d)", label, r.meanReadNanos() / 1e3, r.meanWriteNanos() / 1e3,
            100 * r.ramHitRatio(), 100 * r.flashHitRatio(), r.events(), r.eventsPerSecond(), r.staleReads()));
        if (r.staleReads() > 0)
        {
            throw new IllegalStateException(label + ": " + r.staleReads() + " stale reads: the cache served an older"
                + " version than the newest write");
        }
        return r;
    }

    private static double us(final double nanos)
    {
        return nanos / 1e3;
    }

    private ExperimentResult workingSet()
    {
        final Table t = new Table("backend", "flash_gb", "working_set_gb", "read_latency_us", "write_latency_us",
            "ram_hit_ratio", "flash_hit_ratio");
        final long[] flash = {0, 16, 32, 48, 64};
        final long[] sets = {4, 8, 16, 32, 48, 64, 96, 128};
        for (final SimStore.Backend backend : SimStore.Backend.values())
        {
            for (final long f : flash)
            {
                if (SimStore.Backend.DISK_ARRAY == backend && 0 != f && 64 != f)
                {
                    continue;
                }
                for (final long ws : sets)
                {
                    final SimResult r = point(backend, HostSetup.BASE.withFlash(f * GB), WorkloadSpec.of(ws * GB),
                        "working-set " + backend + " flash=" + f + "GB ws=" + ws + "GB");
                    t.add(backend.name().toLowerCase(Locale.ROOT), f, ws, us(r.meanReadNanos()), us(r.meanWriteNanos()),
                        r.ramHitRatio(), r.flashHitRatio());
                }
            }
        }
        final List<String> summary = new ArrayList<>();
        summary.add(ratio(t, "filer", 0, 64, 32, "read_latency_us", "a 32 GB working set: no flash vs 64 GB flash"));
        summary.add(ratio(t, "filer", 0, 64, 128, "read_latency_us", "a 128 GB working set (twice the flash)"));
        summary.add(ratio(t, "disk_array", 0, 64, 32, "read_latency_us", "plain disk array, 32 GB working set"));
        return new ExperimentResult("working-set", t, List.of(
            new Chart("Read latency vs working set (8 GB RAM, 30% writes)", "working_set_gb", "working set (GB)", false,
                "read_latency_us", "mean read latency per 4 KiB block (us)", List.of("backend", "flash_gb"))),
            summary);
    }

    private static String ratio(final Table t, final String backend, final long flashA, final long flashB, final long ws,
        final String column, final String what)
    {
        final double a = find(t, backend, flashA, ws, column);
        final double b = find(t, backend, flashB, ws, column);
        return String.format(Locale.ROOT, "%s: %s %.1f us without flash, %.1f us with %d GB flash (%.1fx)", what,
            column, a, b, flashB, a / b);
    }

    private static double find(final Table t, final String backend, final long flash, final long ws, final String column)
    {
        for (final Object[] row : t.rows())
        {
            if (row[0].equals(backend) && ((Number)row[1]).longValue() == flash && ((Number)row[2]).longValue() == ws)
            {
                return ((Number)row[t.column(column)]).doubleValue();
            }
        }
        return Double.NaN;
    }

    private static final WritePolicy[] POLICIES = {WritePolicy.SYNC_WRITE_THROUGH, WritePolicy.ASYNC_WRITE_THROUGH,
        WritePolicy.PERIODIC_WRITE_BACK, WritePolicy.PERIODIC_WRITE_BACK, WritePolicy.PERIODIC_WRITE_BACK,
        WritePolicy.PERIODIC_WRITE_BACK, WritePolicy.WRITE_BACK_ON_EVICTION};
    private static final long[] PERIOD_SECONDS = {1, 1, 1, 10, 60, 300, 1};
    private static final String[] POLICY_NAMES =
        {"sync", "async", "periodic-1s", "periodic-10s", "periodic-60s", "periodic-300s", "none"};

    private ExperimentResult writePolicies()
    {
        final Table t = new Table("ram_policy", "ram_policy_index", "flash_policy", "flash_policy_index",
            "read_latency_us", "write_latency_us");
        for (int r = 0; r < POLICIES.length; r++)
        {
            for (int f = 0; f < POLICIES.length; f++)
            {
                // One period for both tiers: the periodic one's (a combination of two periodic policies uses the RAM one).
                final long period = WritePolicy.PERIODIC_WRITE_BACK == POLICIES[r] ? PERIOD_SECONDS[r] : PERIOD_SECONDS[f];
                final HostSetup host = HostSetup.BASE.withPolicies(POLICIES[r], POLICIES[f], Duration.ofSeconds(period));
                final SimResult res = point(SimStore.Backend.FILER, host, WorkloadSpec.of(32 * GB),
                    "write-policies ram=" + POLICY_NAMES[r] + " flash=" + POLICY_NAMES[f]);
                t.add(POLICY_NAMES[r], r, POLICY_NAMES[f], f, us(res.meanReadNanos()), us(res.meanWriteNanos()));
            }
        }
        final List<String> summary = new ArrayList<>();
        double minRead = Double.MAX_VALUE;
        double maxRead = 0;
        double minWrite = Double.MAX_VALUE;
        double maxWrite = 0;
        for (final Object[] row : t.rows())
        {
            // "Non-silly": neither tier synchronous write-through (whose write latency is the filer's).
            if (!"sync".equals(row[0]) && !"sync".equals(row[2]))
            {
                minRead = Math.min(minRead, (double)row[4]);
                maxRead = Math.max(maxRead, (double)row[4]);
                minWrite = Math.min(minWrite, (double)row[5]);
                maxWrite = Math.max(maxWrite, (double)row[5]);
            }
        }
        summary.add(String.format(Locale.ROOT, "all 36 combinations without synchronous write-through: read latency"
            + " %.1f-%.1f us (within %.1f%%), write latency %.1f-%.1f us", minRead, maxRead,
            100 * (maxRead - minRead) / minRead, minWrite, maxWrite));
        return new ExperimentResult("write-policies", t, List.of(
            new Chart("Read latency per write policy (32 GB working set)", "flash_policy_index",
                "flash write policy (0 sync, 1 async, 2-5 periodic 1/10/60/300 s, 6 none)", false, "read_latency_us",
                "mean read latency (us)", List.of("ram_policy")),
            new Chart("Write latency per write policy", "flash_policy_index",
                "flash write policy (0 sync, 1 async, 2-5 periodic 1/10/60/300 s, 6 none)", false, "write_latency_us",
                "mean write latency (us)", List.of("ram_policy"))), summary);
    }

    private ExperimentResult architecture()
    {
        final Table t = new Table("architecture", "working_set_gb", "read_latency_us", "write_latency_us",
            "ram_hit_ratio", "flash_hit_ratio");
        final long[] sets = {8, 16, 32, 48, 64, 96};
        for (final Architecture a : Architecture.values())
        {
            for (final long ws : sets)
            {
                final SimResult r = point(SimStore.Backend.FILER, HostSetup.BASE.withArchitecture(a),
                    WorkloadSpec.of(ws * GB), "architecture " + a + " ws=" + ws + "GB");
                t.add(a.name().toLowerCase(Locale.ROOT), ws, us(r.meanReadNanos()), us(r.meanWriteNanos()),
                    r.ramHitRatio(), r.flashHitRatio());
            }
        }
        final List<String> summary = new ArrayList<>();
        final int n = sets.length;
        for (int i = 0; i < n; i++)
        {
            final Object[] naive = t.rows().get(i);
            final Object[] unified = t.rows().get(n + i);
            summary.add(String.format(Locale.ROOT, "ws=%d GB: unified reads %.1f%% faster, writes %.1f%% slower"
                + " (unified flash share of reads %.1f%%)", sets[i],
                100 * (1 - (double)unified[2] / (double)naive[2]), 100 * ((double)unified[3] / (double)naive[3] - 1),
                100 * (double)unified[5]));
        }
        return new ExperimentResult("architecture", t, List.of(
            new Chart("Naive vs unified: read latency", "working_set_gb", "working set (GB)", false, "read_latency_us",
                "mean read latency (us)", List.of("architecture")),
            new Chart("Naive vs unified: write latency", "working_set_gb", "working set (GB)", false,
                "write_latency_us", "mean write latency (us)", List.of("architecture"))), summary);
    }

    private ExperimentResult persistence()
    {
        final Table t = new Table("working_set_gb", "flash", "minute", "read_latency_us");
        final Table totals = new Table("working_set_gb", "flash", "read_latency_us", "write_latency_us");
        final long[] sets = {16, 48, 96};
        final long windowNanos = Duration.ofMinutes(15).toNanos();
        final List<String> summary = new ArrayList<>();
        for (final long ws : sets)
        {
            final WorkloadSpec workload = WorkloadSpec.of(ws * GB);
            final String[] kinds = {"none", "cold", "warm", "cold-no-metadata"};
            final double[][] windows = new double[kinds.length][];
            for (int k = 0; k < kinds.length; k++)
            {
                HostSetup host = HostSetup.BASE;
                DeviceParameters dp = devices;
                if ("none".equals(kinds[k]))
                {
                    host = host.withFlash(0);
                }
                if ("cold-no-metadata".equals(kinds[k]))
                {
                    host = host.withPersistent(false);
                    dp = devices.withFreeMetadata();
                }
                final SimResult r = new Simulator(scale, dp, SimStore.Backend.FILER).windows(windowNanos)
                    .run(host, workload, duration, 0.0, "warm".equals(kinds[k]) ? workload.withSeed(99) : null);
                progress.accept(String.format(Locale.ROOT, "persistence ws=%dGB %s: read %.1f us write %.1f us"
                    + " (%d events, %.0f events/s, stale %d)", ws, kinds[k], us(r.meanReadNanos()),
                    us(r.meanWriteNanos()), r.events(), r.eventsPerSecond(), r.staleReads()));
                windows[k] = r.windowReadNanos();
                totals.add(ws, kinds[k], us(r.meanReadNanos()), us(r.meanWriteNanos()));
                for (int w = 0; w < windows[k].length; w++)
                {
                    if (!Double.isNaN(windows[k][w]))
                    {
                        t.add(ws, kinds[k], (w + 1) * 15L, us(windows[k][w]));
                    }
                }
            }
            int crossover = -1;
            for (int w = 0; w < Math.min(windows[1].length, windows[2].length); w++)
            {
                if (windows[1][w] <= 1.05 * windows[2][w])
                {
                    crossover = w;
                    break;
                }
            }
            summary.add(String.format(Locale.ROOT, "ws=%d GB: cold flash reaches warm flash's read latency (within 5%%)"
                + " after %s", ws, crossover < 0 ? "more than the simulated " + duration.toHours() + " h"
                : (crossover + 1) * 15 + " simulated minutes"));
        }
        for (final Object[] row : totals.rows())
        {
            summary.add(String.format(Locale.ROOT, "ws=%s GB %s: mean read %.1f us, write %.1f us", row[0], row[1],
                (double)row[2], (double)row[3]));
        }
        return new ExperimentResult("persistence", t, List.of(
            new Chart("Warm vs cold vs no flash after a restart", "minute", "simulated minutes since restart", false,
                "read_latency_us", "mean read latency in 15-minute window (us)", List.of("working_set_gb", "flash"))),
            summary);
    }

    private ExperimentResult invalidations()
    {
        final Table t = new Table("cache", "working_set_gb", "invalidating_write_share", "read_latency_us");
        final long[] sets = {4, 8, 16, 32, 64, 96};
        for (final long flash : new long[] {0, 64})
        {
            for (final long ws : sets)
            {
                final HostSetup host = HostSetup.BASE.withFlash(flash * GB)
                    .withPolicies(WritePolicy.SYNC_WRITE_THROUGH, WritePolicy.SYNC_WRITE_THROUGH, Duration.ofSeconds(30));
                final SimResult r = new Simulator(scale, devices, SimStore.Backend.FILER)
                    .run(host, WorkloadSpec.of(ws * GB).withHosts(2), duration, 0.5);
                progress.accept(String.format(Locale.ROOT, "invalidations flash=%dGB ws=%dGB: %.2f%% of writes"
                    + " invalidate (%d events, %.0f events/s)", flash, ws, 100 * r.invalidatingShare(), r.events(),
                    r.eventsPerSecond()));
                t.add(0 == flash ? "ram-only" : "ram+64GB-flash", ws, r.invalidatingShare(), us(r.meanReadNanos()));
            }
        }
        final List<String> summary = new ArrayList<>();
        for (int i = 0; i < sets.length; i++)
        {
            summary.add(String.format(Locale.ROOT, "ws=%d GB: %.1f%% of writes invalidate a block on the other host"
                + " RAM-only, %.1f%% with flash", sets[i], 100 * (double)t.rows().get(i)[2],
                100 * (double)t.rows().get(sets.length + i)[2]));
        }
        return new ExperimentResult("invalidations", t, List.of(
            new Chart("Writes that invalidate a block on the other host (2 hosts, shared working set)",
                "working_set_gb", "working set (GB)", false, "invalidating_write_share",
                "share of writes (0-1)", List.of("cache"))), summary);
    }

    private ExperimentResult smallRam()
    {
        final Table t = new Table("working_set_gb", "ram_kb", "read_latency_us", "write_latency_us", "ram_hit_ratio",
            "flash_hit_ratio");
        final long[] ramKb = {8L << 20, 1L << 20, 128L << 10, 16L << 10, 2L << 10, 256};
        for (final long ws : new long[] {60, 5})
        {
            for (final long kb : ramKb)
            {
                final SimResult r = point(SimStore.Backend.FILER, HostSetup.BASE.withRam(kb << 10),
                    WorkloadSpec.of(ws * GB), "small-ram ws=" + ws + "GB ram=" + kb + "KB");
                t.add(ws, kb, us(r.meanReadNanos()), us(r.meanWriteNanos()), r.ramHitRatio(), r.flashHitRatio());
            }
        }
        final List<String> summary = new ArrayList<>();
        for (int w = 0; w < 2; w++)
        {
            final Object[] big = t.rows().get(w * ramKb.length);
            final Object[] tiny = t.rows().get(w * ramKb.length + ramKb.length - 1);
            summary.add(String.format(Locale.ROOT, "ws=%s GB: RAM 8 GB -> 256 KB (%d blocks at scale 1/%d): read %.1f ->"
                + " %.1f us (%+.1f%%), write %.1f -> %.1f us (%+.1f%%)", big[0], Math.max(1, (256L << 10) / scale / 4096),
                scale, (double)big[2], (double)tiny[2], 100 * ((double)tiny[2] / (double)big[2] - 1), (double)big[3],
                (double)tiny[3], 100 * ((double)tiny[3] / (double)big[3] - 1)));
        }
        return new ExperimentResult("small-ram", t, List.of(
            new Chart("Read latency as RAM shrinks (64 GB flash)", "ram_kb", "RAM cache (KB, log scale)", true,
                "read_latency_us", "mean read latency (us)", List.of("working_set_gb")),
            new Chart("Write latency as RAM shrinks (64 GB flash)", "ram_kb", "RAM cache (KB, log scale)", true,
                "write_latency_us", "mean write latency (us)", List.of("working_set_gb"))), summary);
    }

    /**
     * A published trace replayed by the {@code traces} experiment.
     *
     * @param file        path under the traces directory.
     * @param format      its format.
     * @param blockSize   the trace's unit in bytes (the cache's block size).
     * @param ramBlocks   the RAM tier, in blocks.
     * @param flashBlocks the flash tier sizes to chart, in blocks.
     */
    record TraceSpec(String file, TraceFormat format, int blockSize, int ramBlocks, int[] flashBlocks)
    {
    }

    /**
     * The ARC OLTP trace (reads, 512-byte pages), the CloudPhysics trace (4 KiB blocks, 59 % writes) and two
     * LIRS traces (reads of abstract blocks: sprite, 7,075 distinct blocks, and multi2, 5,684), with flash tiers
     * up to about each trace's footprint. ARC's P3 is left out: 3.9 million accesses, four times OLTP's, for a
     * storage-controller trace like OLTP.
     */
    static final List<TraceSpec> PUBLISHED_TRACES = List.of(
        new TraceSpec("arc/OLTP.lis.gz", TraceFormat.ARC, 512, 1024, new int[] {2048, 4096, 8192, 16384, 32768}),
        new TraceSpec("cloudphysics/cloudPhysicsIO.csv.gz", TraceFormat.CLOUDPHYSICS, 4096, 512,
            new int[] {1024, 2048, 4096, 8192, 16384}),
        new TraceSpec("lirs/sprite.trace.gz", TraceFormat.LIRS, 4096, 256, new int[] {512, 1024, 2048, 4096, 8192}),
        new TraceSpec("lirs/multi2.trace.gz", TraceFormat.LIRS, 4096, 256, new int[] {512, 1024, 2048, 4096, 8192}));

    private ExperimentResult traceReplay() throws IOException
    {
        if (null == traces || !Files.isDirectory(traces))
        {
            throw new IllegalArgumentException("traces directory=" + traces + " is missing (pass --traces DIR, e.g."
                + " ../shared/traces)");
        }
        return traceReplay(traces, PUBLISHED_TRACES, Long.MAX_VALUE);
    }

    /**
     * Replays each trace through {@link BlockCache}s (RAM tier under each eviction policy, flash tier of each
     * size) and tabulates the hit ratio of each tier.
     *
     * @param directory where the traces are.
     * @param specs     the traces.
     * @param limit     at most this many accesses per trace.
     * @return the result.
     * @throws IOException when a trace cannot be read.
     */
    ExperimentResult traceReplay(final Path directory, final List<TraceSpec> specs, final long limit)
        throws IOException
    {
        final Table t = new Table("trace", "ram_policy", "ram_blocks", "flash_blocks", "ram_hit_ratio",
            "flash_hit_ratio", "total_hit_ratio");
        final List<String> summary = new ArrayList<>();
        // Each (trace, RAM policy) pass is independent and single-threaded: run them on every core at once.
        final List<Future<double[][]>> passes = new ArrayList<>();
        final int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(),
            specs.size() * EvictionPolicy.values().length));
        final int[] named = {0};
        final ExecutorService pool = Executors.newFixedThreadPool(threads, r ->
        {
            final Thread thread = new Thread(r, "hostplane-flashcache-trace-replay-" + named[0]++);
            thread.setDaemon(true);
            return thread;
        });
        try
        {
            for (final TraceSpec spec : specs)
            {
                for (final EvictionPolicy policy : EvictionPolicy.values())
                {
                    final Path file = directory.resolve(spec.file());
                    passes.add(pool.submit(() -> replay(file, spec, policy, limit)));
                }
            }
            tabulate(directory, specs, passes, t, summary);
        }
        finally
        {
            pool.shutdownNow();
        }
        return new ExperimentResult("traces", t, List.of(
            new Chart("Published traces through RAM + flash: hit ratio of both tiers", "flash_blocks",
                "flash tier (blocks of the trace's unit, log scale)", true, "total_hit_ratio",
                "hit ratio, RAM + flash (0-1)", List.of("trace", "ram_policy")),
            new Chart("Flash tier's share of reads", "flash_blocks", "flash tier (blocks of the trace's unit, log scale)",
                true, "flash_hit_ratio", "flash hit ratio (0-1)", List.of("trace", "ram_policy"))), summary);
    }

    /** Waits for the passes in submission order and adds their rows and summary lines. */
    private void tabulate(final Path directory, final List<TraceSpec> specs, final List<Future<double[][]>> passes,
        final Table t, final List<String> summary) throws IOException
    {
        int pass = 0;
        for (final TraceSpec spec : specs)
        {
            final String name = directory.resolve(spec.file()).getFileName().toString();
            for (final EvictionPolicy policy : EvictionPolicy.values())
            {
                final double[][] r = await(passes.get(pass++));
                for (int i = 0; i < spec.flashBlocks().length; i++)
                {
                    progress.accept(String.format(Locale.ROOT, "traces %s %s ram=%d flash=%d: ram %.2f%% flash %.2f%%",
                        spec.file(), policy, spec.ramBlocks(), spec.flashBlocks()[i], 100 * r[i][0], 100 * r[i][1]));
                    t.add(name, policy.name().toLowerCase(Locale.ROOT), spec.ramBlocks(), spec.flashBlocks()[i],
                        r[i][0], r[i][1], r[i][0] + r[i][1]);
                }
                final int last = spec.flashBlocks().length - 1;
                summary.add(String.format(Locale.ROOT, "%s %s: RAM (%d blocks) %.2f%%; with flash of %d..%d blocks"
                    + " flash adds %.2f..%.2f points, total %.2f..%.2f%%", name, policy.name().toLowerCase(Locale.ROOT),
                    spec.ramBlocks(), 100 * r[0][0], spec.flashBlocks()[0], spec.flashBlocks()[last], 100 * r[0][1],
                    100 * r[last][1], 100 * (r[0][0] + r[0][1]), 100 * (r[last][0] + r[last][1])));
            }
        }
    }

    private static double[][] await(final Future<double[][]> pass) throws IOException
    {
        try
        {
            return pass.get();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while replaying a trace");
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof IOException io)
            {
                throw io;
            }
            if (ex.getCause() instanceof RuntimeException re)
            {
                throw re;
            }
            throw new IllegalStateException(ex.getCause());
        }
    }

    /**
     * One pass over a trace feeds one cache per flash size (same RAM tier and policy each), so the trace is
     * read and decompressed once per policy, not once per point.
     *
     * @return per flash size: RAM hit ratio, flash hit ratio.
     */
    private static double[][] replay(final Path trace, final TraceSpec spec, final EvictionPolicy policy,
        final long limit) throws IOException
    {
        final int[] sizes = spec.flashBlocks();
        final Path dir = Simulator.tempRoot();
        final BlockCache[] caches = new BlockCache[sizes.length];
        final int[] files = new int[sizes.length];
        try
        {
            for (int i = 0; i < sizes.length; i++)
            {
                final CacheConfig config = CacheConfig.builder().blockSize(spec.blockSize()).ramBlocks(spec.ramBlocks())
                    .ramShards(1).ramEviction(policy).flashDirectory(dir.resolve("flash" + i)).flashBlocks(sizes[i])
                    .segmentBlocks(Math.max(1, sizes[i] / 64)).persistent(false).fsync(false)
                    .callerRunsBackgroundWork(true).build();
                caches[i] = BlockCache.open(config, new ContentFreeStore(spec.blockSize()));
                files[i] = caches[i].open("trace").id();
            }
            final ByteBuffer buffer = ByteBuffer.allocateDirect(spec.blockSize());
            final IOException[] failure = new IOException[1];
            TraceReader.read(trace, spec.format(), (block, write) ->
            {
                if (null != failure[0])
                {
                    return;
                }
                try
                {
                    for (int i = 0; i < caches.length; i++)
                    {
                        final BlockCache cache = caches[i];
                        if (write)
                        {
                            cache.write(files[i], block, buffer, 0);
                        }
                        else
                        {
                            cache.read(files[i], block, buffer, 0);
                        }
                        while (0 == cache.nanosUntilBackgroundWork() && cache.doBackgroundWork() > 0)
                        {
                            // Write-back keeps up with the trace (no time in this replay).
                        }
                    }
                }
                catch (final IOException ex)
                {
                    failure[0] = ex;
                }
            }, limit);
            if (null != failure[0])
            {
                throw failure[0];
            }
            final double[][] result = new double[sizes.length][];
            for (int i = 0; i < sizes.length; i++)
            {
                final CacheStats s = caches[i].stats();
                result[i] = new double[] {s.ramHitRatio(), s.flashHitRatio()};
            }
            return result;
        }
        finally
        {
            for (final BlockCache cache : caches)
            {
                if (null != cache)
                {
                    cache.close();
                }
            }
            Simulator.deleteTree(dir);
        }
    }

    /**
     * The traces experiment's backing store: only which tier hits matters there, never what a block holds, so
     * it keeps nothing. A store keeping every written block holds each CloudPhysics cache's 208,696 written
     * blocks (855 MB); two passes of five caches each, running at once, took more than a default heap.
     */
    private static final class ContentFreeStore implements BackingStore
    {
        private final byte[] zeros;

        ContentFreeStore(final int blockSize)
        {
            this.zeros = new byte[blockSize];
        }

        @Override
        public int blockSize()
        {
            return zeros.length;
        }

        @Override
        public void open(final int file, final String name)
        {
            // Nothing to open: no block is kept.
        }

        @Override
        public void read(final int file, final long blockNo, final ByteBuffer dst, final int offset)
        {
            dst.put(offset, zeros, 0, zeros.length);
        }

        @Override
        public void write(final int file, final long blockNo, final ByteBuffer src, final int offset)
        {
            // Contents are not part of the experiment's result.
        }

        @Override
        public void flush()
        {
            // Nothing is kept, so nothing to make durable.
        }

        @Override
        public void close()
        {
            // Nothing to release.
        }
    }
}

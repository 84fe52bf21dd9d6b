package dev.hostplane.flashcache.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.stream.Stream;

import dev.hostplane.flashcache.BlockCache;
import dev.hostplane.flashcache.CacheConfig;
import dev.hostplane.flashcache.CacheStats;
import dev.hostplane.flashcache.InvalidationBus;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.Long2LongHashMap;

/**
 * Runs a workload through real {@link BlockCache}s (one per host, sharing one simulated backing store and an
 * invalidation bus) on simulated time. Nothing of the cache is re-implemented: the caches are opened with
 * {@link CacheConfig.Builder#callerRunsBackgroundWork(boolean)} (the simulator runs each of their write-back threads
 * as an actor: the RAM writer, and one actor per flash write-back thread, {@link HostSetup#flashWriteBackThreads()}),
 * a {@link SimClock}, and a
 * {@link dev.hostplane.flashcache.FlashIoListener} that charges flash device time; their flash tiers are real
 * files in a temporary directory (memory-backed {@code /dev/shm} where there is one, where fsync costs no real
 * time; its simulated cost is the device model's).
 *
 * <p>Discrete events, one thread, deterministic: the actor (an application thread, or one write-back thread
 * of a host) with the earliest time runs next and does one step (one I/O, one RAM write-back pass, one flash
 * write-back of one block), then goes back in the queue at the time that step ended; so no actor reserves a
 * device ahead of the others by more than one step's operations, and N write-back threads overlap their store
 * writes as N threads do. Device models queue operations of different actors. An
 * application thread issues its next I/O at its trace time or when its previous I/O completed, whichever is
 * later; the I/O's latency is from issue to completion, including the RAM copy. Every read is checked against
 * the newest version written (single host), so a run also tests the cache.
 */
public final class Simulator
{
    private final int scale;
    private final int blockSize;
    private final DeviceParameters devices;
    private final SimStore.Backend backend;
    private long windowNanos;

    /**
     * @param scale    sizes, durations and periods are divided by this (rates and device times are not).
     * @param devices  device parameters.
     * @param backend  filer or plain disk array.
     */
    public Simulator(final int scale, final DeviceParameters devices, final SimStore.Backend backend)
    {
        if (scale < 1)
        {
            throw new IllegalArgumentException("scale=" + scale + " must be >= 1");
        }
        this.scale = scale;
        this.blockSize = 4096;
        this.devices = devices;
        this.backend = backend;
    }

    /**
     * @param nanos full-scale width of the time windows of {@link SimResult#windowReadNanos()} (0: none).
     * @return this.
     */
    public Simulator windows(final long nanos)
    {
        this.windowNanos = nanos;
        return this;
    }

    /**
     * Runs one simulation from cold caches.
     *
     * @param host     every host's cache.
     * @param workload the workload.
     * @param duration simulated duration at full scale (divided by the scale).
     * @param warmup   share of the duration not measured.
     * @return what was measured.
     */
    public SimResult run(final HostSetup host, final WorkloadSpec workload, final Duration duration, final double warmup)
    {
        return run(host, workload, duration, warmup, null);
    }

    /**
     * Runs one simulation; with {@code warmWith}, each host's flash tier is first filled by running that
     * workload, then the caches are closed and reopened (a warm restart of a persistent flash tier).
     *
     * @param host     every host's cache.
     * @param workload the workload.
     * @param duration simulated duration at full scale.
     * @param warmup   share of the duration not measured.
     * @param warmWith workload run before a restart, or {@code null}.
     * @return what was measured.
     */
    public SimResult run(
        final HostSetup host, final WorkloadSpec workload, final Duration duration, final double warmup,
        final WorkloadSpec warmWith)
    {
        final Path root = tempRoot();
        try
        {
            final SimClock clock = new SimClock();
            final SimStore store = new SimStore(blockSize, clock, devices, backend, scale);
            final Run run = new Run(host, workload.hosts(), clock, store, root);
            try
            {
                final long scaled = duration.toNanos() / scale;
                if (null != warmWith)
                {
                    run.simulate(new WorkloadGenerator(warmWith, blockSize, scale, scaled), scaled, 0, 0);
                    run.restart();
                }
                final long start = System.nanoTime();
                final long windows = windowNanos / scale;
                final SimResult result = run.simulate(new WorkloadGenerator(workload, blockSize, scale, scaled), scaled,
                    (long)(scaled * warmup), windows);
                return new SimResult(result.reads(), result.writes(), result.meanReadNanos(), result.meanWriteNanos(),
                    result.ramHitRatio(), result.flashHitRatio(), result.invalidatingShare(), result.events(),
                    System.nanoTime() - start, result.staleReads(), result.windowReadNanos(), scaled,
                    result.backingWrites());
            }
            finally
            {
                run.close();
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        finally
        {
            deleteTree(root);
        }
    }

    static Path tempRoot()
    {
        try
        {
            final Path shm = Path.of("/dev/shm");
            if (Files.isDirectory(shm) && Files.isWritable(shm))
            {
                return Files.createTempDirectory(shm, "hostplane-sim-");
            }
            return Files.createTempDirectory("hostplane-sim-");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static void deleteTree(final Path root)
    {
        try (Stream<Path> walk = Files.walk(root))
        {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException ignored)
        {
            // A temporary directory left behind is not worth failing a finished simulation.
        }
    }

    /** What an actor stands for. */
    private enum Kind
    {
        APPLICATION, RAM_WRITER, FLASH_WRITER
    }

    /** An application thread or one write-back thread of a host, with its own time line. */
    private static final class Actor
    {
        final int host;
        final Kind kind;
        final WorkloadGenerator.Stream stream;
        final TraceEvent event = new TraceEvent();
        long freeAt;
        long scheduledAt = Long.MAX_VALUE;

        Actor(final int host, final Kind kind, final WorkloadGenerator.Stream stream)
        {
            this.host = host;
            this.kind = kind;
            this.stream = stream;
        }
    }

    private record Entry(long at, long order, Actor actor)
    {
    }

    /** The caches and state of one simulation (kept across a warm restart). */
    private final class Run
    {
        private final HostSetup setup;
        private final SimClock clock;
        private final SimStore store;
        private final Path root;
        private final BlockCache[] caches;
        private final Int2IntHashMap[] fileIds;
        private final InvalidationBus bus;
        private final Long2LongHashMap lastWritten = new Long2LongHashMap(0);
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(blockSize);
        private long version;
        private long order;

        Run(final HostSetup setup, final int hosts, final SimClock clock, final SimStore store, final Path root)
            throws IOException
        {
            this.setup = setup;
            this.clock = clock;
            this.store = store;
            this.root = root;
            this.caches = new BlockCache[hosts];
            this.fileIds = new Int2IntHashMap[hosts];
            this.bus = hosts > 1 ? new InvalidationBus() : null;
            open();
        }

        private void open() throws IOException
        {
            for (int h = 0; h < caches.length; h++)
            {
                caches[h] = BlockCache.open(config(h).build(), store);
                fileIds[h] = new Int2IntHashMap(-1);
            }
        }

        private CacheConfig.Builder config(final int h)
        {
            final int ramBlocks = (int)Math.max(1, setup.ramBytes() / scale / blockSize);
            final CacheConfig.Builder config = CacheConfig.builder().blockSize(blockSize).ramBlocks(ramBlocks).ramShards(1)
                .ramEviction(setup.ramEviction()).ramWritePolicy(setup.ramPolicy())
                .writeBackPeriod(Duration.ofNanos(Math.max(1, setup.period().toNanos() / scale)))
                .architecture(setup.architecture()).clock(clock).callerRunsBackgroundWork(true);
            if (null != bus)
            {
                config.invalidationBus(bus, "host" + h);
            }
            if (setup.flashBytes() > 0)
            {
                final int flashBlocks = (int)Math.max(16, setup.flashBytes() / scale / blockSize);
                final int segment = Math.max(1, Math.min(256, flashBlocks / 16));
                config.flashDirectory(root.resolve("host" + h)).flashBlocks(flashBlocks).segmentBlocks(segment)
                    .flashWritePolicy(setup.flashPolicy()).persistent(setup.persistent()).fsync(true)
                    .flashIoListener(new SimFlashDevice(clock, devices, blockSize));
            }
            return config;
        }

        void restart() throws IOException
        {
            close();
            open();
        }

        void close() throws IOException
        {
            for (final BlockCache cache : caches)
            {
                if (null != cache)
                {
                    cache.close();
                }
            }
        }

        private int fileId(final int host, final int file) throws IOException
        {
            int id = fileIds[host].get(file);
            if (-1 == id)
            {
                id = caches[host].open("f" + file).id();
                fileIds[host].put(file, id);
            }
            return id;
        }

        SimResult simulate(final WorkloadGenerator generator, final long end, final long warmupEnd, final long window)
            throws IOException
        {
            final PriorityQueue<Entry> queue = new PriorityQueue<>(
                (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
            final long offset = clock.nanoTime();
            final Actor[] ramWriters = new Actor[caches.length];
            final Actor[][] flashWriters = new Actor[caches.length][setup.flashWriteBackThreads()];
            for (int h = 0; h < caches.length; h++)
            {
                ramWriters[h] = new Actor(h, Kind.RAM_WRITER, null);
                ramWriters[h].freeAt = offset;
                for (int t = 0; t < flashWriters[h].length; t++)
                {
                    flashWriters[h][t] = new Actor(h, Kind.FLASH_WRITER, null);
                    flashWriters[h][t].freeAt = offset;
                }
            }
            final long storeWritesBefore = store.writes();
            long storeWritesAtWarmup = storeWritesBefore;
            for (final WorkloadGenerator.Stream stream : generator.streams())
            {
                final Actor actor = new Actor(stream.host, Kind.APPLICATION, stream);
                actor.freeAt = offset;
                if (stream.next(actor.event))
                {
                    queue.add(new Entry(offset + actor.event.timeNanos, order++, actor));
                }
            }
            final CacheStats[] before = new CacheStats[caches.length];
            boolean measuring = 0 == warmupEnd;
            if (measuring)
            {
                snapshot(before);
            }
            final double[] windowSum = new double[window > 0 ? (int)Math.min(100_000, end / window + 1) : 0];
            final long[] windowCount = new long[windowSum.length];
            long events = 0;
            long reads = 0;
            long writes = 0;
            double readSum = 0;
            double writeSum = 0;
            long stale = 0;
            long last = offset;
            Entry entry;
            while (null != (entry = queue.poll()))
            {
                final Actor actor = entry.actor;
                if (Kind.APPLICATION != actor.kind)
                {
                    if (entry.at != actor.scheduledAt)
                    {
                        continue;
                    }
                    actor.scheduledAt = Long.MAX_VALUE;
                    clock.set(Math.max(entry.at, actor.freeAt));
                    final BlockCache cache = caches[actor.host];
                    // One step per turn, as one thread's loop does one step per iteration.
                    final int done = Kind.RAM_WRITER == actor.kind ? cache.doRamWriteBack() : cache.doFlashWriteBack();
                    events += done > 0 ? 1 : 0;
                    actor.freeAt = clock.nanoTime();
                    schedule(queue, ramWriters[actor.host], cache.nanosUntilRamWriteBack());
                    schedule(queue, flashWriters[actor.host], cache.nanosUntilFlashWriteBack());
                    continue;
                }
                if (actor.freeAt > entry.at)
                {
                    // Still busy with its previous I/O: run it when that ended, in time order with the others,
                    // not now (it would reserve devices ahead of actors whose time comes first).
                    queue.add(new Entry(actor.freeAt, order++, actor));
                    continue;
                }
                final long issue = entry.at;
                if (!measuring && issue - offset >= warmupEnd)
                {
                    measuring = true;
                    snapshot(before);
                    storeWritesAtWarmup = store.writes();
                }
                clock.set(issue);
                final TraceEvent event = actor.event;
                final BlockCache cache = caches[actor.host];
                final int file = fileId(actor.host, event.file);
                final long blockNo = event.offset / blockSize;
                final long key = ((long)event.file << 40) | blockNo;
                clock.sleepNanos(devices.ramBlockNanos());
                if (event.write)
                {
                    version++;
                    buffer.putLong(0, version);
                    buffer.putLong(8, key);
                    cache.write(file, blockNo, buffer, 0);
                    lastWritten.put(key, version);
                }
                else
                {
                    cache.read(file, blockNo, buffer, 0);
                    if (1 == caches.length && buffer.getLong(0) != lastWritten.get(key))
                    {
                        stale++;
                    }
                }
                final long latency = clock.nanoTime() - issue;
                actor.freeAt = clock.nanoTime();
                last = Math.max(last, actor.freeAt);
                events++;
                if (measuring)
                {
                    if (event.write)
                    {
                        writes++;
                        writeSum += latency;
                    }
                    else
                    {
                        reads++;
                        readSum += latency;
                    }
                }
                if (!event.write && window > 0)
                {
                    final int w = (int)Math.min(windowSum.length - 1, (issue - offset) / window);
                    windowSum[w] += latency;
                    windowCount[w]++;
                }
                schedule(queue, ramWriters[actor.host], cache.nanosUntilRamWriteBack());
                schedule(queue, flashWriters[actor.host], cache.nanosUntilFlashWriteBack());
                if (actor.stream.next(event))
                {
                    queue.add(new Entry(offset + event.timeNanos, order++, actor));
                }
            }
            clock.set(Math.max(clock.nanoTime(), Math.max(last, offset + end)));
            final double[] windows = new double[windowSum.length];
            for (int i = 0; i < windows.length; i++)
            {
                windows[i] = 0 == windowCount[i] ? Double.NaN : windowSum[i] / windowCount[i];
            }
            long ramHits = 0;
            long flashHits = 0;
            long cacheReads = 0;
            long applied = 0;
            long cacheWrites = 0;
            for (int h = 0; h < caches.length; h++)
            {
                final CacheStats now = caches[h].stats();
                final CacheStats then = null == before[h] ? now : before[h];
                ramHits += now.ramHits() - then.ramHits();
                flashHits += now.flashHits() - then.flashHits();
                cacheReads += now.reads() - then.reads();
                applied += now.invalidationsApplied() - then.invalidationsApplied();
                cacheWrites += now.writes() - then.writes();
            }
            return new SimResult(reads, writes, 0 == reads ? 0 : readSum / reads, 0 == writes ? 0 : writeSum / writes,
                0 == cacheReads ? 0 : (double)ramHits / cacheReads, 0 == cacheReads ? 0 : (double)flashHits / cacheReads,
                0 == cacheWrites ? 0 : (double)applied / cacheWrites, events, 0, stale, windows, end,
                measuring ? store.writes() - storeWritesAtWarmup : 0);
        }

        private void snapshot(final CacheStats[] into)
        {
            for (int h = 0; h < caches.length; h++)
            {
                into[h] = caches[h].stats();
            }
        }

        /** Wakes every one of a host's flash write-back threads, as a writer's signal does. */
        private void schedule(final PriorityQueue<Entry> queue, final Actor[] writers, final long wait)
        {
            for (final Actor writer : writers)
            {
                schedule(queue, writer, wait);
            }
        }

        /** Puts a write-back actor in the queue for when it has work ({@code wait} from now), once. */
        private void schedule(final PriorityQueue<Entry> queue, final Actor writer, final long wait)
        {
            if (Long.MAX_VALUE == wait)
            {
                return;
            }
            final long at = Math.max(writer.freeAt, clock.nanoTime() + wait);
            if (at < writer.scheduledAt)
            {
                writer.scheduledAt = at;
                queue.add(new Entry(at, order++, writer));
            }
        }
    }
}

package dev.hostplane.flashcache.sim;

import java.util.PriorityQueue;

import dev.hostplane.flashcache.trace.ZipfGenerator;

/**
 * Generates the statistical workload of a {@link WorkloadSpec} as trace events, one stream per thread,
 * deterministic for a seed. Popular blocks are spread over the working set by a fixed permutation (rank times
 * an odd constant modulo the set size), so hot blocks are not neighbours; sequential runs start at a popular
 * block and read or write the blocks after it; outside accesses go uniformly to a region 64 times the working
 * set. Blocks map to files of {@link #BLOCKS_PER_FILE} blocks.
 */
public final class WorkloadGenerator
{
    /** Blocks per file: 1 GiB of 4 KiB blocks. */
    public static final long BLOCKS_PER_FILE = 1 << 18;

    private final Stream[] streams;
    private final PriorityQueue<Stream> merge;

    /**
     * @param spec          the workload.
     * @param blockSize     bytes per block.
     * @param scale         sizes divided by this.
     * @param durationNanos trace length (already scaled).
     */
    public WorkloadGenerator(final WorkloadSpec spec, final int blockSize, final int scale, final long durationNanos)
    {
        final long wsBlocks = Math.max(2, spec.workingSetBytes() / scale / blockSize);
        streams = new Stream[spec.hosts() * spec.threadsPerHost()];
        merge = new PriorityQueue<>(Math.max(1, streams.length),
            (a, b) -> a.nextTime != b.nextTime ? Long.compare(a.nextTime, b.nextTime) : Integer.compare(a.id, b.id));
        for (int h = 0; h < spec.hosts(); h++)
        {
            for (int t = 0; t < spec.threadsPerHost(); t++)
            {
                final int id = h * spec.threadsPerHost() + t;
                streams[id] = new Stream(spec, id, h, t, wsBlocks, blockSize, durationNanos);
                merge.add(streams[id]);
            }
        }
    }

    /**
     * @param host   host index.
     * @param thread thread index.
     * @return that thread's stream.
     */
    public Stream stream(final int host, final int thread)
    {
        for (final Stream s : streams)
        {
            if (s.host == host && s.thread == thread)
            {
                return s;
            }
        }
        throw new IllegalArgumentException("host=" + host + " thread=" + thread + " not in the workload");
    }

    /** @return every thread's stream. */
    public Stream[] streams()
    {
        return streams.clone();
    }

    /**
     * Fills {@code event} with the next event of the merged, time-ordered trace.
     *
     * @param event the flyweight to fill.
     * @return false at the end of the trace.
     */
    public boolean next(final TraceEvent event)
    {
        final Stream s = merge.poll();
        if (null == s || !s.next(event))
        {
            return false;
        }
        if (s.hasNext())
        {
            merge.add(s);
        }
        return true;
    }

    /** One thread's events, in time order. Allocation-free per event. */
    public static final class Stream
    {
        final int id;
        final int host;
        final int thread;
        private final WorkloadSpec spec;
        private final ZipfGenerator zipf;
        private final long wsBlocks;
        private final long multiplier;
        private final long baseBlock;
        private final int blockSize;
        private final long endNanos;
        private final double meanGapNanos;
        private long nextTime;
        private long runNext = -1;
        private int runLeft;
        private boolean runWrite;

        Stream(
            final WorkloadSpec spec, final int id, final int host, final int thread, final long wsBlocks,
            final int blockSize, final long endNanos)
        {
            this.spec = spec;
            this.id = id;
            this.host = host;
            this.thread = thread;
            this.wsBlocks = wsBlocks;
            this.blockSize = blockSize;
            this.endNanos = endNanos;
            this.zipf = new ZipfGenerator(wsBlocks, spec.zipfTheta(), spec.seed() * 1_000_003L + id * 7919L + 1);
            long m = 0x9E3779B97F4A7C15L % wsBlocks | 1;
            while (gcd(m, wsBlocks) != 1)
            {
                m += 2;
            }
            this.multiplier = m;
            this.baseBlock = spec.sharedWorkingSet() ? 0 : (long)host * 128 * BLOCKS_PER_FILE;
            this.meanGapNanos = 1e9 / spec.opsPerSecondPerThread();
            this.nextTime = gap();
        }

        private static long gcd(final long a, final long b)
        {
            return 0 == b ? a : gcd(b, a % b);
        }

        private long gap()
        {
            final double u = zipf.uniform();
            return (long)(-Math.log(1.0 - u) * meanGapNanos);
        }

        boolean hasNext()
        {
            return nextTime < endNanos;
        }

        /** @return the issue time of the next event. */
        public long nextTime()
        {
            return nextTime;
        }

        /**
         * @param event filled with the next event.
         * @return false at the end of this thread's trace.
         */
        public boolean next(final TraceEvent event)
        {
            if (nextTime >= endNanos)
            {
                return false;
            }
            final long block;
            final boolean write;
            if (runLeft > 0)
            {
                block = runNext++;
                write = runWrite;
                runLeft--;
            }
            else
            {
                write = zipf.uniform() < spec.writeFraction();
                final double kind = zipf.uniform();
                if (kind < spec.outsideFraction())
                {
                    block = baseBlock + wsBlocks + (long)(zipf.uniform() * 64 * wsBlocks);
                }
                else
                {
                    final long rank = zipf.next();
                    final long start = baseBlock + Math.floorMod(rank * multiplier, wsBlocks);
                    block = start;
                    if (kind < spec.outsideFraction() + spec.sequentialFraction() && spec.runBlocks() > 1)
                    {
                        runNext = start + 1;
                        runLeft = spec.runBlocks() - 1;
                        runWrite = write;
                    }
                }
            }
            event.host = host;
            event.thread = thread;
            event.timeNanos = nextTime;
            event.write = write;
            event.file = (int)(block / BLOCKS_PER_FILE);
            event.offset = (block % BLOCKS_PER_FILE) * blockSize;
            event.length = blockSize;
            nextTime += runLeft > 0 ? 1 : gap();
            return true;
        }
    }
}

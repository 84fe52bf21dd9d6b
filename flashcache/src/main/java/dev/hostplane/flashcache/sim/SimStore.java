package dev.hostplane.flashcache.sim;

import java.nio.ByteBuffer;

import dev.hostplane.flashcache.BackingStore;
import dev.hostplane.flashcache.policy.LruPolicy;
import dev.hostplane.flashcache.policy.ReplacementPolicy;
import org.agrona.collections.Long2LongHashMap;

/**
 * The simulated backing store: a network filer (RAM cache with read-ahead, NVRAM-acknowledged writes, disks
 * behind) or a plain disk array, reached over the network. It keeps only each block's version (8 bytes per
 * block ever written), and serves a block as its version and key in the first 16 bytes, so the simulator can
 * check that every read returns the newest write. Time is charged to the simulated clock of the actor doing
 * the I/O. Single-threaded, like the simulator.
 */
public final class SimStore implements BackingStore
{
    /** What sits behind the network. */
    public enum Backend
    {
        /** A NAS filer: its own RAM cache with read-ahead, writes acknowledged from NVRAM. */
        FILER,
        /** A plain disk array: every read and write goes to a disk. */
        DISK_ARRAY
    }

    private final int blockSize;
    private final SimClock clock;
    private final DeviceParameters p;
    private final Backend backend;
    private final Device network;
    private final Device disks;
    private final ReplacementPolicy filerCache;
    private final Long2LongHashMap versions = new Long2LongHashMap(0);
    private final long[] lastRead = new long[1 << 10];
    private long reads;
    private long writes;

    /**
     * @param blockSize  block size.
     * @param clock      simulated clock.
     * @param parameters device parameters.
     * @param backend    filer or plain disk array.
     * @param scale      sizes divided by this (the filer cache).
     */
    public SimStore(
        final int blockSize, final SimClock clock, final DeviceParameters parameters, final Backend backend,
        final int scale)
    {
        this.blockSize = blockSize;
        this.clock = clock;
        this.p = parameters;
        this.backend = backend;
        this.network = new Device("network", 1);
        this.disks = new Device("disks", parameters.diskSpindles());
        final int filerBlocks = (int)Math.max(1, parameters.filerCacheBytes() / scale / blockSize);
        this.filerCache = Backend.FILER == backend ? new LruPolicy(filerBlocks) : null;
        java.util.Arrays.fill(lastRead, -2);
    }

    private static long key(final int file, final long blockNo)
    {
        return ((long)file << 40) | blockNo;
    }

    @Override
    public int blockSize()
    {
        return blockSize;
    }

    @Override
    public void open(final int file, final String name)
    {
        // Files are ids; the content is versions.
    }

    /**
     * The block's transfer occupies the link (queued behind other transfers); the round trip is latency that
     * requests of different threads spend in flight at once, not link time.
     */
    private void overNetwork()
    {
        clock.set(network.serve(clock.nanoTime(), DeviceParameters.transferNanos(blockSize, p.networkBytesPerSecond()))
            + p.networkRoundTripNanos());
    }

    private long diskNanos()
    {
        return p.diskAccessNanos() + DeviceParameters.transferNanos(blockSize, p.diskBytesPerSecond());
    }

    @Override
    public void read(final int file, final long blockNo, final ByteBuffer dst, final int offset)
    {
        reads++;
        overNetwork();
        final long key = key(file, blockNo);
        if (null == filerCache)
        {
            clock.set(disks.serve(clock.nanoTime(), diskNanos()));
        }
        else
        {
            if (filerCache.get(key) >= 0)
            {
                clock.sleepNanos(p.filerCacheHitNanos());
            }
            else
            {
                clock.set(disks.serve(clock.nanoTime(), diskNanos()));
                filerCache.admit(key);
            }
            final int lane = file & (lastRead.length - 1);
            if (lastRead[lane] + 1 == blockNo)
            {
                // Sequential: read ahead into the filer's cache; the disks are busy, the requester does not wait.
                for (int i = 1; i <= p.filerPrefetchBlocks(); i++)
                {
                    if (filerCache.peek(key + i) < 0)
                    {
                        disks.serve(clock.nanoTime(), DeviceParameters.transferNanos(blockSize, p.diskBytesPerSecond()));
                        filerCache.admit(key + i);
                    }
                }
            }
            lastRead[lane] = blockNo;
        }
        dst.putLong(offset, versions.get(key));
        dst.putLong(offset + 8, key);
    }

    @Override
    public void write(final int file, final long blockNo, final ByteBuffer src, final int offset)
    {
        writes++;
        overNetwork();
        final long key = key(file, blockNo);
        if (null == filerCache)
        {
            clock.set(disks.serve(clock.nanoTime(), diskNanos()));
        }
        else
        {
            clock.sleepNanos(p.filerWriteNanos());
            // Written to disk later from NVRAM: the disks are busy, the writer does not wait.
            disks.serve(clock.nanoTime(), diskNanos());
            if (filerCache.peek(key) < 0)
            {
                filerCache.admit(key);
            }
        }
        versions.put(key, src.getLong(offset));
    }

    /**
     * @param file    file id.
     * @param blockNo block number.
     * @return the version the store holds (0 if never written).
     */
    public long version(final int file, final long blockNo)
    {
        return versions.get(key(file, blockNo));
    }

    /** @return block reads served. */
    public long reads()
    {
        return reads;
    }

    /** @return block writes received. */
    public long writes()
    {
        return writes;
    }

    /** @return which backend this is. */
    public Backend backend()
    {
        return backend;
    }

    @Override
    public void flush()
    {
        // Versions are as durable as the simulation.
    }

    @Override
    public void close()
    {
        // Nothing to release.
    }
}

package dev.hostplane.flashcache.sim;

/**
 * Every device parameter of the simulator, in one place. The defaults ({@link #PAPER_ERA}) describe a
 * client of 2012-2013 as in Holland et al.'s study: DDR3 RAM, a SATA-II MLC SSD, gigabit Ethernet, a NAS
 * filer with NVRAM and its own RAM cache, and behind it (or alone, as the "plain disk array" backend) 15K RPM
 * SAS disks. The paper's own parameter table could not be read here, so these are typical published figures
 * of the era, each with its source, not the paper's numbers; a user can pass their own.
 *
 * @param ramBlockNanos        one 4 KiB block copied to or from the RAM cache. DDR3-1333 streams about
 *                             10 GB/s (0.4 us per 4 KiB); 1 us adds the cache lookup and locking.
 * @param flashReadNanos       one random 4 KiB read from flash: 75 us, the typical read latency in Intel's
 *                             SSD 320 product specification (2011).
 * @param flashWriteNanos      one 4 KiB write to flash: 90 us, the typical write latency in the same
 *                             specification.
 * @param flashMetadataNanos   one metadata-log append (a few 40-byte records): a small write, same cost as a
 *                             data write (90 us): persistence doubles the flash write work, the assumption the
 *                             paper's persistence experiment makes.
 * @param flashBytesPerSecond  sequential flash bandwidth for the bytes beyond the first block: 220 MB/s,
 *                             the SSD 320's sequential write rate on SATA 3 Gb/s.
 * @param flashChannels        operations the SSD serves in parallel (queued otherwise): 4 (the SSD 320 has
 *                             10 NAND channels behind a 32-deep NCQ queue; 4 is a conservative share).
 * @param networkRoundTripNanos one request/response over gigabit Ethernet through the NFS client and server
 *                             stacks: 100 us (LAN RTT about 50-100 us in measurements of the period). Latency
 *                             only: requests of different threads are in flight at once.
 * @param networkBytesPerSecond gigabit Ethernet payload rate: 117 MB/s (4 KiB in 35 us). The link is one
 *                             server: block transfers queue behind each other.
 * @param filerCacheHitNanos   the filer's CPU and protocol work for a block it has in RAM: 50 us.
 * @param filerWriteNanos      a write acknowledged from the filer's NVRAM (written to disk later): 100 us.
 * @param filerPrefetchBlocks  blocks the filer reads ahead after a sequential read (NetApp-style read-ahead):
 *                             32.
 * @param filerCacheBytes      the filer's RAM cache at full scale: 32 GiB (mid-range filer of the period).
 * @param diskAccessNanos      one random access to a 15K RPM SAS disk: 5.4 ms (3.4 ms average read seek plus
 *                             2.0 ms average rotational latency, Seagate Cheetah 15K.7 data sheet).
 * @param diskBytesPerSecond   disk media rate: 150 MB/s (same data sheet, sustained).
 * @param diskSpindles         disks in the array serving requests in parallel: 8.
 */
public record DeviceParameters(
    long ramBlockNanos,
    long flashReadNanos,
    long flashWriteNanos,
    long flashMetadataNanos,
    long flashBytesPerSecond,
    int flashChannels,
    long networkRoundTripNanos,
    long networkBytesPerSecond,
    long filerCacheHitNanos,
    long filerWriteNanos,
    int filerPrefetchBlocks,
    long filerCacheBytes,
    long diskAccessNanos,
    long diskBytesPerSecond,
    int diskSpindles)
{
    /** Typical devices of the paper's era; see the record's comment for each value's source. */
    public static final DeviceParameters PAPER_ERA = new DeviceParameters(
        1_000, 75_000, 90_000, 90_000, 220_000_000L, 4,
        100_000, 117_000_000L, 50_000, 100_000, 32, 32L << 30,
        5_400_000, 150_000_000L, 8);

    /**
     * @return a copy whose metadata-log appends cost nothing: a flash tier whose persistence is free.
     */
    public DeviceParameters withFreeMetadata()
    {
        return new DeviceParameters(ramBlockNanos, flashReadNanos, flashWriteNanos, 0, flashBytesPerSecond,
            flashChannels, networkRoundTripNanos, networkBytesPerSecond, filerCacheHitNanos, filerWriteNanos,
            filerPrefetchBlocks, filerCacheBytes, diskAccessNanos, diskBytesPerSecond, diskSpindles);
    }

    static long transferNanos(final long bytes, final long bytesPerSecond)
    {
        return bytes * 1_000_000_000L / bytesPerSecond;
    }
}

package dev.hostplane.flashcache;

/**
 * A snapshot of a {@link BlockCache}'s counters (cumulative since open).
 *
 * @param ramHits               reads served from RAM.
 * @param ramMisses             reads RAM did not have.
 * @param flashHits             reads served from flash.
 * @param flashMisses           reads neither tier had (with a flash tier).
 * @param backingReads          blocks read from the backing store.
 * @param backingWrites         blocks written to the backing store (write-through and write-back).
 * @param writes                write calls.
 * @param ramDirty              dirty blocks in RAM now.
 * @param flashLive             blocks in flash now.
 * @param flashDirty            dirty blocks in flash now.
 * @param writeBackLagNanos     age of the oldest dirty flash block.
 * @param flashDataBytes        data bytes written to the flash file.
 * @param flashMetaBytes        metadata bytes written to the flash log.
 * @param recoveredBlocks       flash blocks found valid at open (warm restart).
 * @param droppedOnRecovery     flash blocks dropped at open because a metadata record was corrupt.
 * @param corruptRecords        torn or corrupt metadata records found at open.
 * @param checksumMisses        flash reads whose data checksum failed (served from the store instead).
 * @param invalidationsSent     invalidations this cache sent to other hosts.
 * @param invalidationsReceived invalidations received from other hosts.
 * @param invalidationsApplied  received invalidations that dropped a cached block.
 * @param readLatency           read latency since open (a snapshot: {@link LatencyHistogram#minus} gives an interval).
 * @param writeLatency          write latency since open (a snapshot).
 */
public record CacheStats(
    long ramHits,
    long ramMisses,
    long flashHits,
    long flashMisses,
    long backingReads,
    long backingWrites,
    long writes,
    long ramDirty,
    long flashLive,
    long flashDirty,
    long writeBackLagNanos,
    long flashDataBytes,
    long flashMetaBytes,
    long recoveredBlocks,
    long droppedOnRecovery,
    long corruptRecords,
    long checksumMisses,
    long invalidationsSent,
    long invalidationsReceived,
    long invalidationsApplied,
    LatencyHistogram readLatency,
    LatencyHistogram writeLatency)
{
    /**
     * @return reads.
     */
    public long reads()
    {
        return ramHits + ramMisses;
    }

    /**
     * @return fraction of reads served by either tier.
     */
    public double hitRatio()
    {
        final long reads = reads();
        return 0 == reads ? 0.0 : (double)(ramHits + flashHits) / reads;
    }

    /**
     * @return fraction of reads served by RAM.
     */
    public double ramHitRatio()
    {
        final long reads = reads();
        return 0 == reads ? 0.0 : (double)ramHits / reads;
    }

    /**
     * @return fraction of reads served by flash.
     */
    public double flashHitRatio()
    {
        final long reads = reads();
        return 0 == reads ? 0.0 : (double)flashHits / reads;
    }

    /**
     * @return invalidations sent per write (consistency traffic, Holland et al. Fig. 4).
     */
    public double invalidationsPerWrite()
    {
        return 0 == writes ? 0.0 : (double)invalidationsSent / writes;
    }
}

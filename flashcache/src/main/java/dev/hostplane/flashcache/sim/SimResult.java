package dev.hostplane.flashcache.sim;

/**
 * What one simulation measured, after its warm-up.
 *
 * @param reads              reads measured.
 * @param writes             writes measured.
 * @param meanReadNanos      mean application read latency per block.
 * @param meanWriteNanos     mean application write latency per block.
 * @param ramHitRatio        share of reads served by RAM.
 * @param flashHitRatio      share of reads served by flash.
 * @param invalidatingShare  share of writes that dropped a cached copy on another host.
 * @param events             all events simulated (warm-up included).
 * @param wallNanos          real time the simulation took.
 * @param staleReads         reads that returned another version than the newest written (single host: must be 0).
 * @param windowReadNanos    mean read latency per time window (empty unless windows were asked for).
 * @param simulatedNanos     simulated time covered.
 * @param backingWrites      blocks the backing store received after the warm-up (write-back throughput).
 */
public record SimResult(
    long reads,
    long writes,
    double meanReadNanos,
    double meanWriteNanos,
    double ramHitRatio,
    double flashHitRatio,
    double invalidatingShare,
    long events,
    long wallNanos,
    long staleReads,
    double[] windowReadNanos,
    long simulatedNanos,
    long backingWrites)
{
    /** @return simulated events per second of real time. */
    public double eventsPerSecond()
    {
        return events * 1e9 / Math.max(1, wallNanos);
    }
}

package dev.hostplane.vswitch;

/**
 * Switch-wide counters summed over workers (read racily while running; exact after close).
 *
 * @param framesProcessed frames taken from ports.
 * @param malformed frames dropped as malformed or truncated.
 * @param tableMisses frames that matched no rule and were dropped.
 * @param emcHits exact-match cache hits.
 * @param emcMisses exact-match cache misses (classifier lookups).
 * @param packetInDropped packet-ins lost because the ring was full.
 * @param actionDrops frames dropped by actions (TTL expiry, missing port or group).
 * @param ruleCount rules in the table.
 */
public record SwitchStats(
    long framesProcessed,
    long malformed,
    long tableMisses,
    long emcHits,
    long emcMisses,
    long packetInDropped,
    long actionDrops,
    int ruleCount)
{
}

package dev.hostplane.vswitch;

/**
 * What the switchable Hyper-Switch mechanisms (VS-D9, see {@link SwitchConfig}) did, for
 * measuring them: how often endpoints and workers were woken, how often deferred copies held the
 * switch up, and how often work moved to idle workers. Counts are racy reads of live counters.
 *
 * @param endpointNotifications wake-ups workers sent to receiving endpoints.
 * @param workerWakeups wake-ups sending endpoints gave their workers.
 * @param lendStalls polls a worker skipped because every frame store was lent out (preemptive copy off).
 * @param lendReclaims frame stores taken back from receivers that had not copied them (preemptive copy off).
 * @param expiredLoans lent frames a receiver found taken back, counted as sent but never delivered.
 * @param offloads ports handed from a busy worker to an idle one (offload on).
 */
public record MechanismStats(
    long endpointNotifications,
    long workerWakeups,
    long lendStalls,
    long lendReclaims,
    long expiredLoans,
    long offloads)
{
}

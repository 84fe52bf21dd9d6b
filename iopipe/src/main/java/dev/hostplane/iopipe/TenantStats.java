package dev.hostplane.iopipe;

/**
 * A snapshot of one tenant's counters.
 *
 * @param name      tenant name.
 * @param weight    scheduling weight.
 * @param bytes     bytes moved for this tenant.
 * @param chunks    chunks run.
 * @param completed transfers that completed.
 * @param failed    transfers that failed or were cancelled.
 * @param busyNanos wall time workers spent on this tenant's chunks.
 * @param cpuNanos  worker CPU time spent on this tenant's chunks (thread CPU clock).
 * @param credits   current credit balance in bytes (only meaningful with a credit rate).
 * @param queued    transfers waiting for a worker.
 */
public record TenantStats(
    String name, int weight, long bytes, long chunks, long completed, long failed, long busyNanos, long cpuNanos,
    long credits, int queued)
{
}

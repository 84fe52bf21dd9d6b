package dev.hostplane.iopipe;

/**
 * The outcome of a completed transfer.
 *
 * @param bytes        bytes moved from source to sink.
 * @param strategy     the kernel path that moved them.
 * @param tenant       the tenant charged for them.
 * @param chunks       how many scheduling chunks the transfer took.
 * @param elapsedNanos wall time from submission to completion.
 */
public record TransferResult(long bytes, Strategy strategy, String tenant, long chunks, long elapsedNanos)
{
}

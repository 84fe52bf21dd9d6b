package dev.hostplane.syslog.internal.queue;

import java.nio.file.Path;

/**
 * Settings of an action queue, from rsyslog's {@code queue.*} and {@code action.*} parameters.
 */
public final class QueueOptions
{
    /** In-memory capacity in messages ({@code queue.size}). */
    public int size = 10_000;
    /** Messages per batch ({@code queue.dequeueBatchSize}). */
    public int batchSize = 1024;
    /** Spool file for disk-assisted mode ({@code queue.filename} in the work directory), or null. */
    public Path spoolFile;
    /** Retries before a batch is dropped; -1 = forever ({@code action.resumeRetryCount}). */
    public int resumeRetryCount;
    /** First retry delay in ms ({@code action.resumeInterval}, seconds in rsyslog). */
    public long resumeIntervalMs = 100;
    /** Longest retry delay in ms. */
    public long maxBackoffMs = 2_000;
    /**
     * Every message is written to the spool before it is queued, so none is lost when the process is
     * killed ({@code queue.type="Disk"}, or {@code queue.checkpointInterval="1"} /
     * {@code queue.syncQueueFiles="on"} with a spool file).
     */
    public boolean persistAll;
    /** fsync the spool after every write and commit ({@code queue.syncQueueFiles}). */
    public boolean syncFiles;
    /** Messages kept in memory before the spool takes new ones ({@code queue.highWatermark}; 0 = the ring's size). */
    public int highWatermark;
    /** How long close() waits for delivery before spooling or dropping ({@code queue.timeoutShutdown}). */
    public long shutdownTimeoutMs = 10_000;

    /**
     * Whether messages that cannot be delivered spool to disk.
     *
     * @return true in disk-assisted mode.
     */
    public boolean diskAssisted()
    {
        return null != spoolFile;
    }
}

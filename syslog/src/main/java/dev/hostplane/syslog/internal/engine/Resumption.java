package dev.hostplane.syslog.internal.engine;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * rsyslog's suspend/resume rules for one action: after a failure the action is suspended and
 * retried every {@code action.resumeInterval} seconds, the interval growing by one
 * {@code resumeInterval} after every 10 failed retries up to {@code action.resumeIntervalMax};
 * {@code action.resumeRetryCount} decides what happens when the action cannot hold more messages
 * (-1: wait for the target, which pushes back on the inputs; otherwise: give the message up). An
 * outage is logged once when it starts (with the cause and what fixes it) and once when it ends,
 * never per message. Used by one thread (the action's).
 */
public final class Resumption
{
    private static final Logger LOG = LoggerFactory.getLogger(Resumption.class);

    private final String action;
    private final long intervalNanos;
    private final long intervalMaxNanos;
    private final int retryCount;
    private final boolean report;
    // Written by the action's thread only; volatile so that statistics read elsewhere see them.
    private volatile boolean suspended;
    private long nextAttempt;
    private long retriesThisOutage;
    private volatile long suspensions;
    private volatile long retries;
    private volatile long discarded;
    private boolean discardReported;
    private volatile String lastError;

    /**
     * A policy.
     *
     * @param action        the action's name for reports.
     * @param intervalMs    {@code action.resumeInterval} in ms.
     * @param intervalMaxMs {@code action.resumeIntervalMax} in ms.
     * @param retryCount    {@code action.resumeRetryCount} (-1 = wait forever).
     * @param report        {@code action.reportSuspension}.
     */
    public Resumption(final String action, final long intervalMs, final long intervalMaxMs, final int retryCount,
        final boolean report)
    {
        this.action = action;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, intervalMs));
        this.intervalMaxNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(intervalMs, intervalMaxMs));
        this.retryCount = retryCount;
        this.report = report;
    }

    /**
     * Whether the action is suspended.
     *
     * @return true while an outage lasts.
     */
    public boolean suspended()
    {
        return suspended;
    }

    /**
     * Whether a suspended action may try again now.
     *
     * @return true when not suspended or the retry time has come.
     */
    public boolean due()
    {
        return !suspended || System.nanoTime() - nextAttempt >= 0;
    }

    /**
     * Records a failure (of the first write or of a retry) and schedules the next retry.
     *
     * @param cause what failed.
     * @param held  messages the action holds now.
     */
    public void failed(final Exception cause, final long held)
    {
        lastError = String.valueOf(cause.getMessage());
        if (suspended)
        {
            retries = retries + 1;
            retriesThisOutage++;
        }
        else
        {
            suspended = true;
            suspensions = suspensions + 1;
            retriesThisOutage = 0;
            discardReported = false;
            if (report)
            {
                LOG.warn("{} suspended: {}; holding {} message(s) and retrying every {} s{}", action, lastError, held,
                    TimeUnit.NANOSECONDS.toSeconds(intervalNanos), hint(cause));
            }
        }
        final long step = Math.min(intervalMaxNanos, intervalNanos * (retriesThisOutage / 10 + 1));
        nextAttempt = System.nanoTime() + step;
    }

    /** Says what usually fixes the error, for the one report per outage. */
    private static String hint(final Exception cause)
    {
        final String m = String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (m.contains("no space") || cause instanceof java.nio.file.FileSystemException && m.contains("space"))
        {
            return " (free space on the file system; nothing is lost while the backlog has room)";
        }
        if (m.contains("permission") || m.contains("access") || m.contains("read-only"))
        {
            return " (make the file and its directory writable by the daemon)";
        }
        return "";
    }

    /**
     * Records a successful write; ends an outage.
     *
     * @param written messages written by the retry that ended it.
     */
    public void succeeded(final long written)
    {
        if (suspended)
        {
            suspended = false;
            if (report)
            {
                LOG.info("{} resumed after {} failed retries; {} held message(s) written, {} discarded in all",
                    action, retriesThisOutage, written, discarded);
            }
        }
    }

    /**
     * Whether a message that does not fit the backlog should wait ({@code resumeRetryCount=-1}) rather than be given up.
     *
     * @return true to wait.
     */
    public boolean waitWhenFull()
    {
        return retryCount < 0;
    }

    /**
     * Waits until the next retry is due (only with {@link #waitWhenFull()}).
     */
    public void awaitRetry()
    {
        final long left = nextAttempt - System.nanoTime();
        if (left > 0)
        {
            try
            {
                TimeUnit.NANOSECONDS.sleep(left);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Counts messages given up on; the first of an outage is reported.
     *
     * @param n messages.
     * @param why reason.
     */
    public void discarded(final long n, final String why)
    {
        if (n <= 0)
        {
            return;
        }
        discarded = discarded + n;
        if (!discardReported)
        {
            discardReported = true;
            LOG.error("{}: {} message(s) discarded: {} (set action.resumeRetryCount=\"-1\" to wait instead, or give " +
                "the action a larger queue.size or a disk queue)", action, n, why);
        }
    }

    /**
     * A snapshot of the counters.
     *
     * @param held messages held now.
     * @return stats.
     */
    public ActionStats stats(final long held)
    {
        return new ActionStats(action, suspended, suspensions, retries, held, discarded, lastError);
    }
}

package dev.hostplane.syslog.internal.engine;

/**
 * What an action reports about its outages: whether it is suspended now, how often it was, how many
 * retries failed, how many messages it holds for a retry, how many it had to give up on, and the
 * last error. Counters only grow; {@code held} is a current value.
 *
 * @param name        the action, e.g. {@code omfile(file=/var/log/x)}.
 * @param suspended   suspended now.
 * @param suspensions times the action went from working to suspended.
 * @param retries     failed retries.
 * @param held        messages waiting for the target to come back.
 * @param discarded   messages given up on (backlog full with a finite resumeRetryCount, or still held at close).
 * @param lastError   last failure, or null.
 */
public record ActionStats(String name, boolean suspended, long suspensions, long retries, long held, long discarded,
    String lastError)
{
}

package dev.hostplane.syslog.daemon;

/**
 * One output's outage counters, as {@link SyslogDaemon#actionCounters()} reports them.
 *
 * @param name        the action, e.g. {@code omfile(file=/var/log/x)}.
 * @param suspended   suspended now (its target fails).
 * @param suspensions outages so far.
 * @param retries     failed retries.
 * @param held        messages waiting for the target.
 * @param discarded   messages given up on.
 * @param lastError   last failure, or null.
 */
public record ActionCounters(String name, boolean suspended, long suspensions, long retries, long held,
    long discarded, String lastError)
{
}

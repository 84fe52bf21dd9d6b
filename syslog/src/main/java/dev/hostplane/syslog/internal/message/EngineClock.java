package dev.hostplane.syslog.internal.message;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.time.zone.ZoneRules;

/**
 * The engine's notion of "now", zone and local host name, injectable for tests and replay. Keeps
 * the last broken-down time so that messages within the same millisecond cost nothing.
 */
public final class EngineClock
{
    private final Clock clock;
    private final ZoneRules rules;
    private final byte[] localHostname;
    private final SyslogTime now = new SyslogTime();
    private long lastMillis = Long.MIN_VALUE;
    private final SyslogTime nowUtc = new SyslogTime();
    private long lastUtcMillis = Long.MIN_VALUE;

    /**
     * Creates the clock.
     *
     * @param clock         source of time.
     * @param zone          the receiver's local zone.
     * @param localHostname {@code $myhostname}.
     */
    public EngineClock(final Clock clock, final ZoneId zone, final String localHostname)
    {
        this.clock = clock;
        this.rules = zone.getRules();
        this.localHostname = localHostname.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * The local host name.
     *
     * @return bytes.
     */
    public byte[] localHostname()
    {
        return localHostname;
    }

    /**
     * Zone rules of the receiver.
     *
     * @return rules.
     */
    public ZoneRules rules()
    {
        return rules;
    }

    /**
     * Current time in UTC (shared instance, do not keep).
     *
     * @return time.
     */
    public SyslogTime nowUtc()
    {
        final long millis = clock.millis();
        if (millis != lastUtcMillis)
        {
            nowUtc.setFromEpochMillis(millis, java.time.ZoneOffset.UTC.getRules());
            lastUtcMillis = millis;
        }
        return nowUtc;
    }

    /**
     * Current time, broken down in the local zone (shared instance, do not keep).
     *
     * @return time.
     */
    public SyslogTime now()
    {
        final long millis = clock.millis();
        if (millis != lastMillis)
        {
            now.setFromEpochMillis(millis, rules);
            lastMillis = millis;
        }
        return now;
    }
}

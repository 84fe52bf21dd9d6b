package dev.hostplane.iopipe.server;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

/**
 * A warning that repeats under load (accept failing with EMFILE, files that cannot be opened) logged at
 * most once per interval, with the number of occurrences since the last line, as nginx does for its
 * accept errors: an operator sees the problem and its rate, and the log cannot become the next
 * exhausted resource. Thread-safe; the common path is one atomic read.
 */
final class RateLimitedLog
{
    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();
    private final AtomicLong total = new AtomicLong();

    RateLimitedLog(final Logger log, final long intervalNanos)
    {
        this.log = log;
        this.intervalNanos = intervalNanos;
    }

    /**
     * Counts one occurrence and logs it if the interval since the last line has passed.
     *
     * @param message what happened and what the server does about it; the count is appended.
     */
    void warn(final String message)
    {
        total.incrementAndGet();
        final long now = System.nanoTime();
        final long next = nextAllowed.get();
        if ((Long.MIN_VALUE != next && now - next < 0) || !nextAllowed.compareAndSet(next, now + intervalNanos))
        {
            suppressed.incrementAndGet();
            return;
        }
        final long skipped = suppressed.getAndSet(0);
        log.warn("{} (occurrences since the last report: {}, total: {})", message, skipped + 1, total.get());
    }

    /**
     * How many times {@link #warn(String)} was called.
     *
     * @return the count.
     */
    long total()
    {
        return total.get();
    }
}

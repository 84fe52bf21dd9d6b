package dev.hostplane.syslog.internal.input;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counters of one input: what arrived, and what was wrong with it. Framing problems and refused
 * sessions are also reported through SLF4J (the first few of each kind, then every 1000th), naming the input,
 * the peer and the problem, because a silent counter is easy to miss.
 */
public final class InputStats
{
    private static final Logger LOG = LoggerFactory.getLogger(InputStats.class);

    private static final int REPORT_FIRST = 5;
    private static final int REPORT_EVERY = 1000;

    private final String name;
    private final LongAdder messages = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final AtomicLong oversize = new AtomicLong();
    private final AtomicLong framingErrors = new AtomicLong();
    private final AtomicLong truncated = new AtomicLong();
    private final AtomicLong empty = new AtomicLong();
    private final AtomicLong sessionsOpened = new AtomicLong();
    private final AtomicLong sessionsRejected = new AtomicLong();
    private final AtomicLong sessionsOpen = new AtomicLong();
    private final AtomicLong disallowed = new AtomicLong();
    private final AtomicLong tlsRefused = new AtomicLong();
    private volatile String lastError;

    /**
     * Creates counters.
     *
     * @param name input label, e.g. {@code imtcp:127.0.0.1:514}.
     */
    public InputStats(final String name)
    {
        this.name = name;
    }

    /**
     * Input label.
     *
     * @return name.
     */
    public String name()
    {
        return name;
    }

    void message(final int length)
    {
        messages.increment();
        bytes.add(length);
    }

    void messages(final int count, final long length)
    {
        messages.add(count);
        bytes.add(length);
    }

    void oversize(final String peer, final String detail)
    {
        report(oversize.incrementAndGet(), "oversize frame", peer, detail);
    }

    void framingError(final String peer, final String detail)
    {
        report(framingErrors.incrementAndGet(), "framing error", peer, detail);
    }

    void truncated(final String peer, final String detail)
    {
        report(truncated.incrementAndGet(), "truncated frame", peer, detail);
    }

    void empty(final String peer)
    {
        report(empty.incrementAndGet(), "empty frame", peer, "dropped");
    }

    boolean sessionOpened(final int max)
    {
        if (sessionsOpen.incrementAndGet() > max)
        {
            sessionsOpen.decrementAndGet();
            report(sessionsRejected.incrementAndGet(), "session rejected", "-", "maxSessions=" + max + " reached");
            return false;
        }
        sessionsOpened.incrementAndGet();
        return true;
    }

    /** A session or datagram from a sender not in the allowed-sender list (reported by the list itself). */
    void refuseSender()
    {
        disallowed.incrementAndGet();
    }

    /**
     * Sessions and datagrams refused by {@code $AllowedSender}.
     *
     * @return count.
     */
    public long disallowed()
    {
        return disallowed.get();
    }

    /**
     * A session whose TLS handshake failed (peer not permitted, certificate not valid, not TLS).
     *
     * @param peer   address:port of the sender.
     * @param reason why.
     */
    void tlsRefused(final String peer, final String reason)
    {
        report(tlsRefused.incrementAndGet(), "TLS session refused", peer, reason);
    }

    /**
     * Sessions refused in the TLS handshake.
     *
     * @return count.
     */
    public long tlsRefused()
    {
        return tlsRefused.get();
    }

    void sessionClosed()
    {
        sessionsOpen.decrementAndGet();
    }

    private void report(final long n, final String what, final String peer, final String detail)
    {
        final String text = name + ": " + what + ": peer=" + peer + " " + detail + " count=" + n;
        lastError = text;
        if (n <= REPORT_FIRST || n % REPORT_EVERY == 0)
        {
            LOG.warn(text);
        }
    }

    /**
     * Messages handed to the main queue.
     *
     * @return count.
     */
    public long messages()
    {
        return messages.sum();
    }

    /**
     * Message bytes handed to the main queue.
     *
     * @return count.
     */
    public long bytes()
    {
        return bytes.sum();
    }

    /**
     * Frames longer than the limit (truncated to it, then the input resynchronised).
     *
     * @return count.
     */
    public long oversize()
    {
        return oversize.get();
    }

    /**
     * Malformed frame headers (e.g. an octet count over maxFrameSize; the frame is then read as LF-delimited).
     *
     * @return count.
     */
    public long framingErrors()
    {
        return framingErrors.get();
    }

    /**
     * Frames cut short by the end of the connection.
     *
     * @return count.
     */
    public long truncated()
    {
        return truncated.get();
    }

    /**
     * Empty datagrams (dropped).
     *
     * @return count.
     */
    public long empty()
    {
        return empty.get();
    }

    /**
     * Sessions accepted so far.
     *
     * @return count.
     */
    public long sessionsOpened()
    {
        return sessionsOpened.get();
    }

    /**
     * Sessions open now.
     *
     * @return count.
     */
    public long sessionsOpen()
    {
        return sessionsOpen.get();
    }

    /**
     * Sessions refused because maxSessions was reached.
     *
     * @return count.
     */
    public long sessionsRejected()
    {
        return sessionsRejected.get();
    }

    /**
     * The last problem reported, or null.
     *
     * @return text.
     */
    public String lastError()
    {
        return lastError;
    }

    @Override
    public String toString()
    {
        return name + "{messages=" + messages() + ", bytes=" + bytes() + ", oversize=" + oversize() + ", framingErrors=" +
            framingErrors() + ", truncated=" + truncated() + ", empty=" + empty() + ", sessionsOpened=" +
            sessionsOpened() + ", sessionsOpen=" + sessionsOpen() + ", sessionsRejected=" + sessionsRejected() +
            ", tlsRefused=" + tlsRefused() + "}";
    }
}

package dev.hostplane.syslog.daemon;

/**
 * A snapshot of one running input's counters (messages, bytes, and the framing problems it found and
 * recovered from).
 *
 * @param name             input label, e.g. {@code imtcp:127.0.0.1:5140}.
 * @param port             bound port, -1 for a unix socket.
 * @param messages         messages handed to the rules.
 * @param bytes            message bytes.
 * @param oversize         frames longer than the limit (truncated or split, then resynchronised).
 * @param framingErrors    malformed frame headers (read as LF-delimited instead).
 * @param truncated        frames cut short by the end of the connection.
 * @param empty            empty datagrams (dropped).
 * @param sessionsOpened   TCP sessions accepted.
 * @param sessionsOpen     TCP sessions open now.
 * @param sessionsRejected TCP sessions refused (maxSessions).
 * @param disallowed       TCP sessions and UDP datagrams refused because their sender is not in {@code $AllowedSender}.
 * @param tlsRefused       TLS sessions refused in the handshake (peer not permitted, certificate not valid, not TLS).
 */
public record InputCounters(String name, int port, long messages, long bytes, long oversize, long framingErrors,
    long truncated, long empty, long sessionsOpened, long sessionsOpen, long sessionsRejected, long disallowed, long tlsRefused)
{
}

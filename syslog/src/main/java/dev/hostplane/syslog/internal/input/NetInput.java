package dev.hostplane.syslog.internal.input;

/**
 * A started input: its counters, the port it is bound to and a way to stop it.
 */
public interface NetInput extends AutoCloseable
{
    /**
     * Counters.
     *
     * @return stats.
     */
    InputStats stats();

    /**
     * Bound port (useful with {@code port="0"}), or -1 for a unix socket.
     *
     * @return port.
     */
    int port();

    /** Stops accepting and closes every session (data already queued is still processed). */
    @Override
    void close();
}

package dev.hostplane.syslog.internal.queue;

import java.io.IOException;

/**
 * The transport behind an {@link ActionQueue}: writes rendered messages to a target and tells the
 * queue how many of the written messages the target has confirmed, so that only unconfirmed ones
 * are sent again after a failure.
 */
public interface Deliverer
{
    /**
     * Makes sure a connection (or file/pipe) is open.
     *
     * @throws IOException when the target cannot be reached.
     */
    void open() throws IOException;

    /**
     * Whether the queue's worker should {@link #prepare()} this transport as soon as the daemon
     * starts rather than with the first message: for clients whose set-up costs far more than a
     * connection (a Kafka producer loads and initialises hundreds of classes and asks the broker
     * for metadata).
     *
     * @return true to set up with the daemon.
     */
    default boolean startsWithDaemon()
    {
        return false;
    }

    /**
     * Sets the transport up ahead of the first message, on the queue's worker thread. A failure is
     * not reported here: the first batch opens again and reports it as any other.
     *
     * @throws IOException when the target cannot be reached.
     */
    default void prepare() throws IOException
    {
        open();
    }

    /**
     * Writes (buffers) one message.
     *
     * @param data   rendered message.
     * @param offset first byte.
     * @param length bytes.
     * @throws IOException on failure.
     */
    void write(byte[] data, int offset, int length) throws IOException;

    /**
     * Pushes buffered bytes out at the end of a batch.
     *
     * @throws IOException on failure.
     */
    void flush() throws IOException;

    /**
     * Bytes the target has confirmed since {@link #open()} (for TCP: acknowledged by the peer's
     * stack), or {@code Long.MAX_VALUE} when every flushed byte counts as delivered (UDP, pipes).
     *
     * @return confirmed byte count.
     * @throws IOException when the connection is known to be broken.
     */
    long confirmedBytes() throws IOException;

    /**
     * Bytes written so far since {@link #open()}, framing included.
     *
     * @return byte count.
     */
    long writtenBytes();

    /**
     * What {@link #confirmedBytes()} said last, still valid after a write or flush failed: only for
     * transports whose confirmations are application-level acknowledgements that already arrived
     * (RELP responses). Others return -1 and the queue re-sends from its last confirmed message.
     *
     * @return confirmed byte count, or -1.
     */
    default long confirmedAfterFailure()
    {
        return -1;
    }

    /** Drops the connection after a failure (next {@link #open()} reconnects). */
    void reset();

    /** Human-readable target for messages. */
    String target();
}

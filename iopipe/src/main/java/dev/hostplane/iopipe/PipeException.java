package dev.hostplane.iopipe;

import java.io.IOException;

/**
 * A transfer that did not complete. Always says why ({@link #reason()}) and how many bytes did reach the
 * sink ({@link #bytesTransferred()}): those bytes were written exactly once, the rest not at all, so a
 * caller can resume from {@code offset + bytesTransferred()}.
 */
public final class PipeException extends IOException
{
    private static final long serialVersionUID = 1L;

    /** Why a transfer stopped. */
    public enum Reason
    {
        /** The socket peer reset or closed the connection (ECONNRESET, EPIPE). */
        PEER_RESET,
        /** The source ended before the requested length: a file shrank, or a socket peer closed early. */
        SOURCE_TRUNCATED,
        /** The sink's file system is full or the file too large (ENOSPC, EDQUOT, EFBIG). */
        DISK_FULL,
        /** Offset or length outside the source file. */
        BAD_RANGE,
        /** The transfer's timeout expired. */
        TIMEOUT,
        /** The transfer was cancelled, or the service closed. */
        CANCELLED,
        /** Any other I/O error; the message carries the errno. */
        IO_ERROR
    }

    private final Reason reason;
    private final long bytesTransferred;

    /**
     * Creates the exception.
     *
     * @param reason           why the transfer stopped.
     * @param bytesTransferred bytes that reached the sink before it stopped.
     * @param message          what happened, in key=value form.
     */
    public PipeException(final Reason reason, final long bytesTransferred, final String message)
    {
        super(message + " reason=" + reason + " bytesTransferred=" + bytesTransferred);
        this.reason = reason;
        this.bytesTransferred = bytesTransferred;
    }

    /**
     * Creates the exception with a cause.
     *
     * @param reason           why the transfer stopped.
     * @param bytesTransferred bytes that reached the sink before it stopped.
     * @param message          what happened, in key=value form.
     * @param cause            the underlying error.
     */
    public PipeException(final Reason reason, final long bytesTransferred, final String message, final Throwable cause)
    {
        super(message + " reason=" + reason + " bytesTransferred=" + bytesTransferred, cause);
        this.reason = reason;
        this.bytesTransferred = bytesTransferred;
    }

    /**
     * Why the transfer stopped.
     *
     * @return the reason.
     */
    public Reason reason()
    {
        return reason;
    }

    /**
     * Bytes that reached the sink, each exactly once.
     *
     * @return the byte count.
     */
    public long bytesTransferred()
    {
        return bytesTransferred;
    }
}

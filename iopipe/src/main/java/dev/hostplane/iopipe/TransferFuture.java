package dev.hostplane.iopipe;

import java.util.concurrent.CompletableFuture;

/**
 * The pending result of a non-blocking transfer. {@link #cancel(boolean)} stops it between chunks;
 * {@link #stopped()} completes once the pipe has let go of the source and sink (socket flags restored,
 * owned files closed) with the bytes that reached the sink, whether the transfer completed, failed or
 * was cancelled: wait for it before using a socket again after a cancellation.
 */
public final class TransferFuture extends CompletableFuture<TransferResult>
{
    private final CompletableFuture<Long> stopped = new CompletableFuture<>();
    private volatile long bytesTransferred;

    /** Creates an incomplete future; the pipe service completes it. */
    public TransferFuture()
    {
    }

    /**
     * Bytes that have reached the sink so far.
     *
     * @return the byte count.
     */
    public long bytesTransferred()
    {
        return bytesTransferred;
    }

    /**
     * Completes when the pipe no longer touches the source or sink.
     *
     * @return a future of the final byte count.
     */
    public CompletableFuture<Long> stopped()
    {
        return stopped;
    }

    /**
     * Records progress; called by the pipe service only.
     *
     * @param bytes bytes moved so far.
     */
    public void progress(final long bytes)
    {
        bytesTransferred = bytes;
    }

    /**
     * Records that the pipe let go of the endpoints; called by the pipe service only.
     *
     * @param bytes final byte count.
     */
    public void markStopped(final long bytes)
    {
        bytesTransferred = bytes;
        stopped.complete(bytes);
    }
}

package dev.hostplane.iopipe;

/**
 * Called on a pipe worker thread after every chunk a transfer moves. Must be quick and must not block:
 * it runs between chunks of every tenant.
 */
@FunctionalInterface
public interface ProgressListener
{
    /**
     * Reports progress.
     *
     * @param transferred bytes moved so far by this transfer.
     * @param total       bytes the transfer will move, or {@link Source#UNTIL_EOF} when unknown.
     */
    void onProgress(long transferred, long total);
}

package dev.hostplane.iopipe;

/**
 * The kernel path that moves a transfer's bytes. {@link TransferResult#strategy()} says which one ran;
 * {@link TransferOptions.Builder#strategy(Strategy)} forces one (for measurement).
 */
public enum Strategy
{
    /** Pick the best path for the source/sink pair (the default). */
    AUTO,
    /** {@code sendfile(2)}: file to socket, no copy to user space. */
    SENDFILE,
    /** {@code splice(2)} through a reusable kernel pipe: socket to file, socket to socket. */
    SPLICE,
    /** {@code copy_file_range(2)}: file to file inside the kernel. */
    COPY_FILE_RANGE,
    /** Read into a direct buffer and write it out: works for every pair, and without native access. */
    COPY
}

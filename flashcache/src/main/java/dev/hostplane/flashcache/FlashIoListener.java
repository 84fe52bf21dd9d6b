package dev.hostplane.flashcache;

/**
 * Told about every I/O the flash tier does to its device: data reads and writes, metadata-log writes and
 * fsyncs. For accounting, or for a device model: the simulator charges simulated device time here, so the
 * real flash tier code runs under simulated time. Called on the thread doing the I/O, right after it; must
 * be thread-safe and quick.
 */
public interface FlashIoListener
{
    /** Ignores everything (the default). */
    FlashIoListener NONE = new FlashIoListener()
    {
    };

    /**
     * @param bytes bytes read from the data file (one block, at a random position).
     */
    default void onDataRead(final long bytes)
    {
    }

    /**
     * @param bytes bytes written to the data file (sequentially, part of a segment).
     */
    default void onDataWrite(final long bytes)
    {
    }

    /**
     * @param bytes bytes appended to the metadata log.
     */
    default void onMetadataWrite(final long bytes)
    {
    }

    /**
     * An fsync of the data file or the metadata log.
     */
    default void onSync()
    {
    }
}

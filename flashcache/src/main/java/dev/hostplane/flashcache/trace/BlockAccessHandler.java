package dev.hostplane.flashcache.trace;

/**
 * Receives the block accesses of a trace, one call per block (multi-block requests are expanded).
 */
@FunctionalInterface
public interface BlockAccessHandler
{
    /**
     * @param block the block number, in the trace format's unit.
     * @param write whether the access is a write.
     */
    void onAccess(long block, boolean write);
}

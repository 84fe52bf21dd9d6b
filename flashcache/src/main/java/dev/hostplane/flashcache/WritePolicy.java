package dev.hostplane.flashcache;

/**
 * When a tier passes a write to the tier below it: exactly the four policies of Holland et al.'s study of
 * client-side flash caching.
 */
public enum WritePolicy
{
    /** The write returns only after the tier below has it. */
    SYNC_WRITE_THROUGH,
    /** The write is sent to the tier below at once, but the caller does not wait for it. */
    ASYNC_WRITE_THROUGH,
    /** Dirty blocks are written to the tier below every write-back period. */
    PERIODIC_WRITE_BACK,
    /** Dirty blocks are written to the tier below only when evicted (the paper's "none"). */
    WRITE_BACK_ON_EVICTION
}

package dev.hostplane.flashcache.policy;

/**
 * A page-replacement policy over a fixed number of cache slots. It decides which keys are resident and
 * which slot (0..capacity-1) each resident key occupies; the caller keeps the data at that slot.
 *
 * <p>Not thread-safe: the cache tier calls it under its own lock. No method allocates.
 *
 * <p>Protocol on a miss: call {@link #admit(long)}; if {@link #evictedKey()} is not {@link #NO_KEY} the
 * returned slot held that key until this call, and the caller must write it back (if dirty) before
 * overwriting the slot.
 */
public interface ReplacementPolicy
{
    /** Sentinel for "no key was evicted". Keys must never equal it. */
    long NO_KEY = Long.MIN_VALUE;

    /**
     * Looks a key up and, if resident, records the access.
     *
     * @param key the block key.
     * @return the key's slot, or -1 if the key is not resident.
     */
    int get(long key);

    /**
     * Looks a key up without recording an access.
     *
     * @param key the block key.
     * @return the key's slot, or -1 if the key is not resident.
     */
    int peek(long key);

    /**
     * Makes a non-resident key resident, evicting another key if the cache is full.
     *
     * @param key the block key; must not be resident.
     * @return the slot the key now occupies.
     */
    int admit(long key);

    /**
     * @return the key evicted by the last {@link #admit(long)}, or {@link #NO_KEY}.
     */
    long evictedKey();

    /**
     * Removes a resident key (invalidation); its slot becomes free.
     *
     * @param key the block key.
     * @return the slot it occupied, or -1 if it was not resident.
     */
    int remove(long key);

    /**
     * @return the number of resident keys.
     */
    int size();

    /**
     * @return the number of slots.
     */
    int capacity();

    /**
     * @return the policy's short name, as used on the command line.
     */
    String name();
}

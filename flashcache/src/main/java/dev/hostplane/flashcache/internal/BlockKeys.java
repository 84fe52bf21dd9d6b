package dev.hostplane.flashcache.internal;

/**
 * Packs (file id, block number) into one {@code long} key: 23 bits of file id, 40 bits of block number.
 */
public final class BlockKeys
{
    /** Largest block number. */
    public static final long MAX_BLOCK = (1L << 40) - 1;
    /** Largest file id. */
    public static final int MAX_FILE = (1 << 23) - 1;

    private BlockKeys()
    {
    }

    /**
     * @param file    file id.
     * @param blockNo block number.
     * @return the key.
     */
    public static long key(final int file, final long blockNo)
    {
        if (file < 0 || file > MAX_FILE || blockNo < 0 || blockNo > MAX_BLOCK)
        {
            throw new IllegalArgumentException("file=" + file + " blockNo=" + blockNo
                + " out of range (file 0.." + MAX_FILE + ", blockNo 0.." + MAX_BLOCK + ")");
        }
        return ((long)file << 40) | blockNo;
    }

    /**
     * @param key a key.
     * @return its file id.
     */
    public static int file(final long key)
    {
        return (int)(key >>> 40);
    }

    /**
     * @param key a key.
     * @return its block number.
     */
    public static long block(final long key)
    {
        return key & MAX_BLOCK;
    }
}

package dev.hostplane.flashcache;

import java.io.IOException;

/**
 * A read of a block whose only current copy was lost: flash held the newest version, not yet written back,
 * and that copy is damaged or unaccounted for, while the backing store holds an older version. The cache
 * never answers such a read with the store's older copy; it fails until the block is written anew or
 * {@linkplain BlockCache#invalidate(int, long) invalidated} (which accepts the store's version).
 */
public final class FlashDataLossException extends IOException
{
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long blockNo;
    private final String reason;

    /**
     * @param file    the file's name.
     * @param blockNo the block number.
     * @param reason  what was lost and why.
     */
    public FlashDataLossException(final String file, final long blockNo, final String reason)
    {
        super("block lost: file=" + file + " block=" + blockNo + ": " + reason);
        this.file = file;
        this.blockNo = blockNo;
        this.reason = reason;
    }

    /**
     * @return the file's name.
     */
    public String file()
    {
        return file;
    }

    /**
     * @return the block number.
     */
    public long blockNo()
    {
        return blockNo;
    }

    /**
     * @return what was lost and why.
     */
    public String reason()
    {
        return reason;
    }
}

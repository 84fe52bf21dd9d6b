package dev.hostplane.flashcache;

/**
 * Raised by flashcache when a backing store, the flash file or its metadata cannot be used; the message
 * names what failed and where ({@code key=value}).
 */
public class FlashCacheException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, as {@code key=value} pairs.
     */
    public FlashCacheException(final String message)
    {
        super(message);
    }

    /**
     * @param message what failed, as {@code key=value} pairs.
     * @param cause   the underlying failure.
     */
    public FlashCacheException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}

package dev.hostplane.packetscript.live.netns;

/**
 * Setting up or using a network namespace, TUN device or sniffer failed; the message names the
 * step and the errno.
 */
public final class NetNamespaceException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, key=value style.
     */
    public NetNamespaceException(final String message)
    {
        super(message);
    }

    /**
     * @param message what failed, key=value style.
     * @param cause the underlying failure.
     */
    public NetNamespaceException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}

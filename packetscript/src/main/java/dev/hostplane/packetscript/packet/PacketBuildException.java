package dev.hostplane.packetscript.packet;

/**
 * A script packet cannot be turned into bytes (e.g. an undefined symbol, an unknown ICMP type, no window on an
 * inbound segment). The message names what and why.
 */
public final class PacketBuildException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what could not be built.
     */
    public PacketBuildException(final String message)
    {
        super(message);
    }
}

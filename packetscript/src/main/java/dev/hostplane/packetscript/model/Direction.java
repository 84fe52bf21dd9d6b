package dev.hostplane.packetscript.model;

/**
 * Packet direction as seen from the system under test.
 */
public enum Direction
{
    /** {@code <}: the script injects the packet into the kernel. */
    INBOUND("<"),
    /** {@code >}: the script expects the kernel to send the packet. */
    OUTBOUND(">");

    private final String symbol;

    Direction(final String symbol)
    {
        this.symbol = symbol;
    }

    /**
     * The script symbol.
     *
     * @return {@code <} or {@code >}.
     */
    public String symbol()
    {
        return symbol;
    }
}

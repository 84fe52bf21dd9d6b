package dev.hostplane.packetscript.model;

/**
 * The optional IP clause of a packet, {@code [ect0]}, {@code [tos 0x3]}, {@code (flowlabel 0x12)},
 * {@code [ttl 64]}. Absent fields are {@code null} and are neither set on inbound packets nor checked on
 * outbound ones.
 *
 * @param ecn       ECN codepoint, or null.
 * @param tos       whole TOS/traffic class byte, or null.
 * @param flowLabel IPv6 flow label, or null.
 * @param ttl       TTL / hop limit, or null.
 */
public record IpInfo(Ecn ecn, Integer tos, Integer flowLabel, Integer ttl)
{
    /** No IP clause. */
    public static final IpInfo NONE = new IpInfo(null, null, null, null);

    /**
     * Whether the clause is empty.
     *
     * @return true if no field was given.
     */
    public boolean isEmpty()
    {
        return ecn == null && tos == null && flowLabel == null && ttl == null;
    }
}

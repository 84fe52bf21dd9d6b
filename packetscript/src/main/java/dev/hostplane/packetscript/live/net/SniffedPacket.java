package dev.hostplane.packetscript.live.net;

/**
 * One packet the kernel sent out of the TUN device, as captured by {@link PacketSniffer}: the IP
 * packet bytes and the kernel's receive timestamp ({@code CLOCK_REALTIME}, nanoseconds).
 *
 * <p>Copied out of the sniffer's reusable buffer because the executor keeps it across events.
 */
public final class SniffedPacket
{
    private final byte[] bytes;
    private final long realtimeNanos;

    /**
     * @param bytes the IP packet.
     * @param realtimeNanos kernel timestamp, CLOCK_REALTIME in ns.
     */
    public SniffedPacket(final byte[] bytes, final long realtimeNanos)
    {
        this.bytes = bytes;
        this.realtimeNanos = realtimeNanos;
    }

    /**
     * The IP packet (IPv4 or IPv6 header first).
     *
     * @return the bytes (not copied).
     */
    public byte[] bytes()
    {
        return bytes;
    }

    /**
     * When the kernel handed the packet to the device.
     *
     * @return CLOCK_REALTIME nanoseconds.
     */
    public long realtimeNanos()
    {
        return realtimeNanos;
    }

    /**
     * IP version of the packet.
     *
     * @return 4 or 6.
     */
    public int ipVersion()
    {
        return bytes.length > 0 ? (bytes[0] >> 4) & 0xF : 0;
    }
}

package dev.hostplane.packetscript.packet;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * How one connection's script space maps to live space, as packetdrill keeps it per socket: the live 4-tuple,
 * the sequence number offsets in both directions, and the TCP timestamp values seen.
 *
 * <p>"Local" is the kernel under test, "remote" is the script's peer. Scripts write sequence numbers relative to
 * the ISNs they chose; the kernel picks its own ISN, learned from its SYN or SYN-ACK ({@link #learnLocalIsn}).
 * packetdrill sends the script's remote ISN unchanged, so the remote offset is normally 0.
 *
 * <p>Timestamps: each verified outbound packet records its script TS val against the live TS val; an inbound TS
 * ecr is replaced by the live value recorded for the same script value, or extrapolated from the first pair.
 *
 * <p>Not thread-safe: owned by the script's main thread.
 */
public final class ConnectionMapping
{
    private final InetAddress localAddress;
    private final InetAddress remoteAddress;
    private int localPort;
    private int remotePort;
    private boolean localIsnKnown;
    private long scriptLocalIsn;
    private long liveLocalIsn;
    private long scriptRemoteIsn;
    private long liveRemoteIsn;
    private final List<long[]> timestampPairs = new ArrayList<>();
    // Created once so that building a packet does not allocate a method reference per packet.
    private final LongUnaryOperator localToLiveOperator = this::localToLive;
    private final LongUnaryOperator inboundEcrOperator = this::inboundEcrToLive;

    /**
     * Creates a mapping.
     *
     * @param localAddress  the kernel's address (both IPv4 or both IPv6 with the remote).
     * @param localPort     the kernel's port, or 0 if not known yet (learned from the first outbound packet).
     * @param remoteAddress the script peer's address.
     * @param remotePort    the script peer's port.
     */
    public ConnectionMapping(final InetAddress localAddress, final int localPort, final InetAddress remoteAddress,
        final int remotePort)
    {
        if ((localAddress instanceof Inet4Address) != (remoteAddress instanceof Inet4Address))
        {
            throw new IllegalArgumentException("address families differ: local=" + localAddress + " remote=" +
                remoteAddress);
        }
        checkPort(localPort);
        checkPort(remotePort);
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
        this.localPort = localPort;
        this.remotePort = remotePort;
    }

    private static void checkPort(final int port)
    {
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("port out of range: port=" + port);
        }
    }

    /**
     * Whether the connection runs over IPv6 (IPv4-mapped addresses count as IPv4 on the wire).
     *
     * @return true for IPv6.
     */
    public boolean isIpv6()
    {
        return localAddress instanceof Inet6Address;
    }

    /**
     * The kernel's address.
     *
     * @return local address.
     */
    public InetAddress localAddress()
    {
        return localAddress;
    }

    /**
     * The script peer's address.
     *
     * @return remote address.
     */
    public InetAddress remoteAddress()
    {
        return remoteAddress;
    }

    /**
     * The kernel's port.
     *
     * @return local port, 0 if not learned yet.
     */
    public int localPort()
    {
        return localPort;
    }

    /**
     * Sets the kernel's port (e.g. the ephemeral port of its SYN).
     *
     * @param port the port.
     */
    public void localPort(final int port)
    {
        checkPort(port);
        this.localPort = port;
    }

    /**
     * The peer's port.
     *
     * @return remote port.
     */
    public int remotePort()
    {
        return remotePort;
    }

    /**
     * Sets the peer's port.
     *
     * @param port the port.
     */
    public void remotePort(final int port)
    {
        checkPort(port);
        this.remotePort = port;
    }

    /**
     * Records the kernel's ISN: the script's value and the live value of the same SYN / SYN-ACK.
     *
     * @param scriptIsn ISN written in the script.
     * @param liveIsn   ISN the kernel sent.
     */
    public void learnLocalIsn(final long scriptIsn, final long liveIsn)
    {
        scriptLocalIsn = scriptIsn & 0xFFFF_FFFFL;
        liveLocalIsn = liveIsn & 0xFFFF_FFFFL;
        localIsnKnown = true;
    }

    /**
     * Whether the kernel's ISN has been learned.
     *
     * @return true once a SYN or SYN-ACK from the kernel was seen.
     */
    public boolean localIsnKnown()
    {
        return localIsnKnown;
    }

    /**
     * Records the peer's ISN (the live value packetdrill sends is the script's, so both are usually equal).
     *
     * @param scriptIsn ISN written in the script.
     * @param liveIsn   ISN sent on the wire.
     */
    public void remoteIsn(final long scriptIsn, final long liveIsn)
    {
        scriptRemoteIsn = scriptIsn & 0xFFFF_FFFFL;
        liveRemoteIsn = liveIsn & 0xFFFF_FFFFL;
    }

    /**
     * Maps a kernel-side sequence number (outbound seq, inbound ack or SACK edge) from script to live space.
     *
     * @param script script value.
     * @return live value (mod 2^32).
     */
    public long localToLive(final long script)
    {
        return (script - scriptLocalIsn + liveLocalIsn) & 0xFFFF_FFFFL;
    }

    /**
     * Maps a kernel-side sequence number from live to script space.
     *
     * @param live live value.
     * @return script value (mod 2^32).
     */
    public long localToScript(final long live)
    {
        return (live - liveLocalIsn + scriptLocalIsn) & 0xFFFF_FFFFL;
    }

    /**
     * Maps a peer-side sequence number (inbound seq, outbound ack or SACK edge) from script to live space.
     *
     * @param script script value.
     * @return live value (mod 2^32).
     */
    public long remoteToLive(final long script)
    {
        return (script - scriptRemoteIsn + liveRemoteIsn) & 0xFFFF_FFFFL;
    }

    /**
     * Maps a peer-side sequence number from live to script space.
     *
     * @param live live value.
     * @return script value (mod 2^32).
     */
    public long remoteToScript(final long live)
    {
        return (live - liveRemoteIsn + scriptRemoteIsn) & 0xFFFF_FFFFL;
    }

    /**
     * Records the TS val of a verified outbound packet.
     *
     * @param scriptVal TS val in the script.
     * @param liveVal   TS val the kernel sent.
     */
    public void recordOutboundTimestamp(final long scriptVal, final long liveVal)
    {
        for (final long[] pair : timestampPairs)
        {
            if (pair[0] == scriptVal)
            {
                pair[1] = liveVal;
                return;
            }
        }
        timestampPairs.add(new long[] {scriptVal, liveVal & 0xFFFF_FFFFL});
    }

    /**
     * Maps an inbound TS ecr from script to live: the live TS val recorded for the same script value, else
     * extrapolated from the first recorded pair, else unchanged.
     *
     * @param scriptEcr ecr in the script.
     * @return live ecr.
     */
    public long inboundEcrToLive(final long scriptEcr)
    {
        for (final long[] pair : timestampPairs)
        {
            if (pair[0] == scriptEcr)
            {
                return pair[1];
            }
        }
        if (timestampPairs.isEmpty())
        {
            return scriptEcr;
        }
        final long[] first = timestampPairs.get(0);
        return (first[1] + scriptEcr - first[0]) & 0xFFFF_FFFFL;
    }

    /**
     * Whether an outbound TS val has been recorded.
     *
     * @return true once a verified outbound packet carried a timestamp.
     */
    public boolean hasOutboundTimestamps()
    {
        return !timestampPairs.isEmpty();
    }

    /**
     * Maps an outbound live TS val into script space (relative to the first recorded pair).
     *
     * @param liveVal live TS val.
     * @return script-space TS val, or the live value if nothing was recorded yet.
     */
    public long outboundTsValToScript(final long liveVal)
    {
        if (timestampPairs.isEmpty())
        {
            return liveVal;
        }
        final long[] first = timestampPairs.get(0);
        return (first[0] + liveVal - first[1]) & 0xFFFF_FFFFL;
    }

    LongUnaryOperator localToLiveOperator()
    {
        return localToLiveOperator;
    }

    LongUnaryOperator inboundEcrOperator()
    {
        return inboundEcrOperator;
    }
}

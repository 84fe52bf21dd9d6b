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
 * <p>"Local" is the kernel under test, "remote" is the script's peer. Sequence numbers follow packetdrill's rule
 * (its {@code socket.h} offset helpers, which mirror tcpdump): in a packet that carries SYN, seq, ack and SACK
 * edges are absolute (the script's ISN maps to the live ISN); in every other packet they are relative to the
 * side's live ISN (script 1 is live ISN + 1). The kernel picks its own live ISN, learned from its SYN or SYN-ACK
 * ({@link #learnLocalIsn}); packetdrill sends the peer's SYN / SYN-ACK seq as written, so the peer's live ISN is
 * the script's ({@link #learnRemoteIsn}). Example: after {@code < S. 123:123(0) ack 1}, {@code < F. 1:1(0)} goes
 * out with live seq 124.
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
    private boolean remoteIsnKnown;
    private boolean synAckAwaited;
    private long scriptRemoteIsn;
    private long liveRemoteIsn;
    private final List<long[]> timestampPairs = new ArrayList<>();
    private int scriptFlowLabel;
    private int liveFlowLabel;
    // Created once so that building a packet does not allocate a method reference per packet.
    private final LongUnaryOperator localToLiveOperator = this::localToLive;
    private final LongUnaryOperator synLocalToLiveOperator = (script) -> localToLive(script, true);
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
     * Records the kernel's ISN from its SYN or SYN-ACK and whether that packet opened the connection actively.
     *
     * @param scriptIsn ISN written in the script.
     * @param liveIsn   ISN the kernel sent.
     * @param synAck    true for a SYN-ACK (passive open), false for a SYN without ACK (active open: the next
     *                  inbound SYN-ACK sets the peer's ISN, see {@link #learnRemoteIsn}).
     */
    public void learnLocalIsn(final long scriptIsn, final long liveIsn, final boolean synAck)
    {
        learnLocalIsn(scriptIsn, liveIsn);
        synAckAwaited = !synAck;
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
     * Records the peer's ISN from an inbound SYN or SYN-ACK as packetdrill does: it sets the socket's remote ISN
     * when the script's SYN creates the passive socket, or when the SYN-ACK answers the kernel's SYN (active
     * open), and at no other time. So here the first inbound SYN sets it, and a SYN-ACK sets it again after a
     * kernel SYN ({@link #learnLocalIsn(long, long, boolean)} with {@code synAck} false); any other later inbound
     * SYN on the same connection leaves it alone.
     *
     * @param scriptIsn seq of the inbound packet as written in the script (packetdrill sends it as written).
     * @param synAck    whether the inbound packet also carries ACK.
     * @return true if this call set the ISN.
     */
    public boolean learnRemoteIsn(final long scriptIsn, final boolean synAck)
    {
        if (remoteIsnKnown && !(synAck && synAckAwaited))
        {
            return false;
        }
        remoteIsn(scriptIsn, scriptIsn);
        if (synAck)
        {
            synAckAwaited = false;
        }
        return true;
    }

    /**
     * Sets the peer's ISN explicitly (packetdrill's live value is the script's, so both are usually equal).
     *
     * @param scriptIsn ISN written in the script.
     * @param liveIsn   ISN sent on the wire.
     */
    public void remoteIsn(final long scriptIsn, final long liveIsn)
    {
        scriptRemoteIsn = scriptIsn & 0xFFFF_FFFFL;
        liveRemoteIsn = liveIsn & 0xFFFF_FFFFL;
        remoteIsnKnown = true;
    }

    /**
     * Whether the peer's ISN has been learned (until then it counts as 0, as in packetdrill).
     *
     * @return true once an inbound SYN or SYN-ACK was built or {@link #remoteIsn} was called.
     */
    public boolean remoteIsnKnown()
    {
        return remoteIsnKnown;
    }

    /**
     * Maps a kernel-side sequence number (outbound seq, inbound ack or SACK edge) of a packet without SYN from
     * script to live space: {@code live ISN + script}.
     *
     * @param script script value, relative to the kernel's ISN.
     * @return live value (mod 2^32).
     */
    public long localToLive(final long script)
    {
        return localToLive(script, false);
    }

    /**
     * Maps a kernel-side sequence number from script to live space.
     *
     * @param script script value.
     * @param syn    whether the packet carrying it has SYN set (then the value is absolute, not relative).
     * @return live value (mod 2^32).
     */
    public long localToLive(final long script, final boolean syn)
    {
        return (script + localOffset(syn)) & 0xFFFF_FFFFL;
    }

    /**
     * Maps a kernel-side sequence number of a packet without SYN from live to script space.
     *
     * @param live live value.
     * @return script value relative to the kernel's ISN (mod 2^32).
     */
    public long localToScript(final long live)
    {
        return localToScript(live, false);
    }

    /**
     * Maps a kernel-side sequence number from live to script space.
     *
     * @param live live value.
     * @param syn  whether the packet carrying it has SYN set.
     * @return script value (mod 2^32).
     */
    public long localToScript(final long live, final boolean syn)
    {
        return (live - localOffset(syn)) & 0xFFFF_FFFFL;
    }

    /**
     * Maps a peer-side sequence number (inbound seq, outbound ack or SACK edge) of a packet without SYN from
     * script to live space: {@code peer ISN + script}.
     *
     * @param script script value, relative to the peer's ISN.
     * @return live value (mod 2^32).
     */
    public long remoteToLive(final long script)
    {
        return remoteToLive(script, false);
    }

    /**
     * Maps a peer-side sequence number from script to live space.
     *
     * @param script script value.
     * @param syn    whether the packet carrying it has SYN set (then the value is absolute, not relative).
     * @return live value (mod 2^32).
     */
    public long remoteToLive(final long script, final boolean syn)
    {
        return (script + remoteOffset(syn)) & 0xFFFF_FFFFL;
    }

    /**
     * Maps a peer-side sequence number of a packet without SYN from live to script space.
     *
     * @param live live value.
     * @return script value relative to the peer's ISN (mod 2^32).
     */
    public long remoteToScript(final long live)
    {
        return remoteToScript(live, false);
    }

    /**
     * Maps a peer-side sequence number from live to script space.
     *
     * @param live live value.
     * @param syn  whether the packet carrying it has SYN set.
     * @return script value (mod 2^32).
     */
    public long remoteToScript(final long live, final boolean syn)
    {
        return (live - remoteOffset(syn)) & 0xFFFF_FFFFL;
    }

    // packetdrill's local_seq_script_to_live_offset: absolute in SYNs, relative to the live ISN otherwise.
    private long localOffset(final boolean syn)
    {
        return syn ? liveLocalIsn - scriptLocalIsn : liveLocalIsn;
    }

    // packetdrill's remote_seq_script_to_live_offset (its live remote ISN equals the script's, making the SYN
    // offset 0).
    private long remoteOffset(final boolean syn)
    {
        return syn ? liveRemoteIsn - scriptRemoteIsn : liveRemoteIsn;
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
     * Maps an inbound TS ecr from script to live: zero stays zero; otherwise the live TS val recorded for the
     * same script value, else extrapolated from the first recorded pair, else unchanged.
     *
     * @param scriptEcr ecr in the script.
     * @return live ecr.
     */
    public long inboundEcrToLive(final long scriptEcr)
    {
        if (scriptEcr == 0)
        {
            // Nothing to echo (a SYN's ecr): sent as zero, never extrapolated.
            return 0;
        }
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

    /**
     * packetdrill's IPv6 flow label check: the kernel picks its labels, so the first label seen names the script's
     * value, a new script value must come with a new live label, and the same script value with the same one.
     *
     * @param script the label the script packet gives (0 means none).
     * @param live   the label of the live packet.
     * @return packetdrill's words for a mismatch, or null.
     */
    String verifyFlowLabel(final int script, final int live)
    {
        if (0 == script)
        {
            return null;
        }
        if (0 == live)
        {
            return "flowlabel unmarked in the live packet";
        }
        if (0 == scriptFlowLabel || (script != scriptFlowLabel && live != liveFlowLabel))
        {
            scriptFlowLabel = script;
            liveFlowLabel = live;
            return null;
        }
        if (script != scriptFlowLabel)
        {
            return "expected a different flowlabel but got the same";
        }
        return live == liveFlowLabel ? null : "inconsistent flowlabels for this packet: expected: 0x" +
            Integer.toHexString(liveFlowLabel) + " vs actual: 0x" + Integer.toHexString(live);
    }

    LongUnaryOperator localToLiveOperator(final boolean syn)
    {
        return syn ? synLocalToLiveOperator : localToLiveOperator;
    }

    LongUnaryOperator inboundEcrOperator()
    {
        return inboundEcrOperator;
    }
}

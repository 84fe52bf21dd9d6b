package dev.hostplane.packetscript.live.exec;

import java.util.HashMap;
import java.util.Map;

/**
 * One live TCP connection under test and its mapping between script space and live space, as
 * packetdrill keeps it per socket: ports, the kernel's ISN (learned from its SYN or SYN-ACK;
 * script sequence numbers of the kernel side are relative to it), and the TS val map used to
 * rewrite inbound TS ecr values.
 */
final class Connection
{
    final int localPort;
    final int remotePort;
    long localIsn;
    long scriptLocalIsn;
    boolean localIsnKnown;
    long remoteIsn;
    final Map<Long, Long> tsValScriptToLive = new HashMap<>();
    long lastLiveTsVal = -1;
    long firstLiveTsVal = -1;
    long firstScriptTsVal = -1;

    Connection(final int localPort, final int remotePort)
    {
        this.localPort = localPort;
        this.remotePort = remotePort;
    }

    // Like tcpdump (and packetdrill's socket.h): seq/ack in packets with SYN are absolute; in
    // other packets they are relative to the side's ISN. The kernel picks its live ISN; we send
    // the script's remote ISN as written.

    /** Script-space kernel-side sequence number of a live one. */
    long toScriptLocalSeq(final long liveSeq, final boolean syn)
    {
        return (liveSeq - (syn ? localIsn - scriptLocalIsn : localIsn)) & 0xFFFFFFFFL;
    }

    /** Live kernel-side sequence number of a script one (inbound ack, SACK blocks). */
    long toLiveLocalSeq(final long scriptSeq, final boolean syn)
    {
        return (scriptSeq + (syn ? localIsn - scriptLocalIsn : localIsn)) & 0xFFFFFFFFL;
    }

    /** Live remote-side sequence number of a script one (inbound seq). */
    long toLiveRemoteSeq(final long scriptSeq, final boolean syn)
    {
        return (scriptSeq + (syn ? 0 : remoteIsn)) & 0xFFFFFFFFL;
    }

    /** Script-space remote-side sequence number of a live one (outbound ack, SACK blocks). */
    long toScriptRemoteSeq(final long liveSeq, final boolean syn)
    {
        return (liveSeq - (syn ? 0 : remoteIsn)) & 0xFFFFFFFFL;
    }

    /** Live TS ecr for an inbound script TS ecr: the live TS val the kernel sent for it. */
    long toLiveTsEcr(final long scriptEcr)
    {
        if (0 == scriptEcr)
        {
            return 0;
        }
        final Long live = tsValScriptToLive.get(scriptEcr);
        if (null != live)
        {
            return live;
        }
        if (firstLiveTsVal >= 0)
        {
            // Unseen value: extrapolate from the first pair (the kernel's clock ticks in ms).
            return (firstLiveTsVal + (scriptEcr - firstScriptTsVal)) & 0xFFFFFFFFL;
        }
        return scriptEcr;
    }

    void recordTsVal(final long scriptVal, final long liveVal)
    {
        tsValScriptToLive.put(scriptVal, liveVal);
        if (firstLiveTsVal < 0)
        {
            firstLiveTsVal = liveVal;
            firstScriptTsVal = scriptVal;
        }
        lastLiveTsVal = liveVal;
    }

    @Override
    public String toString()
    {
        return "Connection{localPort=" + localPort + ", remotePort=" + remotePort + ", localIsn=" + localIsn +
            ", remoteIsn=" + remoteIsn + "}";
    }
}

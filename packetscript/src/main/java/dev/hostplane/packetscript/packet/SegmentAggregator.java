package dev.hostplane.packetscript.packet;

import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;

import dev.hostplane.vswitch.packet.Ipv4Header;
import dev.hostplane.vswitch.packet.Ipv6Header;
import dev.hostplane.vswitch.packet.TcpHeader;

/**
 * Joins consecutive live TCP segments into one packet so that a script packet written for a TSO/GSO burst
 * ({@code > P. 1:4001(4000)}) matches the segments the kernel actually emitted, as packetdrill does unless
 * {@code --strict_segments} is given.
 *
 * <p>Segments join when they belong to the same flow, follow each other in sequence space without a gap, and
 * every segment but the last carries no FIN, SYN or RST. The joined packet has the first segment's headers, the
 * PSH and FIN bits of the last segment, the concatenated payload, corrected lengths and fresh checksums.
 */
public final class SegmentAggregator
{
    /**
     * A joined packet.
     *
     * @param packet   the joined packet, IP header first.
     * @param segments how many input segments it consumed.
     */
    public record Aggregate(byte[] packet, int segments)
    {
    }

    private SegmentAggregator()
    {
    }

    /**
     * Joins segments from the start of the list until their payload reaches the expected size.
     *
     * @param segments        live segments in the order sniffed (IP header first).
     * @param expectedPayload the script packet's payload length.
     * @return the joined packet, or null when the first segment alone already has at least the expected payload,
     *         or the segments cannot be joined to exactly the expected payload.
     */
    public static Aggregate aggregate(final List<byte[]> segments, final int expectedPayload)
    {
        if (segments.isEmpty())
        {
            return null;
        }
        final Parsed first = Parsed.of(segments.get(0));
        if (first == null || first.payloadLength >= expectedPayload)
        {
            return null;
        }
        int total = first.payloadLength;
        long nextSeq = (first.seq + first.payloadLength) & 0xFFFF_FFFFL;
        int lastFlags = first.flags;
        int used = 1;
        while (total < expectedPayload && used < segments.size())
        {
            if ((lastFlags & (TcpHeader.FIN | TcpHeader.SYN | TcpHeader.RST)) != 0)
            {
                return null;
            }
            final Parsed next = Parsed.of(segments.get(used));
            if (next == null || next.seq != nextSeq || next.srcPort != first.srcPort ||
                next.dstPort != first.dstPort || next.version != first.version || next.payloadLength == 0)
            {
                return null;
            }
            total += next.payloadLength;
            nextSeq = (next.seq + next.payloadLength) & 0xFFFF_FFFFL;
            lastFlags = next.flags;
            used++;
        }
        if (total != expectedPayload)
        {
            return null;
        }
        final int headers = first.l4 + first.tcpHeader;
        final byte[] joined = new byte[headers + total];
        System.arraycopy(segments.get(0), 0, joined, 0, headers);
        int at = headers;
        for (int i = 0; i < used; i++)
        {
            final Parsed p = Parsed.of(segments.get(i));
            System.arraycopy(segments.get(i), p.l4 + p.tcpHeader, joined, at, p.payloadLength);
            at += p.payloadLength;
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(joined);
        final int pushFin = lastFlags & (TcpHeader.PSH | TcpHeader.FIN);
        final int flagsAt = first.l4 + TcpHeader.FLAGS_OFFSET;
        joined[flagsAt] = (byte)((joined[flagsAt] & ~(TcpHeader.PSH | TcpHeader.FIN)) | pushFin);
        final int l4Length = first.tcpHeader + total;
        final TcpHeader tcp = new TcpHeader();
        if (first.version == 4)
        {
            final Ipv4Header ip = new Ipv4Header().wrap(buffer, 0, joined.length);
            ip.totalLength(joined.length).updateChecksum();
            tcp.wrap(buffer, first.l4, l4Length).updateChecksum(ip.pseudoHeaderSum(), l4Length);
        }
        else
        {
            buffer.putShort(Ipv6Header.PAYLOAD_LENGTH_OFFSET, (short)(joined.length - Ipv6Header.HEADER_LENGTH),
                java.nio.ByteOrder.BIG_ENDIAN);
            final Ipv6Header ip = new Ipv6Header().wrap(buffer, 0, joined.length);
            ip.parseExtensionHeaders();
            tcp.wrap(buffer, first.l4, l4Length).updateChecksum(ip.pseudoHeaderSum(), l4Length);
        }
        return new Aggregate(joined, used);
    }

    /** The fields of one segment that decide whether it joins. */
    private static final class Parsed
    {
        int version;
        int l4;
        int tcpHeader;
        int payloadLength;
        long seq;
        int flags;
        int srcPort;
        int dstPort;

        static Parsed of(final byte[] packet)
        {
            if (packet.length < 1)
            {
                return null;
            }
            final UnsafeBuffer buffer = new UnsafeBuffer(packet);
            final Parsed p = new Parsed();
            p.version = (packet[0] & 0xFF) >>> 4;
            final int l4Length;
            if (p.version == 4)
            {
                final Ipv4Header ip = new Ipv4Header().wrap(buffer, 0, packet.length);
                if (!ip.isValid() || ip.protocol() != 6)
                {
                    return null;
                }
                p.l4 = ip.headerLength();
                l4Length = ip.totalLength() - ip.headerLength();
            }
            else if (p.version == 6)
            {
                final Ipv6Header ip = new Ipv6Header().wrap(buffer, 0, packet.length);
                if (!ip.isValid() || !ip.parseExtensionHeaders() || ip.upperLayerProtocol() != 6 ||
                    ip.upperLayerOffset() != Ipv6Header.HEADER_LENGTH)
                {
                    return null;
                }
                p.l4 = ip.upperLayerOffset();
                l4Length = ip.upperLayerLength();
            }
            else
            {
                return null;
            }
            if (l4Length < TcpHeader.MIN_HEADER_LENGTH || p.l4 + l4Length > packet.length)
            {
                return null;
            }
            final TcpHeader tcp = new TcpHeader().wrap(buffer, p.l4, l4Length);
            if (!tcp.isValid())
            {
                return null;
            }
            p.tcpHeader = tcp.headerLength();
            p.payloadLength = l4Length - p.tcpHeader;
            p.seq = tcp.sequence() & 0xFFFF_FFFFL;
            p.flags = tcp.flags();
            p.srcPort = tcp.sourcePort();
            p.dstPort = tcp.destinationPort();
            return p;
        }
    }
}

package dev.hostplane.vswitch.flow;

import dev.hostplane.vswitch.packet.ArpPacket;
import dev.hostplane.vswitch.packet.EthernetFrame;
import dev.hostplane.vswitch.packet.IcmpHeader;
import dev.hostplane.vswitch.packet.IpProtocols;
import dev.hostplane.vswitch.packet.Ipv4Header;
import dev.hostplane.vswitch.packet.Ipv6Header;
import dev.hostplane.vswitch.packet.TcpHeader;
import dev.hostplane.vswitch.packet.UdpHeader;
import org.agrona.DirectBuffer;

/**
 * Parses an Ethernet frame into a {@link FlowKey} (VS-D2), without allocation.
 *
 * <p>Returns a status instead of throwing: the data plane counts and drops anything that is not
 * {@link #OK}. A frame whose EtherType or protocol is unknown is fine (those fields stay zero); a
 * frame that announces a header it does not contain (truncated IPv4 header, TCP data offset past
 * the packet, broken IPv6 extension chain, ...) is malformed. One extractor per thread.
 */
public final class FlowKeyExtractor
{
    /** The key was extracted. */
    public static final int OK = 0;
    /** Shorter than an Ethernet header or its VLAN tags. */
    public static final int MALFORMED_ETHERNET = 1;
    /** ARP packet cut short. */
    public static final int MALFORMED_ARP = 2;
    /** IPv4 header invalid or truncated. */
    public static final int MALFORMED_IPV4 = 3;
    /** IPv6 header or extension chain invalid or truncated. */
    public static final int MALFORMED_IPV6 = 4;
    /** TCP/UDP/ICMP header invalid or truncated. */
    public static final int MALFORMED_L4 = 5;

    // Where each field lives in a key, as constants the JIT folds (a record's final fields are
    // trusted, an enum's are not), so writing a field is one read-modify-write of one word instead
    // of three field loads from the FlowField constant first.
    private record Slot(int word, int shift, long mask)
    {
        static Slot of(final FlowField field)
        {
            return new Slot(field.word(), field.shift(), field.wordMask());
        }

        void put(final FlowKey key, final long value)
        {
            final long[] w = key.words();
            w[word] = (w[word] & ~mask) | ((value << shift) & mask);
        }
    }

    private static final Slot ARP_OP = Slot.of(FlowField.ARP_OP);
    private static final Slot ARP_SPA = Slot.of(FlowField.ARP_SPA);
    private static final Slot ARP_TPA = Slot.of(FlowField.ARP_TPA);
    private static final Slot ETH_DST = Slot.of(FlowField.ETH_DST);
    private static final Slot ETH_SRC = Slot.of(FlowField.ETH_SRC);
    private static final Slot ETH_TYPE = Slot.of(FlowField.ETH_TYPE);
    private static final Slot ICMP_CODE = Slot.of(FlowField.ICMP_CODE);
    private static final Slot ICMP_TYPE = Slot.of(FlowField.ICMP_TYPE);
    private static final Slot IN_PORT = Slot.of(FlowField.IN_PORT);
    private static final Slot IPV4_DST = Slot.of(FlowField.IPV4_DST);
    private static final Slot IPV4_SRC = Slot.of(FlowField.IPV4_SRC);
    private static final Slot IPV6_DST_HIGH = Slot.of(FlowField.IPV6_DST_HIGH);
    private static final Slot IPV6_DST_LOW = Slot.of(FlowField.IPV6_DST_LOW);
    private static final Slot IPV6_LABEL = Slot.of(FlowField.IPV6_LABEL);
    private static final Slot IPV6_SRC_HIGH = Slot.of(FlowField.IPV6_SRC_HIGH);
    private static final Slot IPV6_SRC_LOW = Slot.of(FlowField.IPV6_SRC_LOW);
    private static final Slot IP_DSCP = Slot.of(FlowField.IP_DSCP);
    private static final Slot IP_ECN = Slot.of(FlowField.IP_ECN);
    private static final Slot IP_FRAG = Slot.of(FlowField.IP_FRAG);
    private static final Slot IP_PROTO = Slot.of(FlowField.IP_PROTO);
    private static final Slot IP_TTL = Slot.of(FlowField.IP_TTL);
    private static final Slot TCP_FLAGS = Slot.of(FlowField.TCP_FLAGS);
    private static final Slot TP_DST = Slot.of(FlowField.TP_DST);
    private static final Slot TP_SRC = Slot.of(FlowField.TP_SRC);
    private static final Slot VLAN_PCP = Slot.of(FlowField.VLAN_PCP);
    private static final Slot VLAN_VID = Slot.of(FlowField.VLAN_VID);

    private final EthernetFrame eth = new EthernetFrame();
    private final ArpPacket arp = new ArpPacket();
    private final Ipv4Header ip4 = new Ipv4Header();
    private final Ipv6Header ip6 = new Ipv6Header();
    private final TcpHeader tcp = new TcpHeader();
    private final UdpHeader udp = new UdpHeader();
    private final IcmpHeader icmp = new IcmpHeader();

    /**
     * Extracts the key of one frame.
     *
     * @param buffer holding the frame.
     * @param offset frame start.
     * @param length frame length.
     * @param inPort ingress port number.
     * @param key destination; fully overwritten.
     * @return {@link #OK} or one of the {@code MALFORMED_*} codes.
     */
    public int extract(final DirectBuffer buffer, final int offset, final int length, final int inPort, final FlowKey key)
    {
        key.clear();
        IN_PORT.put(key, inPort);
        eth.wrap(buffer, offset, length);
        if (!eth.isValid())
        {
            return MALFORMED_ETHERNET;
        }
        ETH_DST.put(key, eth.destination());
        ETH_SRC.put(key, eth.source());
        final int tci = eth.vlanTci();
        if (tci >= 0)
        {
            VLAN_VID.put(key, FlowField.VLAN_PRESENT | (tci & 0x0FFF));
            VLAN_PCP.put(key, tci >>> 13);
        }
        final int etherType = eth.payloadEtherType();
        ETH_TYPE.put(key, etherType);
        final int l3 = eth.payloadOffset();
        final int l3Length = offset + length - l3;
        switch (etherType)
        {
            case EthernetFrame.ETHER_TYPE_IPV4:
                return extractIpv4(buffer, l3, l3Length, key);
            case EthernetFrame.ETHER_TYPE_IPV6:
                return extractIpv6(buffer, l3, l3Length, key);
            case EthernetFrame.ETHER_TYPE_ARP:
                arp.wrap(buffer, l3, l3Length);
                if (l3Length < ArpPacket.HEADER_LENGTH)
                {
                    return MALFORMED_ARP;
                }
                if (arp.isValid())
                {
                    ARP_OP.put(key, arp.operation());
                    ARP_SPA.put(key, arp.senderProtocolAddress() & 0xFFFF_FFFFL);
                    ARP_TPA.put(key, arp.targetProtocolAddress() & 0xFFFF_FFFFL);
                }
                return OK;
            default:
                return OK;
        }
    }

    private int extractIpv4(final DirectBuffer buffer, final int l3, final int l3Length, final FlowKey key)
    {
        ip4.wrap(buffer, l3, l3Length);
        if (!ip4.isValid())
        {
            return MALFORMED_IPV4;
        }
        final int proto = ip4.protocol();
        IP_PROTO.put(key, proto);
        IP_DSCP.put(key, ip4.dscp());
        IP_ECN.put(key, ip4.ecn());
        IP_TTL.put(key, ip4.ttl());
        IPV4_SRC.put(key, ip4.source() & 0xFFFF_FFFFL);
        IPV4_DST.put(key, ip4.destination() & 0xFFFF_FFFFL);
        if (ip4.isFragment())
        {
            IP_FRAG.put(key, ip4.isLaterFragment() ? 3 : 1);
            if (ip4.isLaterFragment())
            {
                return OK;
            }
        }
        return extractL4(buffer, ip4.payloadOffset(), ip4.payloadLength(), proto, key);
    }

    private int extractIpv6(final DirectBuffer buffer, final int l3, final int l3Length, final FlowKey key)
    {
        ip6.wrap(buffer, l3, l3Length);
        if (!ip6.isValid() || !ip6.parseExtensionHeaders())
        {
            return MALFORMED_IPV6;
        }
        final int proto = ip6.upperLayerProtocol();
        final int tc = ip6.trafficClass();
        IP_PROTO.put(key, proto);
        IP_DSCP.put(key, tc >>> 2);
        IP_ECN.put(key, tc & 3);
        IP_TTL.put(key, ip6.hopLimit());
        IPV6_LABEL.put(key, ip6.flowLabel());
        IPV6_SRC_HIGH.put(key, ip6.sourceHigh());
        IPV6_SRC_LOW.put(key, ip6.sourceLow());
        IPV6_DST_HIGH.put(key, ip6.destinationHigh());
        IPV6_DST_LOW.put(key, ip6.destinationLow());
        if (ip6.isFragment())
        {
            IP_FRAG.put(key, ip6.isLaterFragment() ? 3 : 1);
            if (ip6.isLaterFragment())
            {
                return OK;
            }
        }
        return extractL4(buffer, ip6.upperLayerOffset(), ip6.upperLayerLength(), proto, key);
    }

    private int extractL4(final DirectBuffer buffer, final int l4, final int l4Length, final int proto, final FlowKey key)
    {
        switch (proto)
        {
            case IpProtocols.TCP:
                tcp.wrap(buffer, l4, l4Length);
                if (!tcp.isValid())
                {
                    return MALFORMED_L4;
                }
                TP_SRC.put(key, tcp.sourcePort());
                TP_DST.put(key, tcp.destinationPort());
                TCP_FLAGS.put(key, tcp.flags() & 0xFFF);
                return OK;
            case IpProtocols.UDP:
                udp.wrap(buffer, l4, l4Length);
                if (l4Length < UdpHeader.HEADER_LENGTH)
                {
                    return MALFORMED_L4;
                }
                TP_SRC.put(key, udp.sourcePort());
                TP_DST.put(key, udp.destinationPort());
                return OK;
            case IpProtocols.ICMP:
            case IpProtocols.ICMPV6:
                icmp.wrap(buffer, l4, l4Length);
                if (l4Length < 4)
                {
                    return MALFORMED_L4;
                }
                ICMP_TYPE.put(key, icmp.type());
                ICMP_CODE.put(key, icmp.code());
                return OK;
            default:
                return OK;
        }
    }

    /**
     * Human-readable name of a status code.
     *
     * @param status from {@link #extract}.
     * @return e.g. "malformed_ipv4".
     */
    public static String statusName(final int status)
    {
        switch (status)
        {
            case OK:
                return "ok";
            case MALFORMED_ETHERNET:
                return "malformed_ethernet";
            case MALFORMED_ARP:
                return "malformed_arp";
            case MALFORMED_IPV4:
                return "malformed_ipv4";
            case MALFORMED_IPV6:
                return "malformed_ipv6";
            case MALFORMED_L4:
                return "malformed_l4";
            default:
                return "unknown_" + status;
        }
    }
}

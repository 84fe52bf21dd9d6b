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
        key.set(FlowField.IN_PORT, inPort);
        eth.wrap(buffer, offset, length);
        if (!eth.isValid())
        {
            return MALFORMED_ETHERNET;
        }
        key.set(FlowField.ETH_DST, eth.destination());
        key.set(FlowField.ETH_SRC, eth.source());
        final int tci = eth.vlanTci();
        if (tci >= 0)
        {
            key.set(FlowField.VLAN_VID, FlowField.VLAN_PRESENT | (tci & 0x0FFF));
            key.set(FlowField.VLAN_PCP, tci >>> 13);
        }
        final int etherType = eth.payloadEtherType();
        key.set(FlowField.ETH_TYPE, etherType);
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
                    key.set(FlowField.ARP_OP, arp.operation());
                    key.set(FlowField.ARP_SPA, arp.senderProtocolAddress() & 0xFFFF_FFFFL);
                    key.set(FlowField.ARP_TPA, arp.targetProtocolAddress() & 0xFFFF_FFFFL);
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
        key.set(FlowField.IP_PROTO, proto);
        key.set(FlowField.IP_DSCP, ip4.dscp());
        key.set(FlowField.IP_ECN, ip4.ecn());
        key.set(FlowField.IP_TTL, ip4.ttl());
        key.set(FlowField.IPV4_SRC, ip4.source() & 0xFFFF_FFFFL);
        key.set(FlowField.IPV4_DST, ip4.destination() & 0xFFFF_FFFFL);
        if (ip4.isFragment())
        {
            key.set(FlowField.IP_FRAG, ip4.isLaterFragment() ? 3 : 1);
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
        key.set(FlowField.IP_PROTO, proto);
        key.set(FlowField.IP_DSCP, tc >>> 2);
        key.set(FlowField.IP_ECN, tc & 3);
        key.set(FlowField.IP_TTL, ip6.hopLimit());
        key.set(FlowField.IPV6_LABEL, ip6.flowLabel());
        key.set(FlowField.IPV6_SRC_HIGH, ip6.sourceHigh());
        key.set(FlowField.IPV6_SRC_LOW, ip6.sourceLow());
        key.set(FlowField.IPV6_DST_HIGH, ip6.destinationHigh());
        key.set(FlowField.IPV6_DST_LOW, ip6.destinationLow());
        if (ip6.isFragment())
        {
            key.set(FlowField.IP_FRAG, ip6.isLaterFragment() ? 3 : 1);
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
                key.set(FlowField.TP_SRC, tcp.sourcePort());
                key.set(FlowField.TP_DST, tcp.destinationPort());
                key.set(FlowField.TCP_FLAGS, tcp.flags() & 0xFFF);
                return OK;
            case IpProtocols.UDP:
                udp.wrap(buffer, l4, l4Length);
                if (l4Length < UdpHeader.HEADER_LENGTH)
                {
                    return MALFORMED_L4;
                }
                key.set(FlowField.TP_SRC, udp.sourcePort());
                key.set(FlowField.TP_DST, udp.destinationPort());
                return OK;
            case IpProtocols.ICMP:
            case IpProtocols.ICMPV6:
                icmp.wrap(buffer, l4, l4Length);
                if (l4Length < 4)
                {
                    return MALFORMED_L4;
                }
                key.set(FlowField.ICMP_TYPE, icmp.type());
                key.set(FlowField.ICMP_CODE, icmp.code());
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

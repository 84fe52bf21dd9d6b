package dev.hostplane.vswitch.action;

import java.nio.ByteOrder;

import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.packet.ArpPacket;
import dev.hostplane.vswitch.packet.Checksums;
import dev.hostplane.vswitch.packet.EthernetFrame;
import dev.hostplane.vswitch.packet.IpProtocols;
import dev.hostplane.vswitch.packet.Ipv4Header;
import dev.hostplane.vswitch.packet.Ipv6Header;
import dev.hostplane.vswitch.packet.TcpHeader;
import dev.hostplane.vswitch.packet.UdpHeader;
import org.agrona.MutableDirectBuffer;

/**
 * Rewrites header fields of a frame in place and keeps every checksum right (VS-D4 set-field):
 * the IPv4 header checksum and the TCP/UDP/ICMPv6 checksum are updated incrementally (RFC 1624),
 * and when the frame carries a partial L4 checksum (offload metadata) the stored pseudo-header
 * sum is adjusted instead. Setting a field the frame does not have (an IP field of an ARP frame)
 * does nothing. Holds flyweights, so one instance per thread.
 */
public final class FrameRewriter
{
    private static final ByteOrder NET = ByteOrder.BIG_ENDIAN;

    private final EthernetFrame eth = new EthernetFrame();
    private final Ipv4Header ip4 = new Ipv4Header();
    private final Ipv6Header ip6 = new Ipv6Header();
    private final ArpPacket arp = new ArpPacket();

    /**
     * Sets one field.
     *
     * @param context the frame.
     * @param field which field.
     * @param value right-aligned value.
     */
    public void setField(final ActionContext context, final FlowField field, final long value)
    {
        final MutableDirectBuffer b = context.buffer();
        final int off = context.frameOffset();
        final int len = context.frameLength();
        eth.wrap(b, off, len);
        if (!eth.isValid())
        {
            return;
        }
        switch (field)
        {
            case ETH_DST:
                eth.destination(value);
                return;
            case ETH_SRC:
                eth.source(value);
                return;
            case VLAN_VID:
            case VLAN_PCP:
                setVlan(context, field, value);
                return;
            default:
                break;
        }
        final int type = eth.payloadEtherType();
        final int l3 = eth.payloadOffset();
        final int l3Length = off + len - l3;
        if (type == EthernetFrame.ETHER_TYPE_IPV4)
        {
            setIpv4(context, field, value, l3, l3Length);
        }
        else if (type == EthernetFrame.ETHER_TYPE_IPV6)
        {
            setIpv6(context, field, value, l3, l3Length);
        }
        else if (type == EthernetFrame.ETHER_TYPE_ARP)
        {
            arp.wrap(b, l3, l3Length);
            if (!arp.isValid())
            {
                return;
            }
            if (field == FlowField.ARP_OP)
            {
                arp.operation((int)value);
            }
            else if (field == FlowField.ARP_SPA)
            {
                arp.senderProtocolAddress((int)value);
            }
            else if (field == FlowField.ARP_TPA)
            {
                arp.targetProtocolAddress((int)value);
            }
        }
    }

    /**
     * Decrements IPv4 TTL (with checksum fix-up) or IPv6 hop limit.
     *
     * @param context the frame.
     * @return false when the TTL was 0 or 1 (the frame must be dropped); true otherwise,
     *         including for non-IP frames.
     */
    public boolean decrementTtl(final ActionContext context)
    {
        final MutableDirectBuffer b = context.buffer();
        eth.wrap(b, context.frameOffset(), context.frameLength());
        if (!eth.isValid())
        {
            return true;
        }
        final int l3 = eth.payloadOffset();
        final int l3Length = context.frameOffset() + context.frameLength() - l3;
        final int type = eth.payloadEtherType();
        if (type == EthernetFrame.ETHER_TYPE_IPV4)
        {
            ip4.wrap(b, l3, l3Length);
            if (!ip4.isValid())
            {
                return true;
            }
            final int ttl = ip4.ttl();
            if (ttl <= 1)
            {
                return false;
            }
            ip4.ttlAndUpdateChecksum(ttl - 1);
        }
        else if (type == EthernetFrame.ETHER_TYPE_IPV6)
        {
            ip6.wrap(b, l3, l3Length);
            if (!ip6.isValid())
            {
                return true;
            }
            final int hops = ip6.hopLimit();
            if (hops <= 1)
            {
                return false;
            }
            ip6.hopLimit(hops - 1);
        }
        return true;
    }

    private void setVlan(final ActionContext context, final FlowField field, final long value)
    {
        if (!eth.hasVlan())
        {
            // OpenFlow 1.0 mod_vlan_vid semantics: setting a VLAN field of an untagged frame tags it.
            context.frameLength(EthernetFrame.pushVlan(context.buffer(), context.frameOffset(), context.frameLength(),
                EthernetFrame.ETHER_TYPE_VLAN, 0));
            context.adjustOffloadOffsets(EthernetFrame.VLAN_TAG_LENGTH);
            eth.wrap(context.buffer(), context.frameOffset(), context.frameLength());
        }
        final int tci = eth.vlanTci();
        if (field == FlowField.VLAN_VID)
        {
            eth.vlanTci((tci & 0xF000) | (int)(value & 0x0FFF));
        }
        else
        {
            eth.vlanTci((tci & 0x1FFF) | (int)((value & 7) << 13));
        }
    }

    private void setIpv4(
        final ActionContext context, final FlowField field, final long value, final int l3, final int l3Length)
    {
        final MutableDirectBuffer b = context.buffer();
        ip4.wrap(b, l3, l3Length);
        if (!ip4.isValid())
        {
            return;
        }
        switch (field)
        {
            case IPV4_SRC:
            case IPV4_DST:
            {
                final boolean src = field == FlowField.IPV4_SRC;
                final int old = src ? ip4.source() : ip4.destination();
                final int now = (int)value;
                if (src)
                {
                    ip4.sourceAndUpdateChecksum(now);
                }
                else
                {
                    ip4.destinationAndUpdateChecksum(now);
                }
                if (!ip4.isLaterFragment())
                {
                    fixL4PseudoHeader(context, ip4.protocol(), ip4.payloadOffset(), ip4.payloadLength(),
                        old >>> 16, now >>> 16);
                    fixL4PseudoHeader(context, ip4.protocol(), ip4.payloadOffset(), ip4.payloadLength(),
                        old & 0xFFFF, now & 0xFFFF);
                }
                return;
            }
            case IP_DSCP:
                ip4.tosAndUpdateChecksum((ip4.tos() & 3) | (int)(value << 2));
                return;
            case IP_ECN:
                ip4.tosAndUpdateChecksum((ip4.tos() & 0xFC) | (int)(value & 3));
                return;
            case IP_TTL:
                ip4.ttlAndUpdateChecksum((int)value);
                return;
            case TP_SRC:
            case TP_DST:
                if (!ip4.isLaterFragment())
                {
                    setPort(context, ip4.protocol(), ip4.payloadOffset(), ip4.payloadLength(), field, (int)value);
                }
                return;
            default:
                return;
        }
    }

    private void setIpv6(
        final ActionContext context, final FlowField field, final long value, final int l3, final int l3Length)
    {
        final MutableDirectBuffer b = context.buffer();
        ip6.wrap(b, l3, l3Length);
        if (!ip6.isValid() || !ip6.parseExtensionHeaders())
        {
            return;
        }
        final int proto = ip6.upperLayerProtocol();
        final int l4 = ip6.upperLayerOffset();
        final int l4Length = ip6.upperLayerLength();
        switch (field)
        {
            case IPV6_SRC_HIGH:
            case IPV6_SRC_LOW:
            case IPV6_DST_HIGH:
            case IPV6_DST_LOW:
            {
                final int at = l3 + (field == FlowField.IPV6_SRC_HIGH ? Ipv6Header.SOURCE_OFFSET :
                    field == FlowField.IPV6_SRC_LOW ? Ipv6Header.SOURCE_OFFSET + 8 :
                    field == FlowField.IPV6_DST_HIGH ? Ipv6Header.DESTINATION_OFFSET :
                    Ipv6Header.DESTINATION_OFFSET + 8);
                final long old = b.getLong(at, NET);
                b.putLong(at, value, NET);
                if (!ip6.isLaterFragment())
                {
                    for (int shift = 48; shift >= 0; shift -= 16)
                    {
                        fixL4PseudoHeader(context, proto, l4, l4Length, (int)(old >>> shift) & 0xFFFF,
                            (int)(value >>> shift) & 0xFFFF);
                    }
                }
                return;
            }
            case IP_DSCP:
                ip6.trafficClass((ip6.trafficClass() & 3) | (int)(value << 2));
                return;
            case IP_ECN:
                ip6.trafficClass((ip6.trafficClass() & 0xFC) | (int)(value & 3));
                return;
            case IP_TTL:
                ip6.hopLimit((int)value);
                return;
            case IPV6_LABEL:
                ip6.flowLabel((int)value);
                return;
            case TP_SRC:
            case TP_DST:
                if (!ip6.isLaterFragment())
                {
                    setPort(context, proto, l4, l4Length, field, (int)value);
                }
                return;
            default:
                return;
        }
    }

    private void setPort(
        final ActionContext context,
        final int proto,
        final int l4,
        final int l4Length,
        final FlowField field,
        final int port)
    {
        final MutableDirectBuffer b = context.buffer();
        final int portOffset = l4 + (field == FlowField.TP_SRC ? 0 : 2);
        final int checksumOffset;
        if (proto == IpProtocols.TCP && l4Length >= TcpHeader.MIN_HEADER_LENGTH)
        {
            checksumOffset = l4 + TcpHeader.CHECKSUM_OFFSET;
        }
        else if (proto == IpProtocols.UDP && l4Length >= UdpHeader.HEADER_LENGTH)
        {
            checksumOffset = l4 + UdpHeader.CHECKSUM_OFFSET;
        }
        else
        {
            return;
        }
        final int old = b.getShort(portOffset, NET) & 0xFFFF;
        b.putShort(portOffset, (short)port, NET);
        // Ports are not in the pseudo header, so a partial (offloaded) checksum needs no change.
        if (!context.partialChecksum())
        {
            final int stored = b.getShort(checksumOffset, NET) & 0xFFFF;
            if (proto == IpProtocols.UDP && stored == 0)
            {
                return;
            }
            b.putShort(checksumOffset, (short)Checksums.update16(stored, old, port), NET);
        }
    }

    private static void fixL4PseudoHeader(
        final ActionContext context,
        final int proto,
        final int l4,
        final int l4Length,
        final int oldWord,
        final int newWord)
    {
        final MutableDirectBuffer b = context.buffer();
        final int checksumOffset;
        if (proto == IpProtocols.TCP && l4Length >= TcpHeader.MIN_HEADER_LENGTH)
        {
            checksumOffset = l4 + TcpHeader.CHECKSUM_OFFSET;
        }
        else if (proto == IpProtocols.UDP && l4Length >= UdpHeader.HEADER_LENGTH)
        {
            checksumOffset = l4 + UdpHeader.CHECKSUM_OFFSET;
        }
        else if (proto == IpProtocols.ICMPV6 && l4Length >= 4)
        {
            checksumOffset = l4 + 2;
        }
        else
        {
            return;
        }
        final int stored = b.getShort(checksumOffset, NET) & 0xFFFF;
        if (context.partialChecksum())
        {
            b.putShort(checksumOffset, (short)Checksums.updatePartial16(stored, oldWord, newWord), NET);
        }
        else if (!(proto == IpProtocols.UDP && stored == 0))
        {
            b.putShort(checksumOffset, (short)Checksums.update16(stored, oldWord, newWord), NET);
        }
    }
}

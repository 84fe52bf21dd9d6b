package dev.hostplane.packetscript.packet;

import java.util.Map;
import java.util.function.LongUnaryOperator;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import dev.hostplane.packetscript.model.Direction;
import dev.hostplane.packetscript.model.IcmpSpec;
import dev.hostplane.packetscript.model.IpInfo;
import dev.hostplane.packetscript.model.PacketSpec;
import dev.hostplane.packetscript.model.TcpOption;
import dev.hostplane.packetscript.model.TcpSpec;
import dev.hostplane.packetscript.model.TransportSpec;
import dev.hostplane.packetscript.model.UdpSpec;
import dev.hostplane.vswitch.packet.IcmpHeader;
import dev.hostplane.vswitch.packet.Icmpv6Header;
import dev.hostplane.vswitch.packet.IpProtocols;
import dev.hostplane.vswitch.packet.Ipv4Header;
import dev.hostplane.vswitch.packet.Ipv6Header;
import dev.hostplane.vswitch.packet.TcpHeader;
import dev.hostplane.vswitch.packet.UdpHeader;

/**
 * Builds the live bytes of an inbound script packet (IP header first, as a TUN device without packet info
 * expects): addresses and ports from the connection, the ack, SACK edges and TS ecr mapped into live space,
 * options encoded, a zero-filled payload, and all checksums computed. The flyweights are reused, so one builder
 * serves one thread.
 *
 * <p>Defaults where the script says nothing: TTL/hop limit {@value #DEFAULT_TTL} (packetdrill writes its
 * "no TTL given" marker, 255, into the packets it injects, quoted headers of ICMP errors included), TOS 0,
 * IP id 0, no DF.
 * An ICMP error quotes the kernel's own packet (local to remote): its IP header and the first 8 transport
 * bytes, with the quoted TCP sequence number mapped to live space.
 */
public final class InboundPacketBuilder
{
    /** TTL / hop limit of built packets unless the script gives {@code ttl}. */
    public static final int DEFAULT_TTL = 255;
    /** Bytes of the quoted transport header in an ICMP error. */
    private static final int QUOTED_TRANSPORT_BYTES = 8;

    private final TcpOptionCodec options;
    private final Ipv4Header ipv4 = new Ipv4Header();
    private final Ipv6Header ipv6 = new Ipv6Header();
    private final TcpHeader tcp = new TcpHeader();
    private final UdpHeader udp = new UdpHeader();
    private final IcmpHeader icmp = new IcmpHeader();
    private final Icmpv6Header icmpv6 = new Icmpv6Header();

    /**
     * Creates a builder.
     *
     * @param definitions {@code -D} definitions for symbolic option values.
     */
    public InboundPacketBuilder(final Map<String, String> definitions)
    {
        this.options = new TcpOptionCodec(definitions);
    }

    /**
     * Builds a packet into a new array.
     *
     * @param spec    the inbound script packet.
     * @param mapping the connection.
     * @return the packet bytes, starting with the IP header.
     */
    public byte[] build(final PacketSpec spec, final ConnectionMapping mapping)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[65_535]);
        final int length = build(spec, mapping, buffer, 0);
        final byte[] packet = new byte[length];
        buffer.getBytes(0, packet);
        return packet;
    }

    /**
     * Builds a packet into a buffer.
     *
     * @param spec    the inbound script packet.
     * @param mapping the connection (a SYN sets the peer's ISN).
     * @param buffer  target buffer.
     * @param offset  where the IP header starts.
     * @return packet length in bytes.
     * @throws PacketBuildException if the script packet cannot be built (the message says why).
     */
    public int build(final PacketSpec spec, final ConnectionMapping mapping, final MutableDirectBuffer buffer,
        final int offset)
    {
        if (spec.direction() != Direction.INBOUND)
        {
            throw new IllegalArgumentException("not an inbound packet: direction=" + spec.direction());
        }
        if (!spec.encapsulations().isEmpty())
        {
            throw new PacketBuildException("encapsulated packets (encap psp) are not supported");
        }
        final boolean v6 = mapping.isIpv6();
        final int ipHeader = v6 ? Ipv6Header.HEADER_LENGTH : Ipv4Header.MIN_HEADER_LENGTH;
        final int l4 = offset + ipHeader;
        final TransportSpec transport = spec.transport();
        final int l4Length;
        final int protocol;
        if (transport instanceof TcpSpec t)
        {
            l4Length = writeTcp(t, mapping, buffer, l4);
            protocol = IpProtocols.TCP;
        }
        else if (transport instanceof UdpSpec u)
        {
            l4Length = UdpHeader.HEADER_LENGTH + u.payloadLength();
            buffer.setMemory(l4, l4Length, (byte)0);
            udp.wrap(buffer, l4, l4Length).write(port(u.srcPort(), mapping.remotePort()), mapping.localPort(),
                l4Length);
            protocol = IpProtocols.UDP;
        }
        else
        {
            l4Length = writeIcmp((IcmpSpec)transport, mapping, buffer, l4);
            protocol = v6 ? IpProtocols.ICMPV6 : IpProtocols.ICMP;
        }
        final IpInfo ip = spec.ipInfo();
        final int tos = tos(ip);
        final int ttl = ip.ttl() != null ? ip.ttl() : DEFAULT_TTL;
        final int pseudo;
        if (v6)
        {
            ipv6.wrap(buffer, offset, ipHeader + l4Length).write(tos, ip.flowLabel() == null ? 0 : ip.flowLabel(),
                l4Length, protocol, ttl, Addresses.v6High(mapping.remoteAddress()),
                Addresses.v6Low(mapping.remoteAddress()), Addresses.v6High(mapping.localAddress()),
                Addresses.v6Low(mapping.localAddress()));
            ipv6.parseExtensionHeaders();
            pseudo = ipv6.pseudoHeaderSum();
        }
        else
        {
            ipv4.wrap(buffer, offset, ipHeader + l4Length).write(tos, ipHeader + l4Length, 0, 0, ttl, protocol,
                Addresses.v4(mapping.remoteAddress()), Addresses.v4(mapping.localAddress()));
            pseudo = ipv4.pseudoHeaderSum();
        }
        if (protocol == IpProtocols.TCP)
        {
            tcp.wrap(buffer, l4, l4Length).updateChecksum(pseudo, l4Length);
        }
        else if (protocol == IpProtocols.UDP)
        {
            udp.wrap(buffer, l4, l4Length).updateChecksum(pseudo);
        }
        else if (protocol == IpProtocols.ICMPV6)
        {
            icmpv6.wrap(buffer, l4, l4Length).updateChecksum(pseudo, l4Length);
        }
        else
        {
            icmp.wrap(buffer, l4, l4Length).updateChecksum(l4Length);
        }
        return ipHeader + l4Length;
    }

    private static int tos(final IpInfo ip)
    {
        int tos = ip.tos() == null ? 0 : ip.tos();
        if (ip.ecn() != null)
        {
            tos = (tos & ~3) | ip.ecn().bits();
        }
        return tos;
    }

    private static int port(final Integer explicit, final int fallback)
    {
        return explicit != null ? explicit : fallback;
    }

    private int writeTcp(final TcpSpec t, final ConnectionMapping mapping, final MutableDirectBuffer buffer,
        final int at)
    {
        if (t.window() == null)
        {
            throw new PacketBuildException("inbound TCP packet needs a window: add win N");
        }
        if (t.optionsUnchecked())
        {
            throw new PacketBuildException("<...> cannot be used for inbound packets");
        }
        final boolean syn = t.hasFlag('S');
        if (syn)
        {
            // packetdrill sends the SYN's seq as written and takes it as the peer's ISN; later peer sequence
            // numbers are relative to it.
            mapping.learnRemoteIsn(t.startSequence(), t.hasFlag('.'));
        }
        if (t.ack() != null && t.hasFlag('.') && !mapping.localIsnKnown())
        {
            throw new PacketBuildException("cannot map inbound ack " + t.ack() +
                ": no SYN or SYN-ACK from the kernel has been seen yet");
        }
        final LongUnaryOperator sackMap = mapping.localToLiveOperator(syn);
        final LongUnaryOperator ecrMap = mapping.inboundEcrOperator();
        int optionBytes = 0;
        final java.util.List<TcpOption> list = t.options();
        // Indexed loop: no iterator per packet.
        for (int i = 0, n = list.size(); i < n; i++)
        {
            optionBytes += options.write(list.get(i), buffer, at + TcpHeader.MIN_HEADER_LENGTH + optionBytes, sackMap,
                ecrMap);
        }
        final int padded = (optionBytes + 3) & ~3;
        for (int i = optionBytes; i < padded; i++)
        {
            buffer.putByte(at + TcpHeader.MIN_HEADER_LENGTH + i, (byte)TcpOption.KIND_EOL);
        }
        final int headerLength = TcpHeader.MIN_HEADER_LENGTH + padded;
        if (headerLength > TcpHeader.MAX_HEADER_LENGTH)
        {
            throw new PacketBuildException("TCP options too long: " + optionBytes + " bytes (max 40)");
        }
        final int length = headerLength + t.payloadLength();
        buffer.setMemory(at + headerLength, t.payloadLength(), (byte)0);
        final long ack = t.ack() == null ? 0 : mapping.localToLive(t.ack(), syn);
        tcp.wrap(buffer, at, length).write(port(t.srcPort(), mapping.remotePort()),
            port(t.dstPort(), mapping.localPort()), (int)mapping.remoteToLive(t.startSequence(), syn), (int)ack,
            headerLength, TcpFlags.bits(t.flags()), t.window());
        if (t.urgentPointer() != null)
        {
            buffer.putByte(at + TcpHeader.URGENT_OFFSET, (byte)(t.urgentPointer() >>> 8));
            buffer.putByte(at + TcpHeader.URGENT_OFFSET + 1, (byte)(int)t.urgentPointer());
        }
        return length;
    }

    private int writeIcmp(final IcmpSpec spec, final ConnectionMapping mapping, final MutableDirectBuffer buffer,
        final int at)
    {
        final boolean v6 = mapping.isIpv6();
        final int type = IcmpCodes.type(v6, spec.type());
        final int code = IcmpCodes.code(v6, type, spec.code());
        final long mtu = spec.mtu() == null ? 0 : spec.mtu();
        final int identifier;
        final int rest;
        if (spec.echoId() != null)
        {
            identifier = (int)(long)spec.echoId();
            rest = 0;
        }
        else if (v6)
        {
            identifier = (int)(mtu >>> 16);
            rest = (int)(mtu & 0xFFFF);
        }
        else
        {
            identifier = 0;
            rest = (int)(mtu & 0xFFFF);
        }
        final int quoted = at + IcmpHeader.HEADER_LENGTH;
        final int quotedLength = writeQuoted(spec.echoed(), mapping, buffer, quoted);
        final int length = IcmpHeader.HEADER_LENGTH + quotedLength;
        if (v6)
        {
            icmpv6.wrap(buffer, at, length).write(type, code, identifier, rest);
        }
        else
        {
            icmp.wrap(buffer, at, length).write(type, code, identifier, rest);
        }
        return length;
    }

    private int writeQuoted(final IcmpSpec.Echoed echoed, final ConnectionMapping mapping,
        final MutableDirectBuffer buffer, final int at)
    {
        final String protocolName = echoed == null ? "tcp" : echoed.protocol();
        final int payload = echoed == null ? 0 : echoed.payloadLength();
        final int protocol;
        final int transportHeader;
        switch (protocolName)
        {
            case "udp":
                protocol = IpProtocols.UDP;
                transportHeader = UdpHeader.HEADER_LENGTH;
                break;
            case "raw":
                protocol = 255;
                transportHeader = 0;
                break;
            default:
                protocol = IpProtocols.TCP;
                transportHeader = TcpHeader.MIN_HEADER_LENGTH;
                break;
        }
        final boolean v6 = mapping.isIpv6();
        final int ipHeader = v6 ? Ipv6Header.HEADER_LENGTH : Ipv4Header.MIN_HEADER_LENGTH;
        final int l4 = at + ipHeader;
        buffer.setMemory(l4, QUOTED_TRANSPORT_BYTES, (byte)0);
        if (protocol == IpProtocols.TCP)
        {
            putU16(buffer, l4, mapping.localPort());
            putU16(buffer, l4 + 2, mapping.remotePort());
            final long seq = echoed == null ? 0 : echoed.startSequence();
            // packetdrill shifts the quoted seq as in a non-SYN packet: relative to the kernel's live ISN.
            final long live = mapping.localToLive(seq);
            buffer.putByte(l4 + 4, (byte)(live >>> 24));
            buffer.putByte(l4 + 5, (byte)(live >>> 16));
            buffer.putByte(l4 + 6, (byte)(live >>> 8));
            buffer.putByte(l4 + 7, (byte)live);
        }
        else if (protocol == IpProtocols.UDP)
        {
            putU16(buffer, l4, mapping.localPort());
            putU16(buffer, l4 + 2, mapping.remotePort());
            putU16(buffer, l4 + 4, UdpHeader.HEADER_LENGTH + payload);
        }
        final int originalL4 = transportHeader + payload;
        if (v6)
        {
            ipv6.wrap(buffer, at, ipHeader + QUOTED_TRANSPORT_BYTES).write(0, 0, originalL4, protocol, DEFAULT_TTL,
                Addresses.v6High(mapping.localAddress()), Addresses.v6Low(mapping.localAddress()),
                Addresses.v6High(mapping.remoteAddress()), Addresses.v6Low(mapping.remoteAddress()));
        }
        else
        {
            ipv4.wrap(buffer, at, ipHeader + QUOTED_TRANSPORT_BYTES).write(0, ipHeader + originalL4, 0,
                Ipv4Header.FLAG_DF, DEFAULT_TTL, protocol, Addresses.v4(mapping.localAddress()),
                Addresses.v4(mapping.remoteAddress()));
        }
        return ipHeader + QUOTED_TRANSPORT_BYTES;
    }

    private static void putU16(final MutableDirectBuffer buffer, final int at, final int value)
    {
        buffer.putByte(at, (byte)(value >>> 8));
        buffer.putByte(at + 1, (byte)value);
    }
}

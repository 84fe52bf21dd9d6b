package dev.hostplane.packetscript.packet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import dev.hostplane.packetscript.model.Direction;
import dev.hostplane.packetscript.model.Ecn;
import dev.hostplane.packetscript.model.IcmpSpec;
import dev.hostplane.packetscript.model.IpInfo;
import dev.hostplane.packetscript.model.PacketSpec;
import dev.hostplane.packetscript.model.TcpOption;
import dev.hostplane.packetscript.model.TcpSpec;
import dev.hostplane.packetscript.model.UdpSpec;
import dev.hostplane.vswitch.packet.IcmpHeader;
import dev.hostplane.vswitch.packet.Icmpv6Header;
import dev.hostplane.vswitch.packet.IpProtocols;
import dev.hostplane.vswitch.packet.Ipv4Header;
import dev.hostplane.vswitch.packet.Ipv6Header;
import dev.hostplane.vswitch.packet.TcpHeader;
import dev.hostplane.vswitch.packet.UdpHeader;

/**
 * Checks a live outbound packet (IP header first) against a script packet field by field, as packetdrill's
 * {@code verify_outbound_live_packet} does.
 *
 * <p>Compared: IP version, protocol, header and total length; TTL, TOS, ECN and flow label only when the script
 * gives them (IP id never); TCP ports against the connection, data offset, every flag, reserved bits, seq and
 * ack after mapping to script space, window unless omitted, urgent pointer when given, options kind by kind
 * in order, NOP and EOL included (TS ecr never compared, TS val only with {@code --tcp_ts_tick_usecs}, both
 * recorded for the TS mapping; SACK edges mapped; {@code <...>} skips options and lengths), payload length. A kernel SYN or SYN-ACK teaches the mapping the kernel's ISN and,
 * when still unknown, its port. Transport checksums are checked only when asked for, because packets sniffed
 * from a TUN device with checksum offload carry partial checksums.
 *
 * <p>Messages use packetdrill's wording, e.g.
 * {@code live packet field tcp_seq: expected: 1001 (0x3e9) vs actual: 2001 (0x7d1)},
 * {@code bad value outbound TCP option 3}, {@code live packet payload: expected 1000 bytes vs actual 2000 bytes}.
 */
public final class OutboundPacketVerifier
{
    private final TcpOptionCodec options;
    private final boolean checkTransportChecksums;
    private final Ipv4Header ipv4 = new Ipv4Header();
    private final Ipv6Header ipv6 = new Ipv6Header();
    private final TcpHeader tcp = new TcpHeader();
    private final UdpHeader udp = new UdpHeader();
    private final IcmpHeader icmp = new IcmpHeader();
    private final Icmpv6Header icmpv6 = new Icmpv6Header();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64]);
    private final long tsTickUsecs;
    private final long toleranceUsecs;
    private final double tolerancePercent;
    private long eventScriptMicros;

    /**
     * Creates a verifier that does not check TS val (packetdrill's default {@code --tcp_ts_tick_usecs=0}).
     *
     * @param definitions             {@code -D} definitions for symbolic option values.
     * @param checkTransportChecksums whether TCP/UDP/ICMP checksums must be complete and correct.
     */
    public OutboundPacketVerifier(final Map<String, String> definitions, final boolean checkTransportChecksums)
    {
        this(definitions, checkTransportChecksums, 0, 0, 0);
    }

    /**
     * Creates a verifier.
     *
     * @param definitions             {@code -D} definitions for symbolic option values.
     * @param checkTransportChecksums whether TCP/UDP/ICMP checksums must be complete and correct.
     * @param tsTickUsecs             {@code --tcp_ts_tick_usecs}: when positive, an outbound TS val (mapped to
     *                                script space from the first one seen) may differ from the script's by at
     *                                most the tolerance, counted in ticks of this many microseconds; 0 leaves TS
     *                                val unchecked.
     * @param toleranceUsecs          {@code --tolerance_usecs}, for the TS val check.
     * @param tolerancePercent        {@code --tolerance_percent}: as in packetdrill, the TS tolerance grows to
     *                                this percentage of the event's time since the script started.
     */
    public OutboundPacketVerifier(final Map<String, String> definitions, final boolean checkTransportChecksums,
        final long tsTickUsecs, final long toleranceUsecs, final double tolerancePercent)
    {
        if (tsTickUsecs < 0 || toleranceUsecs < 0 || tolerancePercent < 0)
        {
            throw new IllegalArgumentException("must not be negative: tsTickUsecs=" + tsTickUsecs +
                " toleranceUsecs=" + toleranceUsecs);
        }
        this.options = new TcpOptionCodec(definitions);
        this.checkTransportChecksums = checkTransportChecksums;
        this.tsTickUsecs = tsTickUsecs;
        this.toleranceUsecs = toleranceUsecs;
        this.tolerancePercent = tolerancePercent;
    }

    /**
     * Verifies a packet held in an array.
     *
     * @param spec    the outbound script packet.
     * @param live    the live packet, IP header first.
     * @param mapping the connection.
     * @return the result.
     */
    public VerificationResult verify(final PacketSpec spec, final byte[] live, final ConnectionMapping mapping)
    {
        return verify(spec, new UnsafeBuffer(live), 0, live.length, mapping);
    }

    /**
     * Verifies a packet.
     *
     * @param spec    the outbound script packet.
     * @param buffer  holds the live packet.
     * @param offset  where its IP header starts.
     * @param length  captured bytes.
     * @param mapping the connection; learns the kernel's ISN, port and TS values.
     * @return the result.
     */
    public VerificationResult verify(final PacketSpec spec, final DirectBuffer buffer, final int offset,
        final int length, final ConnectionMapping mapping)
    {
        return verify(spec, buffer, offset, length, mapping, 0);
    }

    /**
     * Verifies a packet expected at a given script time (which widens the TS val tolerance, as in packetdrill).
     *
     * @param spec              the outbound script packet.
     * @param buffer            holds the live packet.
     * @param offset            where its IP header starts.
     * @param length            captured bytes.
     * @param mapping           the connection; learns the kernel's ISN, port and TS values.
     * @param eventScriptMicros the event's script time (microseconds since the script started).
     * @return the result.
     */
    public VerificationResult verify(final PacketSpec spec, final DirectBuffer buffer, final int offset,
        final int length, final ConnectionMapping mapping, final long eventScriptMicros)
    {
        this.eventScriptMicros = eventScriptMicros;
        if (spec.direction() != Direction.OUTBOUND)
        {
            throw new IllegalArgumentException("not an outbound packet: direction=" + spec.direction());
        }
        final List<String> errors = new ArrayList<>();
        if (length < 1)
        {
            errors.add("live packet is empty");
            return new VerificationResult(errors);
        }
        final int version = (buffer.getByte(offset) & 0xFF) >>> 4;
        final int expectedVersion = mapping.isIpv6() ? 6 : 4;
        if (version != expectedVersion)
        {
            field(errors, "ip_version", expectedVersion, version);
            return new VerificationResult(errors);
        }
        final int protocol = expectedProtocol(spec, mapping);
        final int l4;
        final int l4Length;
        final int pseudo;
        final IpInfo ip = spec.ipInfo();
        if (version == 4)
        {
            ipv4.wrap(buffer, offset, length);
            if (!ipv4.isValid())
            {
                errors.add("live packet is truncated or malformed: IPv4 header length=" + length);
                return new VerificationResult(errors);
            }
            if (!ipv4.isChecksumValid())
            {
                errors.add("bad outbound IPv4 header checksum");
            }
            check(errors, "ipv4_header_length", Ipv4Header.MIN_HEADER_LENGTH / 4, ipv4.headerLength() / 4);
            check(errors, "ipv4_protocol", protocol, ipv4.protocol());
            if (ip.ttl() != null)
            {
                check(errors, "ipv4_ttl", ip.ttl(), ipv4.ttl());
            }
            checkTos(errors, "ipv4", ip, ipv4.tos());
            l4 = offset + ipv4.headerLength();
            l4Length = ipv4.totalLength() - ipv4.headerLength();
            pseudo = ipv4.pseudoHeaderSum();
        }
        else
        {
            ipv6.wrap(buffer, offset, length);
            if (!ipv6.isValid() || !ipv6.parseExtensionHeaders())
            {
                errors.add("live packet is truncated or malformed: IPv6 header length=" + length);
                return new VerificationResult(errors);
            }
            check(errors, "ipv6_next_header", protocol, ipv6.upperLayerProtocol());
            if (ip.ttl() != null)
            {
                check(errors, "ipv6_hop_limit", ip.ttl(), ipv6.hopLimit());
            }
            checkTos(errors, "ipv6", ip, ipv6.trafficClass());
            if (ip.flowLabel() != null)
            {
                check(errors, "ipv6_flow_label", ip.flowLabel(), ipv6.flowLabel());
            }
            l4 = ipv6.upperLayerOffset();
            l4Length = ipv6.upperLayerLength();
            pseudo = ipv6.pseudoHeaderSum();
        }
        if (l4Length < 0 || l4 + l4Length > offset + length)
        {
            errors.add("live packet is truncated: transport length=" + l4Length + " captured=" + length);
            return new VerificationResult(errors);
        }
        if (spec.transport() instanceof TcpSpec t)
        {
            verifyTcp(errors, t, buffer, l4, l4Length, pseudo, mapping, version == 4);
        }
        else if (spec.transport() instanceof UdpSpec u)
        {
            udp.wrap(buffer, l4, l4Length);
            if (!udp.isValid())
            {
                errors.add("live packet is truncated: UDP length=" + l4Length);
                return new VerificationResult(errors);
            }
            check(errors, "udp_src_port", mapping.localPort(), udp.sourcePort());
            check(errors, "udp_dst_port", u.dstPort() != null ? u.dstPort() : mapping.remotePort(),
                udp.destinationPort());
            payload(errors, u.payloadLength(), udp.datagramLength() - UdpHeader.HEADER_LENGTH);
            if (checkTransportChecksums && !udp.isChecksumValid(pseudo))
            {
                errors.add("bad outbound UDP checksum");
            }
        }
        else
        {
            final IcmpSpec i = (IcmpSpec)spec.transport();
            final boolean v6 = mapping.isIpv6();
            final int type = IcmpCodes.type(v6, i.type());
            if (v6)
            {
                icmpv6.wrap(buffer, l4, l4Length);
                check(errors, "icmpv6_type", type, icmpv6.type());
                check(errors, "icmpv6_code", IcmpCodes.code(true, type, i.code()), icmpv6.code());
            }
            else
            {
                icmp.wrap(buffer, l4, l4Length);
                check(errors, "icmp_type", type, icmp.type());
                check(errors, "icmp_code", IcmpCodes.code(false, type, i.code()), icmp.code());
                if (checkTransportChecksums && !icmp.isChecksumValid(l4Length))
                {
                    errors.add("bad outbound ICMP checksum");
                }
            }
        }
        return new VerificationResult(errors);
    }

    private static int expectedProtocol(final PacketSpec spec, final ConnectionMapping mapping)
    {
        if (spec.transport() instanceof TcpSpec)
        {
            return IpProtocols.TCP;
        }
        if (spec.transport() instanceof UdpSpec)
        {
            return IpProtocols.UDP;
        }
        return mapping.isIpv6() ? IpProtocols.ICMPV6 : IpProtocols.ICMP;
    }

    private void checkTos(final List<String> errors, final String prefix, final IpInfo ip, final int tos)
    {
        if (ip.tos() != null)
        {
            check(errors, prefix + "_tos", ip.tos(), tos);
        }
        if (ip.ecn() == Ecn.ECT01)
        {
            if ((tos & 3) != 1 && (tos & 3) != 2)
            {
                errors.add("live packet field " + prefix + "_ecn: expected: ECT(0) or ECT(1) vs actual: " +
                    (tos & 3) + " (0x" + Integer.toHexString(tos & 3) + ")");
            }
        }
        else if (ip.ecn() != null)
        {
            check(errors, prefix + "_ecn", ip.ecn().bits(), tos & 3);
        }
    }

    private void verifyTcp(final List<String> errors, final TcpSpec t, final DirectBuffer buffer, final int l4,
        final int l4Length, final int pseudo, final ConnectionMapping mapping, final boolean ipv4Header)
    {
        tcp.wrap(buffer, l4, l4Length);
        if (!tcp.isValid())
        {
            errors.add("live packet is truncated: TCP length=" + l4Length);
            return;
        }
        if (mapping.localPort() == 0 && t.hasFlag('S'))
        {
            mapping.localPort(tcp.sourcePort());
        }
        check(errors, "tcp_src_port", t.srcPort() != null ? t.srcPort() : mapping.localPort(), tcp.sourcePort());
        check(errors, "tcp_dst_port", t.dstPort() != null ? t.dstPort() : mapping.remotePort(),
            tcp.destinationPort());
        final int expectedHeader = TcpHeader.MIN_HEADER_LENGTH + ((expectedOptionBytes(t) + 3) & ~3);
        if (!t.optionsUnchecked())
        {
            if (ipv4Header)
            {
                check(errors, "ipv4_total_length", Ipv4Header.MIN_HEADER_LENGTH + expectedHeader +
                    t.payloadLength(), Ipv4Header.MIN_HEADER_LENGTH + l4Length);
            }
            else
            {
                check(errors, "ipv6_payload_len", expectedHeader + t.payloadLength(), l4Length);
            }
            check(errors, "tcp_data_offset", expectedHeader / 4, tcp.headerLength() / 4);
        }
        final int expectedFlags = TcpFlags.bits(t.flags());
        final int liveFlags = tcp.flags();
        for (int i = 0; i < TcpFlags.count(); i++)
        {
            final int bit = TcpFlags.bit(i);
            check(errors, TcpFlags.field(i), (expectedFlags & bit) != 0 ? 1 : 0, (liveFlags & bit) != 0 ? 1 : 0);
        }
        final int reserved = (buffer.getByte(l4 + TcpHeader.DATA_OFFSET_OFFSET) >>> 1) & 0x7;
        check(errors, "tcp_reserved_bits", 0, reserved);
        final long liveSeq = tcp.sequence() & 0xFFFF_FFFFL;
        // Like packetdrill's tcp_convert_seq_number, the live packet's SYN bit picks absolute or ISN-relative.
        final boolean liveSyn = (liveFlags & TcpHeader.SYN) != 0;
        if (t.hasFlag('S'))
        {
            mapping.learnLocalIsn(t.startSequence(), liveSeq, t.hasFlag('.'));
        }
        if (!mapping.localIsnKnown())
        {
            errors.add("cannot map outbound sequence numbers: no SYN or SYN-ACK from the kernel seen yet");
        }
        else
        {
            check(errors, "tcp_seq", t.startSequence(), mapping.localToScript(liveSeq, liveSyn));
        }
        if (t.ack() != null)
        {
            check(errors, "tcp_ack_seq", t.ack(), mapping.remoteToScript(tcp.acknowledgement() & 0xFFFF_FFFFL,
                liveSyn));
        }
        if (t.window() != null)
        {
            check(errors, "tcp_window", t.window(), tcp.window());
        }
        if (t.urgentPointer() != null)
        {
            check(errors, "tcp_urg_ptr", t.urgentPointer(), tcp.urgentPointer());
        }
        if (!t.optionsUnchecked())
        {
            verifyOptions(errors, t.options(), buffer, l4, tcp.headerLength(), mapping, liveSyn);
        }
        payload(errors, t.payloadLength(), l4Length - tcp.headerLength());
        if (checkTransportChecksums && !tcp.isChecksumValid(pseudo, l4Length))
        {
            errors.add("bad outbound TCP checksum");
        }
    }

    private int expectedOptionBytes(final TcpSpec t)
    {
        if (t.optionsUnchecked())
        {
            return 0;
        }
        int bytes = 0;
        for (final TcpOption o : t.options())
        {
            bytes += options.length(o);
        }
        return bytes;
    }

    private void verifyOptions(final List<String> errors, final List<TcpOption> expected, final DirectBuffer buffer,
        final int l4, final int headerLength, final ConnectionMapping mapping, final boolean liveSyn)
    {
        // As packetdrill: both lists in order, NOP and EOL included; kinds must agree one by one.
        final List<int[]> live = liveOptions(errors, buffer, l4 + TcpHeader.MIN_HEADER_LENGTH, l4 + headerLength);
        if (live == null)
        {
            return;
        }
        final int n = Math.min(expected.size(), live.size());
        for (int i = 0; i < n; i++)
        {
            final TcpOption want = expected.get(i);
            final int liveAt = live.get(i)[0];
            final int liveKind = buffer.getByte(liveAt) & 0xFF;
            if (want.kind() != liveKind)
            {
                errors.add("bad outbound TCP options: expected kind " + want.kind() + " vs actual kind " + liveKind +
                    " at option " + (i + 1));
                return;
            }
            if (liveKind == TcpOption.KIND_NOP || liveKind == TcpOption.KIND_EOL)
            {
                continue;
            }
            final int liveLength = buffer.getByte(liveAt + 1) & 0xFF;
            final int wantLength = options.write(want, scratch, 0, v -> v, v -> v);
            if (want instanceof TcpOption.Timestamp ts)
            {
                // TS ecr is never compared; TS val only with --tcp_ts_tick_usecs. Remember the pair for mapping.
                final long liveVal = buffer.getInt(liveAt + 2, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
                if (tsTickUsecs > 0 && mapping.hasOutboundTimestamps())
                {
                    final long mapped = mapping.outboundTsValToScript(liveVal);
                    final long tolerance = Math.max(toleranceUsecs,
                        (long)(tolerancePercent / 100.0 * eventScriptMicros));
                    if (Math.abs((long)(int)(mapped - ts.val())) * tsTickUsecs > tolerance)
                    {
                        errors.add("bad outbound TCP timestamp value, tolerance " + tolerance + ": expected " +
                            ts.val() + " vs actual " + mapped + " (script space, " + tsTickUsecs + " us ticks)");
                    }
                }
                mapping.recordOutboundTimestamp(ts.val(), liveVal);
                continue;
            }
            if (wantLength != liveLength)
            {
                errors.add("bad lengths for outbound TCP option " + want.kind() + ": expected " + wantLength +
                    " vs actual " + liveLength);
                continue;
            }
            boolean same = true;
            for (int b = 2; b < wantLength; b += want instanceof TcpOption.Sack ? 4 : 1)
            {
                if (want instanceof TcpOption.Sack)
                {
                    final long edge = buffer.getInt(liveAt + b, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
                    final long expectedEdge = scratch.getInt(b, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
                    same &= mapping.remoteToScript(edge, liveSyn) == expectedEdge;
                }
                else
                {
                    same &= scratch.getByte(b) == buffer.getByte(liveAt + b);
                }
            }
            if (!same)
            {
                errors.add("bad value outbound TCP option " + liveKind + ": expected " + hex(scratch, 0, wantLength) +
                    " vs actual " + hex(buffer, liveAt, liveLength));
            }
        }
        // Zero padding after the options reads as one trailing EOL the script need not write.
        final boolean trailingEol = live.size() == expected.size() + 1 &&
            (buffer.getByte(live.get(live.size() - 1)[0]) & 0xFF) == TcpOption.KIND_EOL;
        if (expected.size() != live.size() && !trailingEol)
        {
            errors.add("bad outbound TCP options: expected " + expected.size() + " options vs actual " +
                live.size());
        }
    }

    private static List<int[]> liveOptions(final List<String> errors, final DirectBuffer buffer, final int from,
        final int to)
    {
        final List<int[]> found = new ArrayList<>();
        int p = from;
        while (p < to)
        {
            final int kind = buffer.getByte(p) & 0xFF;
            found.add(new int[] {p});
            if (kind == TcpOption.KIND_EOL)
            {
                // Everything after EOL is padding.
                break;
            }
            if (kind == TcpOption.KIND_NOP)
            {
                p++;
                continue;
            }
            if (p + 1 >= to || (buffer.getByte(p + 1) & 0xFF) < 2 || p + (buffer.getByte(p + 1) & 0xFF) > to)
            {
                errors.add("bad outbound TCP options: malformed option " + kind + " at offset " + (p - from));
                return null;
            }
            p += buffer.getByte(p + 1) & 0xFF;
        }
        return found;
    }

    private static void payload(final List<String> errors, final int expected, final int actual)
    {
        if (expected != actual)
        {
            errors.add("live packet payload: expected " + expected + " bytes vs actual " + actual + " bytes");
        }
    }

    private static void check(final List<String> errors, final String field, final long expected, final long actual)
    {
        if (expected != actual)
        {
            field(errors, field, expected, actual);
        }
    }

    private static void field(final List<String> errors, final String field, final long expected, final long actual)
    {
        errors.add("live packet field " + field + ": expected: " + expected + " (0x" + Long.toHexString(expected) +
            ") vs actual: " + actual + " (0x" + Long.toHexString(actual) + ")");
    }

    private static String hex(final DirectBuffer buffer, final int from, final int length)
    {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            out.append(String.format("%02x", buffer.getByte(from + i) & 0xFF));
        }
        return out.toString();
    }
}

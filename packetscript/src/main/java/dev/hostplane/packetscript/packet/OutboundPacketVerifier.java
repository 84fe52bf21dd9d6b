package dev.hostplane.packetscript.packet;

import java.nio.ByteOrder;
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
import dev.hostplane.packetscript.print.ScriptPrinter;
import dev.hostplane.vswitch.packet.IcmpHeader;
import dev.hostplane.vswitch.packet.Icmpv6Header;
import dev.hostplane.vswitch.packet.IpProtocols;
import dev.hostplane.vswitch.packet.Ipv4Header;
import dev.hostplane.vswitch.packet.Ipv6Header;
import dev.hostplane.vswitch.packet.TcpHeader;
import dev.hostplane.vswitch.packet.UdpHeader;

/**
 * Checks a live outbound packet (IP header first) against a script packet as packetdrill does: its
 * {@code do_outbound_script_packet} and {@code verify_outbound_live_packet}, in their order and words, stopping at
 * the first mismatch. Both the live runner and embedders that verify captured packets use this one verifier.
 *
 * <p>In order: the payload length (packetdrill compares it while it sniffs, before any header), the IPv4 header
 * checksum; IPv4 protocol, header length, total length, or IPv6 payload length and next header; ECN or TOS and
 * TTL only when the script gives them (IP id never); TCP data offset, the flags one by one (an AccECN ACE digit
 * compares AE, CWR and ECE as one number), reserved bits, seq and ack after mapping to script space, window
 * unless omitted, urgent pointer when given; an IPv6 flow label as packetdrill maps it (the first one seen per
 * connection names the script's); options pair by pair, NOP and EOL included ({@code <...>} skips options and
 * lengths; TS ecr never compared, TS val only with {@code --tcp_ts_tick_usecs}; SACK edges mapped; an MD5
 * digest only by length, since the kernel's cannot be written in a script). Payload bytes are not compared:
 * scripts give lengths only. A kernel SYN or SYN-ACK teaches the mapping the kernel's ISN (when not yet known)
 * and port; a matching packet's TS val is recorded for the TS mapping. Transport checksums are checked only
 * when asked for, because packets sniffed from a TUN device with checksum offload carry partial checksums.
 *
 * <p>Messages are packetdrill's, e.g.
 * {@code live packet field tcp_seq: expected: 1001 (0x3e9) vs actual: 2001 (0x7d1)},
 * {@code bad value in outbound TCP option (kind=2): expected: mss 1460 actual: mss 1160},
 * {@code live packet payload: expected 1000 bytes vs actual 2000 bytes}.
 */
public final class OutboundPacketVerifier
{
    private static final VerificationResult MATCHED = new VerificationResult(List.of());

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
     * @return the result: the first mismatch, or none.
     */
    public VerificationResult verify(final PacketSpec spec, final DirectBuffer buffer, final int offset,
        final int length, final ConnectionMapping mapping, final long eventScriptMicros)
    {
        if (spec.direction() != Direction.OUTBOUND)
        {
            throw new IllegalArgumentException("not an outbound packet: direction=" + spec.direction());
        }
        this.eventScriptMicros = eventScriptMicros;
        final String mismatch = firstMismatch(spec, buffer, offset, length, mapping);
        return null == mismatch ? MATCHED : new VerificationResult(List.of(mismatch));
    }

    private String firstMismatch(final PacketSpec spec, final DirectBuffer buffer, final int offset,
        final int length, final ConnectionMapping mapping)
    {
        if (length < 1)
        {
            return "live packet is empty";
        }
        final int version = (buffer.getByte(offset) & 0xFF) >>> 4;
        final int expectedVersion = mapping.isIpv6() ? 6 : 4;
        if (version != expectedVersion)
        {
            return field((6 == expectedVersion ? "ipv6" : "ipv4") + "_version", expectedVersion, version);
        }
        final int l4;
        final int l4Length;
        final int pseudo;
        final int protocol;
        if (version == 4)
        {
            ipv4.wrap(buffer, offset, length);
            if (!ipv4.isValid())
            {
                return "live packet is truncated or malformed: IPv4 header length=" + length;
            }
            l4 = offset + ipv4.headerLength();
            l4Length = ipv4.totalLength() - ipv4.headerLength();
            pseudo = ipv4.pseudoHeaderSum();
            protocol = ipv4.protocol();
        }
        else
        {
            ipv6.wrap(buffer, offset, length);
            if (!ipv6.isValid() || !ipv6.parseExtensionHeaders())
            {
                return "live packet is truncated or malformed: IPv6 header length=" + length;
            }
            l4 = ipv6.upperLayerOffset();
            l4Length = ipv6.upperLayerLength();
            pseudo = ipv6.pseudoHeaderSum();
            protocol = ipv6.upperLayerProtocol();
        }
        if (l4Length < 0 || l4 + l4Length > offset + length)
        {
            return "live packet is truncated: transport length=" + l4Length + " captured=" + length;
        }
        final int expectedProtocol = expectedProtocol(spec, mapping);
        final String payload = payloadMismatch(spec, protocol == expectedProtocol, buffer, l4, l4Length);
        if (null != payload)
        {
            return payload;
        }
        if (version == 4 && !ipv4.isChecksumValid())
        {
            return "bad outbound IP checksum";
        }
        final String ip = version == 4 ? verifyIpv4(spec, expectedProtocol) : verifyIpv6(spec, expectedProtocol);
        if (null != ip)
        {
            return ip;
        }
        if (spec.transport() instanceof TcpSpec t)
        {
            return verifyTcp(spec, t, buffer, l4, l4Length, pseudo, mapping, version);
        }
        if (spec.transport() instanceof UdpSpec u)
        {
            return verifyUdp(u, l4Length, pseudo, mapping);
        }
        return verifyIcmp((IcmpSpec)spec.transport(), buffer, l4, l4Length, mapping);
    }

    /** What packetdrill's sniffing loop checks first: the payload the script packet needs, summed over segments. */
    private String payloadMismatch(final PacketSpec spec, final boolean sameProtocol, final DirectBuffer buffer,
        final int l4, final int l4Length)
    {
        if (!sameProtocol)
        {
            return null;
        }
        if (spec.transport() instanceof TcpSpec t)
        {
            tcp.wrap(buffer, l4, l4Length);
            return tcp.isValid() ? payloadMismatch(t.payloadLength(), l4Length - tcp.headerLength()) : null;
        }
        if (spec.transport() instanceof UdpSpec u)
        {
            udp.wrap(buffer, l4, l4Length);
            return udp.isValid() ?
                payloadMismatch(u.payloadLength(), udp.datagramLength() - UdpHeader.HEADER_LENGTH) : null;
        }
        return null;
    }

    /**
     * packetdrill's words for a payload that does not add up to the script packet's.
     *
     * @param expected the script packet's payload length.
     * @param actual   the live payload, summed over the segments joined for one script packet.
     * @return the message, or null when the lengths agree.
     */
    public static String payloadMismatch(final int expected, final int actual)
    {
        return expected == actual ? null :
            "live packet payload: expected " + expected + " bytes vs actual " + actual + " bytes";
    }

    private String verifyIpv4(final PacketSpec spec, final int protocol)
    {
        String error = check("ipv4_protocol", protocol, ipv4.protocol());
        if (null == error)
        {
            error = check("ipv4_header_length", Ipv4Header.MIN_HEADER_LENGTH / 4, ipv4.headerLength() / 4);
        }
        final int expectedTransport = expectedTransportLength(spec);
        if (null == error && expectedTransport >= 0)
        {
            error = check("ipv4_total_length", ipv4.headerLength() + expectedTransport, ipv4.totalLength());
        }
        return null != error ? error : verifyTosAndTtl(spec.ipInfo(), ipv4.tos(), ipv4.ttl());
    }

    private String verifyIpv6(final PacketSpec spec, final int protocol)
    {
        final int expectedTransport = expectedTransportLength(spec);
        String error = expectedTransport >= 0 ?
            check("ipv6_payload_len", expectedTransport, ipv6.payloadLength()) : null;
        if (null == error)
        {
            error = check("ipv6_next_header", protocol, ipv6.upperLayerProtocol());
        }
        return null != error ? error : verifyTosAndTtl(spec.ipInfo(), ipv6.trafficClass(), ipv6.hopLimit());
    }

    /** The TCP header and payload the script packet takes, or -1 when it does not say (options unchecked). */
    private int expectedTransportLength(final PacketSpec spec)
    {
        if (!(spec.transport() instanceof TcpSpec t))
        {
            return -1;
        }
        final int optionBytes = expectedOptionBytes(t);
        return optionBytes < 0 ? -1 : TcpHeader.MIN_HEADER_LENGTH + optionBytes + t.payloadLength();
    }

    private static String verifyTosAndTtl(final IpInfo ip, final int tos, final int ttl)
    {
        final int ecn = tos & 3;
        if (null != ip.ecn() && ip.ecn() != Ecn.ECT01 && ip.ecn().bits() != ecn)
        {
            return field("ip_ecn", ip.ecn().bits(), ecn);
        }
        if (ip.ecn() == Ecn.ECT01 && 1 != ecn && 2 != ecn)
        {
            return "live packet field ip_ecn: expected: 0x1 or 0x2 vs actual: 0x" + Integer.toHexString(ecn);
        }
        // The ECN bits are the kernel's to set, and checked above only when written.
        if (null != ip.tos() && (ip.tos() & 0xFC) != (tos & 0xFC))
        {
            return field("tos", ip.tos(), tos);
        }
        if (null != ip.ttl() && ip.ttl() != ttl)
        {
            return field("ttl", ip.ttl(), ttl);
        }
        return null;
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

    private String verifyUdp(final UdpSpec u, final int l4Length, final int pseudo, final ConnectionMapping mapping)
    {
        if (!udp.isValid())
        {
            return "live packet is truncated: UDP length=" + l4Length;
        }
        String error = check("udp_src_port", mapping.localPort(), udp.sourcePort());
        if (null == error)
        {
            error = check("udp_dst_port", u.dstPort() != null ? u.dstPort() : mapping.remotePort(),
                udp.destinationPort());
        }
        if (null == error && checkTransportChecksums && !udp.isChecksumValid(pseudo))
        {
            error = "bad outbound UDP checksum";
        }
        return error;
    }

    private String verifyIcmp(final IcmpSpec i, final DirectBuffer buffer, final int l4, final int l4Length,
        final ConnectionMapping mapping)
    {
        final boolean v6 = mapping.isIpv6();
        final int type = IcmpCodes.type(v6, i.type());
        if (v6)
        {
            icmpv6.wrap(buffer, l4, l4Length);
            final String error = check("icmpv6_type", type, icmpv6.type());
            return null != error ? error : check("icmpv6_code", IcmpCodes.code(true, type, i.code()), icmpv6.code());
        }
        icmp.wrap(buffer, l4, l4Length);
        String error = check("icmp_type", type, icmp.type());
        if (null == error)
        {
            error = check("icmp_code", IcmpCodes.code(false, type, i.code()), icmp.code());
        }
        if (null == error && checkTransportChecksums && !icmp.isChecksumValid(l4Length))
        {
            error = "bad outbound ICMP checksum";
        }
        return error;
    }

    private String verifyTcp(final PacketSpec spec, final TcpSpec t, final DirectBuffer buffer, final int l4,
        final int l4Length, final int pseudo, final ConnectionMapping mapping, final int version)
    {
        tcp.wrap(buffer, l4, l4Length);
        if (!tcp.isValid())
        {
            return "live packet is truncated: TCP length=" + l4Length;
        }
        final int liveFlags = tcp.flags();
        final boolean liveSyn = (liveFlags & TcpHeader.SYN) != 0;
        if (mapping.localPort() == 0 && t.hasFlag('S'))
        {
            mapping.localPort(tcp.sourcePort());
        }
        final long liveSeq = tcp.sequence() & 0xFFFF_FFFFL;
        if (t.hasFlag('S') && !mapping.localIsnKnown())
        {
            mapping.learnLocalIsn(t.startSequence(), liveSeq, t.hasFlag('.'));
        }
        final String header = verifyTcpHeader(t, buffer, l4, liveFlags, liveSeq, liveSyn, mapping);
        if (null != header)
        {
            return header;
        }
        if (6 == version && null != spec.ipInfo().flowLabel())
        {
            final String flowLabel = mapping.verifyFlowLabel(spec.ipInfo().flowLabel(), ipv6.flowLabel());
            if (null != flowLabel)
            {
                return flowLabel;
            }
        }
        if (!t.optionsUnchecked())
        {
            final String options = verifyOptions(t.options(), buffer, l4 + TcpHeader.MIN_HEADER_LENGTH,
                l4 + tcp.headerLength(), mapping);
            if (null != options)
            {
                return options;
            }
        }
        if (checkTransportChecksums && !tcp.isChecksumValid(pseudo, l4Length))
        {
            return "bad outbound TCP checksum";
        }
        recordTimestamps(t, buffer, l4 + TcpHeader.MIN_HEADER_LENGTH, l4 + tcp.headerLength(), mapping);
        return null;
    }

    private String verifyTcpHeader(final TcpSpec t, final DirectBuffer buffer, final int l4, final int liveFlags,
        final long liveSeq, final boolean liveSyn, final ConnectionMapping mapping)
    {
        final int optionBytes = expectedOptionBytes(t);
        if (optionBytes >= 0)
        {
            final String error = check("tcp_data_offset", (TcpHeader.MIN_HEADER_LENGTH + optionBytes) / 4,
                tcp.headerLength() / 4);
            if (null != error)
            {
                return error;
            }
        }
        final int expectedFlags = TcpFlags.bits(t.flags());
        // With an ACE digit packetdrill compares AE, CWR and ECE as one number (tcp_ace), in place of the three.
        final boolean ace = t.ace() > 0;
        for (int i = 0; i < TcpFlags.count(); i++)
        {
            final int bit = TcpFlags.bit(i);
            if (ace && bit == TcpHeader.ECE)
            {
                final String error = check("tcp_ace", ace(expectedFlags), ace(liveFlags));
                if (null != error)
                {
                    return error;
                }
                break;
            }
            final String error = check(TcpFlags.field(i), (expectedFlags & bit) != 0 ? 1 : 0,
                (liveFlags & bit) != 0 ? 1 : 0);
            if (null != error)
            {
                return error;
            }
        }
        String error = check("tcp_reserved_bits", 0, (buffer.getByte(l4 + TcpHeader.DATA_OFFSET_OFFSET) >>> 1) & 0x7);
        if (null != error)
        {
            return error;
        }
        if (!mapping.localIsnKnown())
        {
            return "cannot map outbound sequence numbers: no SYN or SYN-ACK from the kernel seen yet";
        }
        // Like packetdrill's tcp_convert_seq_number, the live packet's SYN bit picks absolute or ISN-relative.
        error = check("tcp_seq", t.startSequence() & 0xFFFF_FFFFL, mapping.localToScript(liveSeq, liveSyn));
        if (null == error && t.ack() != null)
        {
            error = check("tcp_ack_seq", t.ack() & 0xFFFF_FFFFL,
                mapping.remoteToScript(tcp.acknowledgement() & 0xFFFF_FFFFL, liveSyn));
        }
        if (null == error && t.window() != null)
        {
            error = check("tcp_window", t.window(), tcp.window());
        }
        if (null == error && t.urgentPointer() != null)
        {
            error = check("tcp_urg_ptr", t.urgentPointer(), tcp.urgentPointer());
        }
        return error;
    }

    private static int ace(final int flags)
    {
        return ((flags & TcpHeader.AE) != 0 ? 4 : 0) | ((flags & TcpHeader.CWR) != 0 ? 2 : 0) |
            ((flags & TcpHeader.ECE) != 0 ? 1 : 0);
    }

    /** Bytes the script's options take on the wire, unpadded; -1 when unchecked or a length is not known. */
    private int expectedOptionBytes(final TcpSpec t)
    {
        if (t.optionsUnchecked())
        {
            return -1;
        }
        int bytes = 0;
        try
        {
            for (final TcpOption o : t.options())
            {
                bytes += options.length(o);
            }
        }
        catch (final PacketBuildException ex)
        {
            return -1;
        }
        return bytes;
    }

    private String verifyOptions(final List<TcpOption> expected, final DirectBuffer buffer, final int from,
        final int to, final ConnectionMapping mapping)
    {
        final List<byte[]> live = liveOptions(buffer, from, to);
        // Trailing EOL padding in the live packet is not written in scripts.
        while (!live.isEmpty() && TcpOption.KIND_EOL == live.get(live.size() - 1)[0] && live.size() > expected.size())
        {
            live.remove(live.size() - 1);
        }
        // As packetdrill: pair by pair in order; a missing option or another kind ends the check.
        for (int i = 0, n = Math.max(expected.size(), live.size()); i < n; i++)
        {
            if (i >= expected.size() || i >= live.size() || expected.get(i).kind() != (live.get(i)[0] & 0xFF))
            {
                return "bad outbound TCP options";
            }
            final String error = verifyOption(expected.get(i), live.get(i), mapping);
            if (null != error)
            {
                return error;
            }
        }
        return null;
    }

    private String verifyOption(final TcpOption want, final byte[] live, final ConnectionMapping mapping)
    {
        if (want instanceof TcpOption.Nop || want instanceof TcpOption.Eol)
        {
            return null;
        }
        if (want instanceof TcpOption.Timestamp ts)
        {
            if (tsTickUsecs > 0 && mapping.hasOutboundTimestamps() && live.length == 10)
            {
                final long mapped = mapping.outboundTsValToScript(TcpOptionCodec.u32(live, 2));
                final long tolerance = Math.max(toleranceUsecs, (long)(tolerancePercent / 100.0 * eventScriptMicros));
                // The difference taken mod 2^32, so a val just below the first one reads as negative.
                if (Math.abs((long)(int)(mapped - ts.val())) * tsTickUsecs > tolerance)
                {
                    return "bad outbound TCP timestamp value, tolerance " + tolerance;
                }
            }
            return null;
        }
        final int wantLength = options.write(want, scratch, 0, v -> v, v -> v);
        boolean same = wantLength == live.length;
        if (same && !(want instanceof TcpOption.Md5))
        {
            for (int b = 2; b < wantLength; b += want instanceof TcpOption.Sack ? 4 : 1)
            {
                if (want instanceof TcpOption.Sack)
                {
                    same &= mapping.remoteToScript(TcpOptionCodec.u32(live, b)) ==
                        (scratch.getInt(b, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL);
                }
                else
                {
                    same &= scratch.getByte(b) == live[b];
                }
            }
        }
        if (same)
        {
            return null;
        }
        return (wantLength != live.length ? "bad length" : "bad value") + " in outbound TCP option (kind=" +
            want.kind() + "): expected: " + ScriptPrinter.options(List.of(want)) + " actual: " +
            describeInScriptSpace(live, mapping);
    }

    /** One live option as packetdrill prints it, SACK blocks mapped to script sequence numbers as it compares them. */
    private static String describeInScriptSpace(final byte[] option, final ConnectionMapping mapping)
    {
        if (TcpOption.KIND_SACK == (option[0] & 0xFF))
        {
            final StringBuilder text = new StringBuilder("sack");
            for (int b = 2; b + 8 <= option.length; b += 8)
            {
                text.append(' ').append(mapping.remoteToScript(TcpOptionCodec.u32(option, b))).append(':')
                    .append(mapping.remoteToScript(TcpOptionCodec.u32(option, b + 4)));
            }
            return text.toString();
        }
        final String text = TcpOptionCodec.describe(List.of(option));
        return text.substring(1, text.length() - 1);
    }

    /** Once a packet matched, its TS val pairs with the script's, so later TS vals and inbound ecrs can be mapped. */
    private static void recordTimestamps(final TcpSpec t, final DirectBuffer buffer, final int from, final int to,
        final ConnectionMapping mapping)
    {
        if (null == t.options())
        {
            return;
        }
        long liveVal = -1;
        for (final byte[] option : liveOptions(buffer, from, to))
        {
            if (TcpOption.KIND_TIMESTAMP == (option[0] & 0xFF) && option.length == 10)
            {
                liveVal = TcpOptionCodec.u32(option, 2);
                break;
            }
        }
        if (liveVal < 0)
        {
            return;
        }
        for (final TcpOption option : t.options())
        {
            if (option instanceof TcpOption.Timestamp ts)
            {
                mapping.recordOutboundTimestamp(ts.val(), liveVal);
            }
        }
    }

    /**
     * The live packet's options in wire order, NOP and EOL as one byte each; the scan stops at EOL (the rest is
     * padding) and at an option whose length does not fit.
     *
     * @param buffer holds the packet.
     * @param from   first option byte.
     * @param to     end of the TCP header.
     * @return whole options (kind, length, value).
     */
    static List<byte[]> liveOptions(final DirectBuffer buffer, final int from, final int to)
    {
        final List<byte[]> found = new ArrayList<>();
        int p = from;
        while (p < to)
        {
            final int kind = buffer.getByte(p) & 0xFF;
            if (kind == TcpOption.KIND_EOL || kind == TcpOption.KIND_NOP)
            {
                found.add(new byte[] {(byte)kind});
                p++;
                if (kind == TcpOption.KIND_EOL)
                {
                    break;
                }
                continue;
            }
            final int optionLength = p + 1 < to ? buffer.getByte(p + 1) & 0xFF : 0;
            if (optionLength < 2 || p + optionLength > to)
            {
                break;
            }
            final byte[] option = new byte[optionLength];
            buffer.getBytes(p, option);
            found.add(option);
            p += optionLength;
        }
        return found;
    }

    private static String check(final String field, final long expected, final long actual)
    {
        return expected != actual ? field(field, expected, actual) : null;
    }

    private static String field(final String field, final long expected, final long actual)
    {
        return "live packet field " + field + ": expected: " + expected + " (0x" + Long.toHexString(expected) +
            ") vs actual: " + actual + " (0x" + Long.toHexString(actual) + ")";
    }
}

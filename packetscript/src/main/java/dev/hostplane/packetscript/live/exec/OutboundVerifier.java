package dev.hostplane.packetscript.live.exec;

import dev.hostplane.packetscript.linux.LinuxSymbols;
import dev.hostplane.packetscript.model.IpInfo;
import dev.hostplane.packetscript.model.TcpOption;
import dev.hostplane.packetscript.model.TcpSpec;
import dev.hostplane.packetscript.packet.ConnectionMapping;
import dev.hostplane.packetscript.packet.TcpOptionCodec;
import dev.hostplane.packetscript.print.ScriptPrinter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compares a sniffed outbound TCP packet with the script's expectation, field by field as
 * packetdrill's {@code verify_outbound_live_packet} does, in script space: IP version and
 * protocol, ECN/TOS/TTL only when written, the TCP flags, seq/ack after mapping, window unless
 * omitted, urgent pointer, options by kind and value ({@code <...>} skips them; TS val only with
 * {@code --tcp_ts_tick_usecs}, TS ecr never) and payload length. Returns the first mismatch as
 * packetdrill words it.
 */
final class OutboundVerifier
{
    // Only lengths are asked of it, and options of outbound packets carry no symbols that need definitions.
    private static final TcpOptionCodec OPTION_LENGTHS = new TcpOptionCodec(java.util.Map.of());

    private OutboundVerifier()
    {
    }

    /**
     * The payload check packetdrill makes while it sniffs, over the segments it aggregated for one script packet.
     *
     * @param payloadLength the sniffed payload, summed over the aggregated segments.
     * @param tcp           the script's packet.
     * @return packetdrill's words for a mismatch, or null when the lengths agree.
     */
    static String payloadMismatch(final int payloadLength, final TcpSpec tcp)
    {
        if (payloadLength == tcp.payloadLength())
        {
            return null;
        }
        return "live packet payload: expected " + tcp.payloadLength() + " bytes vs actual " + payloadLength + " bytes";
    }

    static String verify(
        final LivePacket live, final int payloadLength, final int flags, final TcpSpec tcp, final IpInfo ip,
        final ConnectionMapping connection, final boolean wireIpv6, final long tsTickUsecs, final long tsToleranceMicros)
    {
        // packetdrill compares the (aggregated) payload length while it sniffs, before any header field.
        final String payloadMismatch = payloadMismatch(payloadLength, tcp);
        if (null != payloadMismatch)
        {
            return payloadMismatch;
        }
        final String v = wireIpv6 ? "ipv6" : "ipv4";
        if (live.ipVersion != (wireIpv6 ? 6 : 4))
        {
            return field(v + "_version", wireIpv6 ? 6 : 4, live.ipVersion);
        }
        if (!live.isTcp())
        {
            return field(wireIpv6 ? "ipv6_next_header" : "ipv4_protocol", LivePacket.TCP, live.protocol);
        }
        final int scriptOptionsLength = optionsLength(tcp.options());
        if (scriptOptionsLength >= 0)
        {
            // The IP length tells a missing or extra option before the options are compared one by one.
            final int expected = 20 + scriptOptionsLength + tcp.payloadLength();
            final int actual = live.dataOffset() + payloadLength;
            if (expected != actual)
            {
                return wireIpv6 ? field("ipv6_payload_len", expected, actual) :
                    field("ipv4_total_length", live.ipHeaderLength + expected, live.ipHeaderLength + actual);
            }
        }
        if (null != ip.ecn() && ip.ecn().bits() >= 0 && ip.ecn().bits() != live.ecn())
        {
            return field("ip_ecn", ip.ecn().bits(), live.ecn());
        }
        if (null != ip.ecn() && ip.ecn().bits() < 0 && (1 != live.ecn() && 2 != live.ecn()))
        {
            return "live packet field ip_ecn: expected: 0x1 or 0x2 vs actual: 0x" + Integer.toHexString(live.ecn());
        }
        if (null != ip.tos() && (ip.tos() & 0xFC) != (live.tos & 0xFC))
        {
            return field("tos", ip.tos(), live.tos);
        }
        if (null != ip.ttl() && ip.ttl() != live.ttl)
        {
            return field("ttl", ip.ttl(), live.ttl);
        }
        final int expectedFlags = LivePacket.flagBits(tcp.flags());
        final String[] names = {"tcp_fin", "tcp_syn", "tcp_rst", "tcp_psh", "tcp_ack", "tcp_urg", "tcp_ece", "tcp_cwr",
            "tcp_ae"};
        // With an ACE digit packetdrill compares AE, CWR and ECE as one number (tcp_ace), in place of the three.
        final boolean ace = tcp.ace() > 0;
        for (int bit = 0; bit < names.length; bit++)
        {
            if (ace && 6 == bit)
            {
                final int e = LivePacket.ace(expectedFlags);
                final int a = LivePacket.ace(flags);
                if (e != a)
                {
                    return field("tcp_ace", e, a);
                }
                break;
            }
            final int e = (expectedFlags >> bit) & 1;
            final int a = (flags >> bit) & 1;
            if (e != a)
            {
                return field(names[bit], e, a);
            }
        }
        final boolean syn = 0 != (flags & 0x02);
        final long seq = connection.localToScript(live.seq(), syn);
        if (seq != (tcp.startSequence() & 0xFFFFFFFFL))
        {
            return field("tcp_seq", tcp.startSequence(), seq);
        }
        final long ack = connection.remoteToScript(live.ack(), syn);
        if (null != tcp.ack() && (tcp.ack() & 0xFFFFFFFFL) != ack)
        {
            return field("tcp_ack_seq", tcp.ack(), ack);
        }
        if (null != tcp.window() && tcp.window() != live.window())
        {
            return field("tcp_window", tcp.window(), live.window());
        }
        if (null != tcp.urgentPointer() && tcp.urgentPointer() != live.urgentPointer())
        {
            return field("tcp_urg_ptr", tcp.urgentPointer(), live.urgentPointer());
        }
        final String options = verifyOptions(live, tcp, connection, tsTickUsecs, tsToleranceMicros);
        if (null != options)
        {
            return options;
        }
        return null;
    }

    /** Records TS val pairs once a packet matched, so inbound TS ecr can be mapped. */
    static void learnTimestamps(final LivePacket live, final TcpSpec tcp, final ConnectionMapping connection)
    {
        if (null == tcp.options())
        {
            return;
        }
        final long liveVal = live.timestampValue();
        if (liveVal < 0)
        {
            return;
        }
        for (final TcpOption option : tcp.options())
        {
            if (option instanceof TcpOption.Timestamp ts)
            {
                connection.recordOutboundTimestamp(ts.val(), liveVal);
            }
        }
    }

    private static String verifyOptions(
        final LivePacket live, final TcpSpec tcp, final ConnectionMapping connection, final long tsTickUsecs,
        final long tsToleranceMicros)
    {
        if (null == tcp.options())
        {
            return null;
        }
        final List<byte[]> actual = live.options();
        final List<TcpOption> expected = new ArrayList<>(tcp.options());
        // Trailing EOL padding in the live packet is not written in scripts.
        while (!actual.isEmpty() && 0 == actual.get(actual.size() - 1)[0] && actual.size() > expected.size())
        {
            actual.remove(actual.size() - 1);
        }
        // packetdrill's words: the packet lines that follow show both option lists.
        if (actual.size() != expected.size())
        {
            return "bad outbound TCP options";
        }
        for (int i = 0; i < expected.size(); i++)
        {
            final TcpOption e = expected.get(i);
            final byte[] a = actual.get(i);
            final int kind = a[0] & 0xFF;
            if (e.kind() != kind)
            {
                return "bad outbound TCP options";
            }
            if (e instanceof TcpOption.Timestamp)
            {
                final String ts = verifyOption(e, a, connection, tsTickUsecs, tsToleranceMicros);
                if (null != ts)
                {
                    return ts;
                }
                continue;
            }
            if (null != verifyOption(e, a, connection, tsTickUsecs, tsToleranceMicros))
            {
                return (optionsLength(List.of(e)) != a.length ? "bad length" : "bad value") + " in outbound TCP option (kind=" +
                    e.kind() + "): expected: " + ScriptPrinter.options(List.of(e)) + " actual: " +
                    describeInScriptSpace(a, connection);
            }
        }
        return null;
    }

    private static String verifyOption(
        final TcpOption e, final byte[] a, final ConnectionMapping connection, final long tsTickUsecs,
        final long tsToleranceMicros)
    {
        if (e instanceof TcpOption.Mss mss)
        {
            if (a.length != 4)
            {
                return "length " + a.length;
            }
            final long value = mss.value().isSymbolic() ? valueOf(mss.value().symbol()) :
                mss.value().value();
            final int live = ((a[2] & 0xFF) << 8) | (a[3] & 0xFF);
            return value == live ? null : "expected mss " + value + " vs actual " + live;
        }
        if (e instanceof TcpOption.WindowScale ws)
        {
            return a.length == 3 && (a[2] & 0xFF) == ws.shift() ? null :
                "expected wscale " + ws.shift() + " vs actual " + (a.length == 3 ? a[2] & 0xFF : -1);
        }
        if (e instanceof TcpOption.SackPermitted)
        {
            return a.length == 2 ? null : "length " + a.length;
        }
        if (e instanceof TcpOption.Sack sack)
        {
            if (a.length != 2 + 8 * sack.blocks().size())
            {
                return "expected " + sack.blocks().size() + " sack blocks vs actual " + (a.length - 2) / 8;
            }
            for (int b = 0; b < sack.blocks().size(); b++)
            {
                final long left = connection.remoteToScript(u32(a, 2 + 8 * b));
                final long right = connection.remoteToScript(u32(a, 6 + 8 * b));
                final TcpOption.SackBlock block = sack.blocks().get(b);
                if (left != (block.left() & 0xFFFFFFFFL) || right != (block.right() & 0xFFFFFFFFL))
                {
                    return "expected sack " + block.left() + ":" + block.right() + " vs actual " + left + ":" + right;
                }
            }
            return null;
        }
        if (e instanceof TcpOption.Timestamp ts)
        {
            if (a.length != 10)
            {
                return "length " + a.length;
            }
            if (tsTickUsecs > 0 && connection.hasOutboundTimestamps())
            {
                final long scriptVal = connection.outboundTsValToScript(u32(a, 2));
                // The difference taken mod 2^32, so a val just below the first one reads as negative.
                if (Math.abs((long)(int)(scriptVal - ts.val())) * tsTickUsecs > tsToleranceMicros)
                {
                    return "bad outbound TCP timestamp value, tolerance " + tsToleranceMicros;
                }
            }
            return null;
        }
        if (e instanceof TcpOption.FastOpen fo)
        {
            final byte[] cookie = hexBytes(fo.cookie());
            final int header = fo.experimental() ? 4 : 2;
            final byte[] live = Arrays.copyOfRange(a, Math.min(header, a.length), a.length);
            if (!Arrays.equals(cookie, live))
            {
                return "expected FO cookie " + hex(cookie) + " vs actual " + hex(live);
            }
            return null;
        }
        if (e instanceof TcpOption.AccEcn accEcn)
        {
            final byte[] expected = new byte[2 + 3 * accEcn.counters().size()];
            for (int i = 0; i < accEcn.counters().size(); i++)
            {
                final long counter = accEcn.counters().get(i);
                expected[2 + 3 * i] = (byte)(counter >>> 16);
                expected[3 + 3 * i] = (byte)(counter >>> 8);
                expected[4 + 3 * i] = (byte)counter;
            }
            expected[0] = a[0];
            expected[1] = (byte)expected.length;
            return Arrays.equals(expected, a) ? null :
                "expected " + describe(List.of(expected)) + " vs actual " + describe(List.of(a));
        }
        if (e instanceof TcpOption.Md5)
        {
            return a.length == 18 ? null : "length " + a.length;
        }
        return null;
    }

    private static long valueOf(final String symbol)
    {
        final Long value = LinuxSymbols.value(symbol);
        if (null == value)
        {
            throw new IllegalArgumentException("unknown symbol in packet: " + symbol);
        }
        return value;
    }

    private static byte[] hexBytes(final String text)
    {
        if (null == text || text.isEmpty())
        {
            return new byte[0];
        }
        final String digits = text.startsWith("0x") ? text.substring(2) : text;
        final byte[] bytes = new byte[digits.length() / 2];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    private static long u32(final byte[] a, final int offset)
    {
        return ((a[offset] & 0xFFL) << 24) | ((a[offset + 1] & 0xFFL) << 16) | ((a[offset + 2] & 0xFFL) << 8) |
            (a[offset + 3] & 0xFFL);
    }

    private static String hex(final byte[] bytes)
    {
        final StringBuilder text = new StringBuilder();
        for (final byte b : bytes)
        {
            text.append(String.format("%02x", b & 0xFF));
        }
        return text.toString();
    }

    /** Bytes the options take on the wire; -1 when the script does not check options (or a length is unknown). */
    private static int optionsLength(final List<TcpOption> options)
    {
        if (null == options)
        {
            return -1;
        }
        int length = 0;
        try
        {
            for (final TcpOption option : options)
            {
                length += OPTION_LENGTHS.length(option);
            }
        }
        catch (final RuntimeException ex)
        {
            return -1;
        }
        return length;
    }

    /** One live option as packetdrill prints it, SACK blocks mapped to script sequence numbers as it compares them. */
    private static String describeInScriptSpace(final byte[] option, final ConnectionMapping connection)
    {
        if (5 == (option[0] & 0xFF))
        {
            final StringBuilder text = new StringBuilder("sack");
            for (int b = 2; b + 8 <= option.length; b += 8)
            {
                text.append(' ').append(connection.remoteToScript(u32(option, b))).append(':')
                    .append(connection.remoteToScript(u32(option, b + 4)));
            }
            return text.toString();
        }
        final String text = describe(List.of(option));
        return text.substring(1, text.length() - 1);
    }

    static String describe(final List<byte[]> options)
    {
        final StringBuilder text = new StringBuilder("<");
        for (final byte[] option : options)
        {
            if (text.length() > 1)
            {
                text.append(',');
            }
            final int kind = option[0] & 0xFF;
            switch (kind)
            {
                case 0:
                    text.append("eol");
                    break;
                case 1:
                    text.append("nop");
                    break;
                case 2:
                    text.append("mss ").append(((option[2] & 0xFF) << 8) | (option[3] & 0xFF));
                    break;
                case 3:
                    text.append("wscale ").append(option[2] & 0xFF);
                    break;
                case 4:
                    text.append("sackOK");
                    break;
                case 5:
                    text.append("sack");
                    for (int b = 2; b + 8 <= option.length; b += 8)
                    {
                        text.append(' ').append(u32(option, b)).append(':').append(u32(option, b + 4));
                    }
                    break;
                case 19:
                    text.append("md5 ").append(hex(Arrays.copyOfRange(option, Math.min(2, option.length),
                        option.length)));
                    break;
                case 8:
                    text.append("TS val ").append(u32(option, 2)).append(" ecr ").append(u32(option, 6));
                    break;
                case 34:
                    text.append("FO ").append(hex(Arrays.copyOfRange(option, 2, option.length)));
                    break;
                case 254:
                    text.append("FOEXP ").append(hex(Arrays.copyOfRange(option, Math.min(4, option.length),
                        option.length)));
                    break;
                case TcpOption.KIND_ACCECN0:
                case TcpOption.KIND_ACCECN1:
                    text.append("ECN");
                    for (int i = 0; 2 + 3 * i + 3 <= option.length && i < 3; i++)
                    {
                        text.append(' ').append(TcpOption.AccEcn.label(kind == TcpOption.KIND_ACCECN1, i)).append(' ')
                            .append(((option[2 + 3 * i] & 0xFF) << 16) | ((option[3 + 3 * i] & 0xFF) << 8) |
                                (option[4 + 3 * i] & 0xFF));
                    }
                    break;
                default:
                    text.append("kind ").append(kind).append(" len ").append(option.length);
                    break;
            }
        }
        return text.append('>').toString();
    }

    static String field(final String name, final long expected, final long actual)
    {
        return "live packet field " + name + ": expected: " + expected + " (0x" + Long.toHexString(expected) +
            ") vs actual: " + actual + " (0x" + Long.toHexString(actual) + ")";
    }
}

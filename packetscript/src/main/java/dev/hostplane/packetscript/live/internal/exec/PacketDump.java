package dev.hostplane.packetscript.live.internal.exec;

import dev.hostplane.packetscript.model.TcpSpec;
import dev.hostplane.packetscript.packet.ConnectionMapping;
import dev.hostplane.packetscript.packet.TcpOptionCodec;
import dev.hostplane.packetscript.print.ScriptPrinter;

import java.util.List;
import java.util.Locale;

/**
 * Packets as packetdrill prints them under an outbound packet's error ({@code packet_to_string}, short format):
 * {@code script packet:  0.100000 S. 0:0(0) ack 1 <mss 1460,nop,wscale 8>} and the same for the actual packet,
 * flags in tcpdump's order, the ACE field as a digit when the script wrote one.
 */
final class PacketDump
{
    private PacketDump()
    {
    }

    /**
     * The script's packet.
     *
     * @param tcp    what the script expects.
     * @param micros its script time.
     * @return {@code script packet: ...}.
     */
    static String script(final TcpSpec tcp, final long micros)
    {
        final StringBuilder text = head("script", micros);
        final String flags = tcp.flags();
        for (final char c : "FSRP.U".toCharArray())
        {
            if (flags.indexOf(c) >= 0)
            {
                text.append(c);
            }
        }
        if (tcp.ace() > 0)
        {
            text.append((char)('0' + tcp.ace()));
        }
        else
        {
            for (final char c : "EWA".toCharArray())
            {
                if (flags.indexOf(c) >= 0)
                {
                    text.append(c);
                }
            }
        }
        text.append(' ').append(tcp.startSequence()).append(':').append(tcp.endSequence()).append('(')
            .append(tcp.payloadLength()).append(')');
        if (tcp.hasFlag('.') && null != tcp.ack())
        {
            text.append(" ack ").append(tcp.ack());
        }
        if (null != tcp.window())
        {
            text.append(" win ").append(tcp.window());
        }
        if (null != tcp.options() && !tcp.options().isEmpty())
        {
            text.append(" <").append(ScriptPrinter.options(tcp.options())).append('>');
        }
        return text.toString();
    }

    /**
     * The packet the kernel sent, its sequence numbers in script space.
     *
     * @param live       the sniffed packet.
     * @param connection maps its sequence numbers.
     * @param micros     when it left, in script time.
     * @return {@code actual packet: ...}.
     */
    static String actual(final LivePacket live, final ConnectionMapping connection, final long micros)
    {
        final StringBuilder text = head("actual", micros);
        final int flags = live.flags();
        final char[] letters = {'F', 'S', 'R', 'P', '.', 'U', 'E', 'W', 'A'};
        final int[] bits = {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x100};
        for (int i = 0; i < letters.length; i++)
        {
            if (0 != (flags & bits[i]))
            {
                text.append(letters[i]);
            }
        }
        final boolean syn = 0 != (flags & 0x02);
        final long seq = connection.localToScript(live.seq(), syn);
        text.append(' ').append(seq).append(':').append(seq + live.payloadLength()).append('(')
            .append(live.payloadLength()).append(')');
        if (0 != (flags & 0x10))
        {
            text.append(" ack ").append(connection.remoteToScript(live.ack(), syn));
        }
        text.append(" win ").append(live.window());
        final List<byte[]> options = live.options();
        if (!options.isEmpty())
        {
            text.append(' ').append(TcpOptionCodec.describe(options));
        }
        return text.toString();
    }

    private static StringBuilder head(final String type, final long micros)
    {
        return new StringBuilder(type).append(" packet: ").append(String.format(Locale.ROOT, "%9.6f", micros / 1e6))
            .append(' ');
    }
}

package dev.hostplane.packetscript.live.sys;

import com.sun.jna.Memory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@code getsockopt(SOL_TCP, TCP_INFO)} and names its fields as the kernel's
 * {@code struct tcp_info} (uapi/linux/tcp.h, 280 bytes on 6.18) does; fields beyond what the
 * running kernel returned are left out. packetdrill hands these to {@code %{ }%} blocks as
 * {@code tcpi_*} variables.
 */
public final class TcpInfo
{
    /** Buffer size asked for: larger than any kernel's struct so far. */
    public static final int MAX_SIZE = 512;

    // name, offset, size in bytes; sub-byte fields are handled separately.
    private static final Object[][] FIELDS = {
        {"tcpi_state", 0, 1}, {"tcpi_ca_state", 1, 1}, {"tcpi_retransmits", 2, 1}, {"tcpi_probes", 3, 1},
        {"tcpi_backoff", 4, 1}, {"tcpi_options", 5, 1},
        {"tcpi_rto", 8, 4}, {"tcpi_ato", 12, 4}, {"tcpi_snd_mss", 16, 4}, {"tcpi_rcv_mss", 20, 4},
        {"tcpi_unacked", 24, 4}, {"tcpi_sacked", 28, 4}, {"tcpi_lost", 32, 4}, {"tcpi_retrans", 36, 4},
        {"tcpi_fackets", 40, 4}, {"tcpi_last_data_sent", 44, 4}, {"tcpi_last_ack_sent", 48, 4},
        {"tcpi_last_data_recv", 52, 4}, {"tcpi_last_ack_recv", 56, 4}, {"tcpi_pmtu", 60, 4},
        {"tcpi_rcv_ssthresh", 64, 4}, {"tcpi_rtt", 68, 4}, {"tcpi_rttvar", 72, 4}, {"tcpi_snd_ssthresh", 76, 4},
        {"tcpi_snd_cwnd", 80, 4}, {"tcpi_advmss", 84, 4}, {"tcpi_reordering", 88, 4}, {"tcpi_rcv_rtt", 92, 4},
        {"tcpi_rcv_space", 96, 4}, {"tcpi_total_retrans", 100, 4},
        {"tcpi_pacing_rate", 104, 8}, {"tcpi_max_pacing_rate", 112, 8}, {"tcpi_bytes_acked", 120, 8},
        {"tcpi_bytes_received", 128, 8}, {"tcpi_segs_out", 136, 4}, {"tcpi_segs_in", 140, 4},
        {"tcpi_notsent_bytes", 144, 4}, {"tcpi_min_rtt", 148, 4}, {"tcpi_data_segs_in", 152, 4},
        {"tcpi_data_segs_out", 156, 4}, {"tcpi_delivery_rate", 160, 8}, {"tcpi_busy_time", 168, 8},
        {"tcpi_rwnd_limited", 176, 8}, {"tcpi_sndbuf_limited", 184, 8}, {"tcpi_delivered", 192, 4},
        {"tcpi_delivered_ce", 196, 4}, {"tcpi_bytes_sent", 200, 8}, {"tcpi_bytes_retrans", 208, 8},
        {"tcpi_dsack_dups", 216, 4}, {"tcpi_reord_seen", 220, 4}, {"tcpi_rcv_ooopack", 224, 4},
        {"tcpi_snd_wnd", 228, 4}, {"tcpi_rcv_wnd", 232, 4}, {"tcpi_rehash", 236, 4},
        {"tcpi_total_rto", 240, 2}, {"tcpi_total_rto_recoveries", 242, 2}, {"tcpi_total_rto_time", 244, 4},
    };

    private TcpInfo()
    {
    }

    /**
     * Reads TCP_INFO of a socket.
     *
     * @param fd the socket.
     * @return field name to value (unsigned), or null when getsockopt fails (see {@link LibC#errno()}).
     */
    public static Map<String, Long> read(final int fd)
    {
        final Memory buffer = new Memory(MAX_SIZE);
        buffer.clear();
        final Memory length = new Memory(4);
        length.setInt(0, MAX_SIZE);
        if (0 != LibC.getsockopt(fd, LinuxConstants.SOL_TCP, LinuxConstants.TCP_INFO, buffer, length))
        {
            return null;
        }
        return decode(buffer, length.getInt(0));
    }

    /**
     * Decodes the fields present in {@code length} bytes of a {@code struct tcp_info}.
     *
     * @param buffer the struct.
     * @param length how many bytes the kernel filled.
     * @return field name to value (unsigned).
     */
    public static Map<String, Long> decode(final com.sun.jna.Pointer buffer, final int length)
    {
        final Map<String, Long> fields = new LinkedHashMap<>();
        for (final Object[] field : FIELDS)
        {
            final int offset = (Integer)field[1];
            final int size = (Integer)field[2];
            if (offset + size > length)
            {
                continue;
            }
            final long value;
            switch (size)
            {
                case 1:
                    value = buffer.getByte(offset) & 0xFFL;
                    break;
                case 2:
                    value = buffer.getShort(offset) & 0xFFFFL;
                    break;
                case 4:
                    value = buffer.getInt(offset) & 0xFFFFFFFFL;
                    break;
                default:
                    value = buffer.getLong(offset);
                    break;
            }
            fields.put((String)field[0], value);
        }
        if (length > 7)
        {
            final int wscale = buffer.getByte(6) & 0xFF;
            fields.put("tcpi_snd_wscale", (long)(wscale & 0x0F));
            fields.put("tcpi_rcv_wscale", (long)(wscale >> 4));
            final int bits = buffer.getByte(7) & 0xFF;
            fields.put("tcpi_delivery_rate_app_limited", (long)(bits & 0x1));
            fields.put("tcpi_fastopen_client_fail", (long)((bits >> 1) & 0x3));
        }
        return fields;
    }
}

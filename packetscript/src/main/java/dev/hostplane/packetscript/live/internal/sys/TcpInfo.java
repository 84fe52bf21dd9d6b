package dev.hostplane.packetscript.live.internal.sys;

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
    /** {@code SK_MEMINFO_*} in the kernel's order (uapi/linux/sock_diag.h). */
    private static final String[] MEMINFO = {
        "SK_MEMINFO_RMEM_ALLOC", "SK_MEMINFO_RCVBUF", "SK_MEMINFO_WMEM_ALLOC", "SK_MEMINFO_SNDBUF",
        "SK_MEMINFO_FWD_ALLOC", "SK_MEMINFO_WMEM_QUEUED", "SK_MEMINFO_OPTMEM", "SK_MEMINFO_BACKLOG",
        "SK_MEMINFO_DROPS"};

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
        {"tcpi_received_ce", 248, 4}, {"tcpi_delivered_e1_bytes", 252, 4}, {"tcpi_delivered_e0_bytes", 256, 4},
        {"tcpi_delivered_ce_bytes", 260, 4}, {"tcpi_received_e1_bytes", 264, 4}, {"tcpi_received_e0_bytes", 268, 4},
        {"tcpi_received_ce_bytes", 272, 4},
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
     * Decodes {@code TCP_CC_INFO}.
     *
     * @param buffer the union.
     * @param length how many bytes the kernel filled (0 for Reno and CUBIC).
     * @return name to value.
     */
    public static Map<String, Long> decodeCcInfo(final com.sun.jna.Pointer buffer, final int length)
    {
        // A union: packetdrill names the bytes as each of BBR's, DCTCP's and Vegas' structs when long enough.
        final Map<String, Long> fields = new LinkedHashMap<>();
        if (length >= 20)
        {
            final long lo = buffer.getInt(0) & 0xFFFFFFFFL;
            final long hi = buffer.getInt(4) & 0xFFFFFFFFL;
            fields.put("bbr_bw_lo", lo);
            fields.put("bbr_bw_hi", hi);
            fields.put("bbr_bw", (hi << 32) + lo);
            fields.put("bbr_min_rtt", buffer.getInt(8) & 0xFFFFFFFFL);
            fields.put("bbr_pacing_gain", buffer.getInt(12) & 0xFFFFFFFFL);
            fields.put("bbr_cwnd_gain", buffer.getInt(16) & 0xFFFFFFFFL);
        }
        if (length >= 16)
        {
            fields.put("dctcp_enabled", buffer.getShort(0) & 0xFFFFL);
            fields.put("dctcp_ce_state", buffer.getShort(2) & 0xFFFFL);
            fields.put("dctcp_alpha", buffer.getInt(4) & 0xFFFFFFFFL);
            fields.put("dctcp_ab_ecn", buffer.getInt(8) & 0xFFFFFFFFL);
            fields.put("dctcp_ab_tot", buffer.getInt(12) & 0xFFFFFFFFL);
            fields.put("tcpv_enabled", buffer.getInt(0) & 0xFFFFFFFFL);
            fields.put("tcpv_rttcnt", buffer.getInt(4) & 0xFFFFFFFFL);
            fields.put("tcp_rtt", buffer.getInt(8) & 0xFFFFFFFFL);
            fields.put("tcp_minrtt", buffer.getInt(12) & 0xFFFFFFFFL);
        }
        return fields;
    }

    /**
     * Reads {@code TCP_CC_INFO} and {@code SO_MEMINFO} of a socket as packetdrill hands them to {@code %{ }%}
     * blocks after the {@code tcpi_*} variables: the congestion control's fields ({@code bbr_*}, {@code dctcp_*},
     * {@code tcpv_*}; none for Reno or CUBIC) and {@code SK_MEMINFO_*}.
     *
     * @param fd the socket.
     * @return name to value; what the kernel refuses is left out.
     */
    public static Map<String, Long> readCcAndMemInfo(final int fd)
    {
        final Map<String, Long> fields = new LinkedHashMap<>();
        final Memory buffer = new Memory(MAX_SIZE);
        buffer.clear();
        final Memory length = new Memory(4);
        length.setInt(0, 64);
        if (0 == LibC.getsockopt(fd, LinuxConstants.SOL_TCP, LinuxConstants.TCP_CC_INFO, buffer, length))
        {
            fields.putAll(decodeCcInfo(buffer, length.getInt(0)));
        }
        buffer.clear();
        length.setInt(0, 4 * MEMINFO.length);
        if (0 == LibC.getsockopt(fd, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_MEMINFO, buffer, length))
        {
            fields.putAll(decodeMemInfo(buffer, length.getInt(0)));
        }
        return fields;
    }

    /**
     * Names the {@code u32} counters of {@code SO_MEMINFO} as packetdrill does ({@code SK_MEMINFO_RMEM_ALLOC}...).
     *
     * @param buffer the counters.
     * @param length how many bytes the kernel filled.
     * @return name to value.
     */
    public static Map<String, Long> decodeMemInfo(final com.sun.jna.Pointer buffer, final int length)
    {
        final Map<String, Long> fields = new LinkedHashMap<>();
        for (int i = 0; i < MEMINFO.length && 4 * i + 4 <= length; i++)
        {
            fields.put(MEMINFO[i], buffer.getInt(4L * i) & 0xFFFFFFFFL);
        }
        return fields;
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
        if (length >= 280)
        {
            // u32 tcpi_ecn_mode:2, tcpi_accecn_opt_seen:2, tcpi_accecn_fail_mode:4, tcpi_options2:24 (low bits first).
            final long ecn = buffer.getInt(276) & 0xFFFFFFFFL;
            fields.put("tcpi_ecn_mode", ecn & 0x3);
            fields.put("tcpi_accecn_opt_seen", (ecn >> 2) & 0x3);
            fields.put("tcpi_accecn_fail_mode", (ecn >> 4) & 0xF);
            fields.put("tcpi_options2", ecn >> 8);
        }
        return fields;
    }
}

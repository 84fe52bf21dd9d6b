package dev.hostplane.packetscript.live.exec;

import dev.hostplane.packetscript.live.sys.Errno;

import java.util.HashMap;
import java.util.Map;

/**
 * Linux (x86_64) values of the symbolic constants packetdrill scripts use in syscalls and python
 * blocks: socket levels and options, MSG_*, O_*, F_*, POLL*, EPOLL*, SIOC*, SO_EE_*, SOF_*,
 * TCP states and TCPI_* bits, and every errno name.
 */
public final class Symbols
{
    private static final Map<String, Long> VALUES = new HashMap<>();

    static
    {
        final String[] pairs = {
            "SOL_SOCKET", "1",
            "SOL_TCP", "6",
            "SOL_IP", "0",
            "SOL_IPV6", "41",
            "SOL_UDP", "17",
            "IPPROTO_IP", "0",
            "IPPROTO_TCP", "6",
            "IPPROTO_UDP", "17",
            "IPPROTO_IPV6", "41",
            "IPPROTO_ICMP", "1",
            "IPPROTO_ICMPV6", "58",
            "SOCK_STREAM", "1",
            "SOCK_DGRAM", "2",
            "SOCK_RAW", "3",
            "SOCK_NONBLOCK", "2048",
            "SOCK_CLOEXEC", "524288",
            "AF_UNSPEC", "0",
            "AF_INET", "2",
            "AF_INET6", "10",
            "PF_INET", "2",
            "PF_INET6", "10",
            "SO_DEBUG", "1",
            "SO_REUSEADDR", "2",
            "SO_TYPE", "3",
            "SO_ERROR", "4",
            "SO_DONTROUTE", "5",
            "SO_BROADCAST", "6",
            "SO_SNDBUF", "7",
            "SO_RCVBUF", "8",
            "SO_KEEPALIVE", "9",
            "SO_OOBINLINE", "10",
            "SO_NO_CHECK", "11",
            "SO_PRIORITY", "12",
            "SO_LINGER", "13",
            "SO_REUSEPORT", "15",
            "SO_RCVLOWAT", "18",
            "SO_SNDLOWAT", "19",
            "SO_RCVTIMEO", "20",
            "SO_SNDTIMEO", "21",
            "SO_TIMESTAMP", "29",
            "SO_TIMESTAMPNS", "35",
            "SO_MARK", "36",
            "SO_TIMESTAMPING", "37",
            "SO_MAX_PACING_RATE", "47",
            "SO_INCOMING_CPU", "49",
            "SO_ZEROCOPY", "60",
            "SO_TXTIME", "61",
            "TCP_NODELAY", "1",
            "TCP_MAXSEG", "2",
            "TCP_CORK", "3",
            "TCP_KEEPIDLE", "4",
            "TCP_KEEPINTVL", "5",
            "TCP_KEEPCNT", "6",
            "TCP_SYNCNT", "7",
            "TCP_LINGER2", "8",
            "TCP_DEFER_ACCEPT", "9",
            "TCP_WINDOW_CLAMP", "10",
            "TCP_INFO", "11",
            "TCP_QUICKACK", "12",
            "TCP_CONGESTION", "13",
            "TCP_MD5SIG", "14",
            "TCP_THIN_LINEAR_TIMEOUTS", "16",
            "TCP_THIN_DUPACK", "17",
            "TCP_USER_TIMEOUT", "18",
            "TCP_REPAIR", "19",
            "TCP_REPAIR_QUEUE", "20",
            "TCP_QUEUE_SEQ", "21",
            "TCP_REPAIR_OPTIONS", "22",
            "TCP_FASTOPEN", "23",
            "TCP_TIMESTAMP", "24",
            "TCP_NOTSENT_LOWAT", "25",
            "TCP_CC_INFO", "26",
            "TCP_SAVE_SYN", "27",
            "TCP_SAVED_SYN", "28",
            "TCP_REPAIR_WINDOW", "29",
            "TCP_FASTOPEN_CONNECT", "30",
            "TCP_ULP", "31",
            "TCP_MD5SIG_EXT", "32",
            "TCP_FASTOPEN_KEY", "33",
            "TCP_FASTOPEN_NO_COOKIE", "34",
            "TCP_ZEROCOPY_RECEIVE", "35",
            "TCP_INQ", "36",
            "TCP_CM_INQ", "36",
            "TCP_TX_DELAY", "37",
            "IP_TOS", "1",
            "IP_TTL", "2",
            "IP_MTU_DISCOVER", "10",
            "IP_RECVERR", "11",
            "IP_FREEBIND", "15",
            "IP_PMTUDISC_DONT", "0",
            "IP_PMTUDISC_WANT", "1",
            "IP_PMTUDISC_DO", "2",
            "IP_PMTUDISC_PROBE", "3",
            "IPV6_RECVERR", "25",
            "IPV6_TCLASS", "67",
            "IPV6_MTU_DISCOVER", "23",
            "MSG_OOB", "1",
            "MSG_PEEK", "2",
            "MSG_DONTROUTE", "4",
            "MSG_CTRUNC", "8",
            "MSG_TRUNC", "32",
            "MSG_DONTWAIT", "64",
            "MSG_EOR", "128",
            "MSG_WAITALL", "256",
            "MSG_NOSIGNAL", "16384",
            "MSG_MORE", "32768",
            "MSG_ERRQUEUE", "8192",
            "MSG_FASTOPEN", "536870912",
            "MSG_ZEROCOPY", "67108864",
            "MSG_CMSG_CLOEXEC", "1073741824",
            "O_RDONLY", "0",
            "O_WRONLY", "1",
            "O_RDWR", "2",
            "O_CREAT", "64",
            "O_TRUNC", "512",
            "O_APPEND", "1024",
            "O_NONBLOCK", "2048",
            "O_CLOEXEC", "524288",
            "F_DUPFD", "0",
            "F_GETFD", "1",
            "F_SETFD", "2",
            "F_GETFL", "3",
            "F_SETFL", "4",
            "FD_CLOEXEC", "1",
            "POLLIN", "1",
            "POLLPRI", "2",
            "POLLOUT", "4",
            "POLLERR", "8",
            "POLLHUP", "16",
            "POLLNVAL", "32",
            "POLLRDNORM", "64",
            "POLLRDBAND", "128",
            "POLLWRNORM", "256",
            "POLLWRBAND", "512",
            "POLLMSG", "1024",
            "POLLRDHUP", "8192",
            "EPOLLIN", "1",
            "EPOLLPRI", "2",
            "EPOLLOUT", "4",
            "EPOLLERR", "8",
            "EPOLLHUP", "16",
            "EPOLLRDNORM", "64",
            "EPOLLRDBAND", "128",
            "EPOLLWRNORM", "256",
            "EPOLLWRBAND", "512",
            "EPOLLMSG", "1024",
            "EPOLLRDHUP", "8192",
            "EPOLLEXCLUSIVE", "268435456",
            "EPOLLWAKEUP", "536870912",
            "EPOLLONESHOT", "1073741824",
            "EPOLLET", "2147483648",
            "EPOLL_CTL_ADD", "1",
            "EPOLL_CTL_DEL", "2",
            "EPOLL_CTL_MOD", "3",
            "SHUT_RD", "0",
            "SHUT_WR", "1",
            "SHUT_RDWR", "2",
            "SIOCINQ", "21531",
            "FIONREAD", "21531",
            "SIOCOUTQ", "21521",
            "TIOCOUTQ", "21521",
            "SIOCOUTQNSD", "35147",
            "FIONBIO", "21537",
            "SO_EE_ORIGIN_NONE", "0",
            "SO_EE_ORIGIN_LOCAL", "1",
            "SO_EE_ORIGIN_ICMP", "2",
            "SO_EE_ORIGIN_ICMP6", "3",
            "SO_EE_ORIGIN_TXSTATUS", "4",
            "SO_EE_ORIGIN_TIMESTAMPING", "4",
            "SO_EE_ORIGIN_ZEROCOPY", "5",
            "SO_EE_ORIGIN_TXTIME", "6",
            "SO_EE_CODE_ZEROCOPY_COPIED", "1",
            "SCM_TIMESTAMPING", "37",
            "SCM_TSTAMP_SND", "0",
            "SCM_TSTAMP_SCHED", "1",
            "SCM_TSTAMP_ACK", "2",
            "SOF_TIMESTAMPING_TX_HARDWARE", "1",
            "SOF_TIMESTAMPING_TX_SOFTWARE", "2",
            "SOF_TIMESTAMPING_RX_HARDWARE", "4",
            "SOF_TIMESTAMPING_RX_SOFTWARE", "8",
            "SOF_TIMESTAMPING_SOFTWARE", "16",
            "SOF_TIMESTAMPING_SYS_HARDWARE", "32",
            "SOF_TIMESTAMPING_RAW_HARDWARE", "64",
            "SOF_TIMESTAMPING_OPT_ID", "128",
            "SOF_TIMESTAMPING_TX_SCHED", "256",
            "SOF_TIMESTAMPING_TX_ACK", "512",
            "SOF_TIMESTAMPING_OPT_CMSG", "1024",
            "SOF_TIMESTAMPING_OPT_TSONLY", "2048",
            "SOF_TIMESTAMPING_OPT_STATS", "4096",
            "SOF_TIMESTAMPING_OPT_PKTINFO", "8192",
            "SOF_TIMESTAMPING_OPT_TX_SWHW", "16384",
            "TCP_ESTABLISHED", "1",
            "TCP_SYN_SENT", "2",
            "TCP_SYN_RECV", "3",
            "TCP_FIN_WAIT1", "4",
            "TCP_FIN_WAIT2", "5",
            "TCP_TIME_WAIT", "6",
            "TCP_CLOSE", "7",
            "TCP_CLOSE_WAIT", "8",
            "TCP_LAST_ACK", "9",
            "TCP_LISTEN", "10",
            "TCP_CLOSING", "11",
            "TCP_CA_Open", "0",
            "TCP_CA_Disorder", "1",
            "TCP_CA_CWR", "2",
            "TCP_CA_Recovery", "3",
            "TCP_CA_Loss", "4",
            "TCPI_OPT_TIMESTAMPS", "1",
            "TCPI_OPT_SACK", "2",
            "TCPI_OPT_WSCALE", "4",
            "TCPI_OPT_ECN", "8",
            "TCPI_OPT_ECN_SEEN", "16",
            "TCPI_OPT_SYN_DATA", "32",
            "TCPI_OPT_USEC_TS", "64",
            "TCPI_OPT_TFO_CHILD", "128",
            "TCP_INFINITE_SSTHRESH", "2147483647",
            "NULL", "0",
        };
        for (int i = 0; i < pairs.length; i += 2)
        {
            VALUES.put(pairs[i], Long.parseLong(pairs[i + 1]));
        }
    }

    private Symbols()
    {
    }

    /**
     * The value of a constant or errno name.
     *
     * @param name e.g. {@code SO_REUSEADDR} or {@code EAGAIN}.
     * @return the value, or null when unknown.
     */
    public static Long value(final String name)
    {
        final Long value = VALUES.get(name);
        if (null != value)
        {
            return value;
        }
        final int errno = Errno.value(name);
        return errno >= 0 ? Long.valueOf(errno) : null;
    }

    /**
     * Every constant, for python blocks that use TCPI_* and TCP_* names.
     *
     * @return name to value (a copy).
     */
    public static Map<String, Long> all()
    {
        return new HashMap<>(VALUES);
    }
}

package dev.hostplane.packetscript.linux;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import dev.hostplane.packetscript.model.Expression;

/**
 * The symbolic constants packetdrill scripts use, with their Linux x86_64 values (kernel 6.x uapi headers):
 * address families, socket types, protocols, socket/IP/TCP options, {@code MSG_*}, {@code POLL*},
 * {@code EPOLL*}, {@code SIOC*}, {@code F_*}/{@code O_*}, {@code SOF_TIMESTAMPING_*}, {@code SO_EE_*},
 * {@code TCPI_*}, TCP states and congestion-avoidance states, and every errno name (see {@link Errno}).
 *
 * <p>Use {@link #evaluate(Expression, Map)} to turn a syscall argument such as {@code O_RDWR|O_NONBLOCK} into its
 * value; definitions ({@code -D CMSG_LEVEL_IP=SOL_IP}) are followed first.
 */
public final class LinuxSymbols
{
    private static final String TABLE = """
        NULL=0 INADDR_ANY=0
        AF_UNSPEC=0 AF_UNIX=1 AF_LOCAL=1 AF_INET=2 AF_INET6=10 AF_NETLINK=16 AF_PACKET=17
        PF_UNSPEC=0 PF_UNIX=1 PF_INET=2 PF_INET6=10 PF_NETLINK=16 PF_PACKET=17
        SOCK_STREAM=1 SOCK_DGRAM=2 SOCK_RAW=3 SOCK_RDM=4 SOCK_SEQPACKET=5 SOCK_NONBLOCK=0x800 SOCK_CLOEXEC=0x80000
        IPPROTO_IP=0 IPPROTO_ICMP=1 IPPROTO_TCP=6 IPPROTO_UDP=17 IPPROTO_IPV6=41 IPPROTO_GRE=47
        IPPROTO_ICMPV6=58 IPPROTO_SCTP=132 IPPROTO_UDPLITE=136 IPPROTO_RAW=255 IPPROTO_MPTCP=262
        SOL_IP=0 SOL_SOCKET=1 SOL_TCP=6 SOL_UDP=17 SOL_IPV6=41 SOL_RAW=255 SOL_PACKET=263
        SO_DEBUG=1 SO_REUSEADDR=2 SO_TYPE=3 SO_ERROR=4 SO_DONTROUTE=5 SO_BROADCAST=6 SO_SNDBUF=7 SO_RCVBUF=8
        SO_KEEPALIVE=9 SO_OOBINLINE=10 SO_NO_CHECK=11 SO_PRIORITY=12 SO_LINGER=13 SO_BSDCOMPAT=14
        SO_REUSEPORT=15 SO_PASSCRED=16 SO_PEERCRED=17 SO_RCVLOWAT=18 SO_SNDLOWAT=19 SO_RCVTIMEO=20
        SO_SNDTIMEO=21 SO_BINDTODEVICE=25 SO_ATTACH_FILTER=26 SO_DETACH_FILTER=27 SO_PEERNAME=28
        SO_TIMESTAMP=29 SO_ACCEPTCONN=30 SO_PEERSEC=31 SO_SNDBUFFORCE=32 SO_RCVBUFFORCE=33 SO_PASSSEC=34
        SO_TIMESTAMPNS=35 SO_MARK=36 SO_TIMESTAMPING=37 SO_PROTOCOL=38 SO_DOMAIN=39 SO_RXQ_OVFL=40
        SO_WIFI_STATUS=41 SO_PEEK_OFF=42 SO_NOFCS=43 SO_LOCK_FILTER=44 SO_SELECT_ERR_QUEUE=45 SO_BUSY_POLL=46
        SO_MAX_PACING_RATE=47 SO_BPF_EXTENSIONS=48 SO_INCOMING_CPU=49 SO_ATTACH_BPF=50
        SO_ATTACH_REUSEPORT_CBPF=51 SO_ATTACH_REUSEPORT_EBPF=52 SO_CNX_ADVICE=53 SO_MEMINFO=55
        SO_INCOMING_NAPI_ID=56 SO_COOKIE=57 SO_PEERGROUPS=59 SO_ZEROCOPY=60 SO_TXTIME=61 SO_BINDTOIFINDEX=62
        SCM_RIGHTS=1 SCM_CREDENTIALS=2 SCM_TIMESTAMP=29 SCM_TIMESTAMPNS=35 SCM_TIMESTAMPING=37
        SCM_WIFI_STATUS=41 SCM_TXTIME=61
        SCM_TSTAMP_SND=0 SCM_TSTAMP_SCHED=1 SCM_TSTAMP_ACK=2
        SOF_TIMESTAMPING_TX_HARDWARE=0x1 SOF_TIMESTAMPING_TX_SOFTWARE=0x2 SOF_TIMESTAMPING_RX_HARDWARE=0x4
        SOF_TIMESTAMPING_RX_SOFTWARE=0x8 SOF_TIMESTAMPING_SOFTWARE=0x10 SOF_TIMESTAMPING_SYS_HARDWARE=0x20
        SOF_TIMESTAMPING_RAW_HARDWARE=0x40 SOF_TIMESTAMPING_OPT_ID=0x80 SOF_TIMESTAMPING_TX_SCHED=0x100
        SOF_TIMESTAMPING_TX_ACK=0x200 SOF_TIMESTAMPING_OPT_CMSG=0x400 SOF_TIMESTAMPING_OPT_TSONLY=0x800
        SOF_TIMESTAMPING_OPT_STATS=0x1000 SOF_TIMESTAMPING_OPT_PKTINFO=0x2000
        SOF_TIMESTAMPING_OPT_TX_SWHW=0x4000 SOF_TIMESTAMPING_BIND_PHC=0x8000 SOF_TIMESTAMPING_OPT_ID_TCP=0x10000
        SO_EE_ORIGIN_NONE=0 SO_EE_ORIGIN_LOCAL=1 SO_EE_ORIGIN_ICMP=2 SO_EE_ORIGIN_ICMP6=3
        SO_EE_ORIGIN_TXSTATUS=4 SO_EE_ORIGIN_TIMESTAMPING=4 SO_EE_ORIGIN_ZEROCOPY=5 SO_EE_ORIGIN_TXTIME=6
        SO_EE_CODE_ZEROCOPY_COPIED=1 SO_EE_CODE_TXTIME_INVALID_PARAM=1 SO_EE_CODE_TXTIME_MISSED=2
        IP_TOS=1 IP_TTL=2 IP_HDRINCL=3 IP_OPTIONS=4 IP_RECVOPTS=6 IP_RETOPTS=7 IP_PKTINFO=8 IP_PKTOPTIONS=9
        IP_MTU_DISCOVER=10 IP_RECVERR=11 IP_RECVTTL=12 IP_RECVTOS=13 IP_MTU=14 IP_FREEBIND=15
        IP_TRANSPARENT=19 IP_BIND_ADDRESS_NO_PORT=24
        IP_PMTUDISC_DONT=0 IP_PMTUDISC_WANT=1 IP_PMTUDISC_DO=2 IP_PMTUDISC_PROBE=3 IP_PMTUDISC_INTERFACE=4
        IP_PMTUDISC_OMIT=5
        IPV6_FLOWINFO=11 IPV6_UNICAST_HOPS=16 IPV6_MTU_DISCOVER=23 IPV6_MTU=24 IPV6_RECVERR=25 IPV6_V6ONLY=26
        IPV6_FLOWLABEL_MGR=32 IPV6_FLOWINFO_SEND=33 IPV6_RECVPKTINFO=49 IPV6_DONTFRAG=62 IPV6_TCLASS=67
        TCP_NODELAY=1 TCP_MAXSEG=2 TCP_CORK=3 TCP_KEEPIDLE=4 TCP_KEEPINTVL=5 TCP_KEEPCNT=6 TCP_SYNCNT=7
        TCP_LINGER2=8 TCP_DEFER_ACCEPT=9 TCP_WINDOW_CLAMP=10 TCP_INFO=11 TCP_QUICKACK=12 TCP_CONGESTION=13
        TCP_MD5SIG=14 TCP_THIN_LINEAR_TIMEOUTS=16 TCP_THIN_DUPACK=17 TCP_USER_TIMEOUT=18 TCP_REPAIR=19
        TCP_REPAIR_QUEUE=20 TCP_QUEUE_SEQ=21 TCP_REPAIR_OPTIONS=22 TCP_FASTOPEN=23 TCP_TIMESTAMP=24
        TCP_NOTSENT_LOWAT=25 TCP_CC_INFO=26 TCP_SAVE_SYN=27 TCP_SAVED_SYN=28 TCP_REPAIR_WINDOW=29
        TCP_FASTOPEN_CONNECT=30 TCP_ULP=31 TCP_MD5SIG_EXT=32 TCP_FASTOPEN_KEY=33 TCP_FASTOPEN_NO_COOKIE=34
        TCP_ZEROCOPY_RECEIVE=35 TCP_INQ=36 TCP_CM_INQ=36 TCP_TX_DELAY=37
        MSG_OOB=0x1 MSG_PEEK=0x2 MSG_DONTROUTE=0x4 MSG_CTRUNC=0x8 MSG_PROXY=0x10 MSG_TRUNC=0x20
        MSG_DONTWAIT=0x40 MSG_EOR=0x80 MSG_WAITALL=0x100 MSG_FIN=0x200 MSG_SYN=0x400 MSG_CONFIRM=0x800
        MSG_RST=0x1000 MSG_ERRQUEUE=0x2000 MSG_NOSIGNAL=0x4000 MSG_MORE=0x8000 MSG_WAITFORONE=0x10000
        MSG_BATCH=0x40000 MSG_ZEROCOPY=0x4000000 MSG_FASTOPEN=0x20000000 MSG_CMSG_CLOEXEC=0x40000000
        POLLIN=0x1 POLLPRI=0x2 POLLOUT=0x4 POLLERR=0x8 POLLHUP=0x10 POLLNVAL=0x20 POLLRDNORM=0x40
        POLLRDBAND=0x80 POLLWRNORM=0x100 POLLWRBAND=0x200 POLLMSG=0x400 POLLREMOVE=0x1000 POLLRDHUP=0x2000
        EPOLLIN=0x1 EPOLLPRI=0x2 EPOLLOUT=0x4 EPOLLERR=0x8 EPOLLHUP=0x10 EPOLLRDNORM=0x40 EPOLLRDBAND=0x80
        EPOLLWRNORM=0x100 EPOLLWRBAND=0x200 EPOLLMSG=0x400 EPOLLRDHUP=0x2000 EPOLLEXCLUSIVE=0x10000000
        EPOLLWAKEUP=0x20000000 EPOLLONESHOT=0x40000000 EPOLLET=0x80000000
        EPOLL_CTL_ADD=1 EPOLL_CTL_DEL=2 EPOLL_CTL_MOD=3 EPOLL_CLOEXEC=0x80000
        SHUT_RD=0 SHUT_WR=1 SHUT_RDWR=2
        F_DUPFD=0 F_GETFD=1 F_SETFD=2 F_GETFL=3 F_SETFL=4 F_GETLK=5 F_SETLK=6 F_SETLKW=7 F_SETOWN=8
        F_GETOWN=9 F_SETSIG=10 F_GETSIG=11 F_DUPFD_CLOEXEC=1030 F_SETPIPE_SZ=1031 F_GETPIPE_SZ=1032 FD_CLOEXEC=1
        O_RDONLY=0 O_WRONLY=1 O_RDWR=2 O_CREAT=0x40 O_EXCL=0x80 O_NOCTTY=0x100 O_TRUNC=0x200 O_APPEND=0x400
        O_NONBLOCK=0x800 O_NDELAY=0x800 O_DSYNC=0x1000 O_ASYNC=0x2000 O_DIRECT=0x4000 O_LARGEFILE=0x8000
        O_DIRECTORY=0x10000 O_NOFOLLOW=0x20000 O_NOATIME=0x40000 O_CLOEXEC=0x80000 O_SYNC=0x101000
        O_PATH=0x200000 O_TMPFILE=0x410000
        FIONREAD=0x541B SIOCINQ=0x541B TIOCOUTQ=0x5411 SIOCOUTQ=0x5411 FIONBIO=0x5421 SIOCATMARK=0x8905
        SIOCGSTAMP=0x8906 SIOCGSTAMPNS=0x8907 SIOCOUTQNSD=0x894B
        SPLICE_F_MOVE=1 SPLICE_F_NONBLOCK=2 SPLICE_F_MORE=4 SPLICE_F_GIFT=8
        TCPI_OPT_TIMESTAMPS=1 TCPI_OPT_SACK=2 TCPI_OPT_WSCALE=4 TCPI_OPT_ECN=8 TCPI_OPT_ECN_SEEN=16
        TCPI_OPT_SYN_DATA=32 TCPI_OPT_USEC_TS=64 TCPI_OPT_TFO_CHILD=128
        TCP_CA_Open=0 TCP_CA_Disorder=1 TCP_CA_CWR=2 TCP_CA_Recovery=3 TCP_CA_Loss=4
        TCP_ESTABLISHED=1 TCP_SYN_SENT=2 TCP_SYN_RECV=3 TCP_FIN_WAIT1=4 TCP_FIN_WAIT2=5 TCP_TIME_WAIT=6
        TCP_CLOSE=7 TCP_CLOSE_WAIT=8 TCP_LAST_ACK=9 TCP_LISTEN=10 TCP_CLOSING=11 TCP_NEW_SYN_RECV=12
        TCP_INFINITE_SSTHRESH=0x7fffffff
        """;

    private static final Map<String, Long> VALUES;

    static
    {
        final Map<String, Long> values = new HashMap<>();
        for (final String entry : TABLE.strip().split("\\s+"))
        {
            final int eq = entry.indexOf('=');
            final String value = entry.substring(eq + 1);
            values.put(entry.substring(0, eq), value.startsWith("0x") ?
                Long.parseLong(value.substring(2), 16) : Long.parseLong(value));
        }
        for (final Errno errno : Errno.values())
        {
            values.put(errno.name(), (long)errno.number());
        }
        values.put("EWOULDBLOCK", (long)Errno.EAGAIN.number());
        values.put("ENOTSUP", (long)Errno.EOPNOTSUPP.number());
        values.put("EDEADLOCK", (long)Errno.EDEADLK.number());
        VALUES = Collections.unmodifiableMap(values);
    }

    private LinuxSymbols()
    {
    }

    /**
     * The value of a symbol.
     *
     * @param name e.g. {@code SO_REUSEADDR}.
     * @return the value, or null when the name is not known.
     */
    public static Long value(final String name)
    {
        return VALUES.get(name);
    }

    /**
     * All known names.
     *
     * @return the names.
     */
    public static Set<String> names()
    {
        return VALUES.keySet();
    }

    /**
     * Evaluates an integer expression: a literal, a symbol, or symbols or'ed together.
     *
     * @param expression  the expression.
     * @param definitions {@code -D} definitions consulted before the built-in table (may chain, e.g.
     *                    {@code CMSG_LEVEL_IP -> SOL_IP}).
     * @return the value.
     * @throws IllegalArgumentException for an unknown symbol or a non-integer expression; the message names it.
     */
    public static long evaluate(final Expression expression, final Map<String, String> definitions)
    {
        if (expression instanceof Expression.IntLiteral i)
        {
            return i.value();
        }
        if (expression instanceof Expression.BitOr b)
        {
            return evaluate(b.left(), definitions) | evaluate(b.right(), definitions);
        }
        if (expression instanceof Expression.Symbol s)
        {
            return symbol(s.name(), definitions, 0);
        }
        throw new IllegalArgumentException("not an integer expression: " + expression);
    }

    private static long symbol(final String name, final Map<String, String> definitions, final int depth)
    {
        final String defined = definitions.get(name);
        if (defined != null && depth < 8)
        {
            final String text = defined.strip();
            try
            {
                return text.startsWith("0x") ? Long.parseUnsignedLong(text.substring(2), 16) : Long.parseLong(text);
            }
            catch (final NumberFormatException ex)
            {
                return symbol(text, definitions, depth + 1);
            }
        }
        final Long value = VALUES.get(name);
        if (value == null)
        {
            throw new IllegalArgumentException("unknown symbol: name=" + name);
        }
        return value;
    }
}

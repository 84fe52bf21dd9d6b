package dev.hostplane.packetscript.live.internal.sys;

/**
 * The Linux (x86_64/aarch64) numeric constants the live layer itself needs to set up devices,
 * sniff packets and read socket state. Script-level symbolic constants are resolved by the
 * language layer; this class only serves the kernel plumbing.
 */
public final class LinuxConstants
{
    /** IPv4 address family. */
    public static final int AF_INET = 2;
    /** IPv6 address family. */
    public static final int AF_INET6 = 10;
    /** Link-layer packet family for sniffing. */
    public static final int AF_PACKET = 17;
    /** Stream socket type. */
    public static final int SOCK_STREAM = 1;
    /** Datagram socket type. */
    public static final int SOCK_DGRAM = 2;
    /** Raw socket type. */
    public static final int SOCK_RAW = 3;
    /** Non-blocking flag for socket types and open. */
    public static final int SOCK_NONBLOCK = 0x800;
    /** Close-on-exec flag for socket types and open: shell commands must not inherit our fds. */
    public static final int SOCK_CLOEXEC = 0x80000;
    /** TCP protocol number. */
    public static final int IPPROTO_TCP = 6;
    /** Socket-level options. */
    public static final int SOL_SOCKET = 1;
    /** TCP-level options. */
    public static final int SOL_TCP = 6;
    /** {@code SO_REUSEADDR}. */
    public static final int SO_REUSEADDR = 2;
    /** {@code SO_RCVBUF}. */
    public static final int SO_RCVBUF = 8;
    /** {@code SO_TIMESTAMPNS} (old, 64-bit timespec layout on LP64). */
    public static final int SO_TIMESTAMPNS = 35;
    /** {@code SCM_TIMESTAMPNS} equals {@link #SO_TIMESTAMPNS}. */
    public static final int SCM_TIMESTAMPNS = SO_TIMESTAMPNS;
    /** {@code TCP_INFO}. */
    public static final int TCP_INFO = 11;
    /** {@code TCP_CC_INFO}: the congestion control's own state (BBR, DCTCP, Vegas), empty for the others. */
    public static final int TCP_CC_INFO = 26;
    /** {@code SO_MEMINFO}: the socket's memory counters, {@code u32[SK_MEMINFO_VARS]}. */
    public static final int SO_MEMINFO = 55;
    /** {@code TCP_NODELAY}. */
    public static final int TCP_NODELAY = 1;
    /** All ethertypes, in host order (htons applied where used). */
    public static final int ETH_P_ALL = 0x0003;
    /** {@code PACKET_OUTGOING}: sll_pkttype of packets the host sent. */
    public static final int PACKET_OUTGOING = 4;
    /** {@code MSG_DONTWAIT}. */
    public static final int MSG_DONTWAIT = 0x40;
    /** {@code MSG_TRUNC}. */
    public static final int MSG_TRUNC = 0x20;

    /** {@code O_RDONLY}. */
    public static final int O_RDONLY = 0;
    /** {@code O_WRONLY}. */
    public static final int O_WRONLY = 1;
    /** {@code O_RDWR}. */
    public static final int O_RDWR = 2;
    /** {@code O_NONBLOCK}. */
    public static final int O_NONBLOCK = 0x800;
    /** {@code O_CLOEXEC}. */
    public static final int O_CLOEXEC = 0x80000;
    /** {@code F_GETFL}. */
    public static final int F_GETFL = 3;
    /** {@code F_SETFL}. */
    public static final int F_SETFL = 4;

    /** {@code CLONE_NEWNET}. */
    public static final int CLONE_NEWNET = 0x40000000;

    /** {@code SIOCGIFFLAGS}. */
    public static final long SIOCGIFFLAGS = 0x8913;
    /** {@code SIOCSIFFLAGS}. */
    public static final long SIOCSIFFLAGS = 0x8914;
    /** {@code SIOCSIFMTU}. */
    public static final long SIOCSIFMTU = 0x8922;
    /** {@code SIOCGSTAMPNS_OLD}. */
    public static final long SIOCGSTAMPNS = 0x8907;
    /** Interface up. */
    public static final short IFF_UP = 0x1;
    /** Interface running. */
    public static final short IFF_RUNNING = 0x40;
    /** Size of {@code struct ifreq}. */
    public static final int IFREQ_SIZE = 40;

    /** {@code EAGAIN}. */
    public static final int EAGAIN = 11;
    /** {@code EINTR}. */
    public static final int EINTR = 4;

    private LinuxConstants()
    {
    }
}

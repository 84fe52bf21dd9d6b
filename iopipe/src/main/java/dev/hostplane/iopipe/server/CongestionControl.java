package dev.hostplane.iopipe.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.hostplane.iopipe.internal.LibC;
import io.netty.channel.Channel;
import io.netty.channel.unix.UnixChannel;
import org.slf4j.Logger;

/**
 * TCP_CONGESTION on the sockets a server sends bulk bytes from: the congestion control of its connections
 * instead of the system's default. Worth it where the system default paces and nothing can queue: BBR
 * without the fq qdisc paces every connection with its own timers, one wake-up per segment, which on a
 * loopback or same-host peer buys nothing and costs CPU on both ends (the server's, and the peer's, in whose
 * context the timer often fires). Set on the listening socket before it listens (accepted sockets inherit
 * it) and on an outgoing socket before it connects: set on an established socket it would come after the
 * system default was initialised, and BBR's request for pacing outlives a switch of algorithm. With
 * nothing configured, sockets on a loopback address get reno (see {@link #choose}).
 * Event-loop-confined per socket; the failure warning is said once per server.
 */
final class CongestionControl
{
    private final String name;
    private final byte[] bytes;
    private final Logger log;
    private final AtomicBoolean said = new AtomicBoolean();

    /** What {@code congestionControl} takes to keep the system's default everywhere. */
    static final String SYSTEM = "system";
    /** The automatic choice for loopback sockets: every kernel allows it, and it never paces by itself. */
    static final String LOOPBACK = "reno";

    /**
     * @param name the algorithm (as in /proc/sys/net/ipv4/tcp_available_congestion_control), or null for the
     *             system's.
     */
    private CongestionControl(final String name, final Logger log)
    {
        this.name = name;
        this.bytes = null == name ? null : name.getBytes(StandardCharsets.US_ASCII);
        this.log = log;
    }

    /**
     * The algorithm for sockets on {@code local} (a listener's address) or to {@code remote} (a backend's):
     * the configured one; with none configured, {@link #LOOPBACK} for a loopback address, where no network
     * lies between the ends (nothing to pace for, no loss to react to), and the system's for any other
     * address, the wildcard included; {@link #SYSTEM} keeps the system's everywhere.
     *
     * @param configured the builder's setting, or null.
     * @param address    the listener's bind address or the backend's address.
     * @param log        where a refusal is reported.
     * @return the setting to apply.
     */
    static CongestionControl choose(final String configured, final InetSocketAddress address, final Logger log)
    {
        return new CongestionControl(effective(configured, address), log);
    }

    /** The algorithm {@link #choose} applies, or null for the system's. */
    static String effective(final String configured, final InetSocketAddress address)
    {
        if (null == configured)
        {
            final InetAddress ip = null == address ? null : address.getAddress();
            return null != ip && ip.isLoopbackAddress() ? LOOPBACK : null;
        }
        return SYSTEM.equals(configured) ? null : configured;
    }

    /** For the start-up log line: the algorithm set, or "system". */
    @Override
    public String toString()
    {
        return null == name ? SYSTEM : name;
    }

    /**
     * Sets the algorithm on a listening channel before it listens: accepted sockets take the listener's
     * algorithm from the start. Needs a channel with a kernel descriptor (the epoll transport); on another
     * the refusal is logged once.
     */
    void applyToListener(final Channel listener)
    {
        if (null == bytes)
        {
            return;
        }
        if (listener instanceof UnixChannel)
        {
            apply(((UnixChannel)listener).fd().intValue());
        }
        else if (said.compareAndSet(false, true))
        {
            log.warn("cannot set TCP_CONGESTION={} on a {}: sockets keep the system's congestion control (fix: the "
                + "epoll transport, see the earlier warning). Said once", name, listener.getClass().getName());
        }
    }

    /** Sets the algorithm on {@code fd} (a no-op when none is configured or the descriptor is out of reach). */
    void apply(final int fd)
    {
        if (null == bytes || fd < 0)
        {
            return;
        }
        if (0 != LibC.setsockopt(fd, LibC.IPPROTO_TCP, LibC.TCP_CONGESTION, bytes, bytes.length)
            && said.compareAndSet(false, true))
        {
            final int errno = LibC.errno();
            log.warn("cannot set TCP_CONGESTION={} (errno={} {}); sockets keep the system's congestion control "
                + "(fix: an algorithm listed in /proc/sys/net/ipv4/tcp_allowed_congestion_control, or any loaded one "
                + "with CAP_NET_ADMIN; or leave the option unset). Said once", name, errno, LibC.strerror(errno));
        }
    }
}

package dev.hostplane.packetscript.live.net;

import com.sun.jna.Memory;
import dev.hostplane.packetscript.live.netns.NetNamespaceException;
import dev.hostplane.packetscript.linux.Errno;
import dev.hostplane.packetscript.live.internal.sys.LibC;
import dev.hostplane.packetscript.live.internal.sys.LinuxConstants;
import dev.hostplane.packetscript.live.internal.sys.Msghdr;

/**
 * Captures the packets the kernel sends out of one interface: an {@code AF_PACKET}/{@code
 * SOCK_RAW} socket bound to it, keeping only {@code PACKET_OUTGOING} packets, with kernel
 * timestamps from {@code SO_TIMESTAMPNS} (packetdrill's {@code packet_socket_linux.c} does the
 * same with {@code SIOCGSTAMP}). On a TUN device there is no link header: each capture is an IP
 * packet.
 *
 * <p>Open it before the first syscall of a script so nothing the kernel sends is missed.
 */
public final class PacketSniffer implements AutoCloseable
{
    private static final int SOCKADDR_LL_SIZE = 20;
    private static final int BUFFER_SIZE = 65536 + 256;
    private static final int CONTROL_SIZE = 128;
    private static final int POLLIN = 0x1;

    private final int fd;
    private final Memory name = new Memory(SOCKADDR_LL_SIZE);
    private final Memory data = new Memory(BUFFER_SIZE);
    private final Memory control = new Memory(CONTROL_SIZE);
    private final Msghdr msg = new Msghdr();
    private final Memory pollFd = new Memory(8);
    private boolean closed;

    private PacketSniffer(final int fd)
    {
        this.fd = fd;
        msg.iovecs(1).iovec(0, data, BUFFER_SIZE);
    }

    /**
     * Opens a sniffer on an interface of the calling thread's namespace.
     *
     * @param ifindex the interface index.
     * @return the sniffer.
     */
    public static PacketSniffer open(final int ifindex)
    {
        final short protocol = Short.reverseBytes((short)LinuxConstants.ETH_P_ALL);
        final int fd = LibC.socket(LinuxConstants.AF_PACKET,
            LinuxConstants.SOCK_RAW | LinuxConstants.SOCK_NONBLOCK | LinuxConstants.SOCK_CLOEXEC, protocol & 0xFFFF);
        if (fd < 0)
        {
            throw new NetNamespaceException("AF_PACKET socket failed: errno=" + Errno.describe(LibC.errno()));
        }
        try
        {
            final Memory one = new Memory(4);
            one.setInt(0, 1);
            if (0 != LibC.setsockopt(fd, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_TIMESTAMPNS, one, 4))
            {
                throw new NetNamespaceException("SO_TIMESTAMPNS failed: errno=" + Errno.describe(LibC.errno()));
            }
            final Memory sll = new Memory(SOCKADDR_LL_SIZE);
            sll.clear();
            sll.setShort(0, (short)LinuxConstants.AF_PACKET);
            sll.setShort(2, protocol);
            sll.setInt(4, ifindex);
            if (0 != LibC.bind(fd, sll, SOCKADDR_LL_SIZE))
            {
                throw new NetNamespaceException("AF_PACKET bind failed: ifindex=" + ifindex + " errno=" +
                    Errno.describe(LibC.errno()));
            }
            return new PacketSniffer(fd);
        }
        catch (final RuntimeException ex)
        {
            LibC.close(fd);
            throw ex;
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for the next outbound packet.
     *
     * @param timeoutMillis how long to wait; 0 polls once.
     * @return the packet, or null on timeout.
     */
    public SniffedPacket next(final long timeoutMillis)
    {
        final long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true)
        {
            final SniffedPacket packet = tryReceive();
            if (null != packet)
            {
                return packet;
            }
            final long remainingNanos = deadline - System.nanoTime();
            if (remainingNanos <= 0)
            {
                return null;
            }
            pollFd.setInt(0, fd);
            pollFd.setShort(4, (short)POLLIN);
            pollFd.setShort(6, (short)0);
            final int waitMillis = (int)Math.max(1, Math.min(Integer.MAX_VALUE, (remainingNanos + 999_999) / 1_000_000));
            LibC.poll(pollFd, 1, waitMillis);
        }
    }

    private SniffedPacket tryReceive()
    {
        while (true)
        {
            msg.name(name, SOCKADDR_LL_SIZE).control(control, CONTROL_SIZE).flags(0);
            final long length = LibC.recvmsg(fd, msg.pointer(), LinuxConstants.MSG_DONTWAIT);
            if (length < 0)
            {
                final int errno = LibC.errno();
                if (LinuxConstants.EAGAIN == errno || LinuxConstants.EINTR == errno)
                {
                    return null;
                }
                throw new NetNamespaceException("sniffer recvmsg failed: errno=" + Errno.describe(errno));
            }
            final int pktType = name.getByte(10) & 0xFF;
            if (LinuxConstants.PACKET_OUTGOING != pktType)
            {
                continue;
            }
            final byte[] bytes = data.getByteArray(0, (int)Math.min(length, BUFFER_SIZE));
            return new SniffedPacket(bytes, timestamp());
        }
    }

    private long timestamp()
    {
        final long controlLength = msg.controlLength();
        long offset = 0;
        while (offset + 16 <= controlLength)
        {
            final long cmsgLen = control.getLong(offset);
            final int level = control.getInt(offset + 8);
            final int type = control.getInt(offset + 12);
            if (LinuxConstants.SOL_SOCKET == level && LinuxConstants.SCM_TIMESTAMPNS == type)
            {
                return control.getLong(offset + 16) * 1_000_000_000L + control.getLong(offset + 24);
            }
            if (cmsgLen < 16)
            {
                break;
            }
            offset += (cmsgLen + 7) & ~7L;
        }
        // No timestamp cmsg: fall back to now, so timing checks stay meaningful if coarse.
        final java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            LibC.close(fd);
        }
    }
}

package dev.hostplane.packetscript.live.net;

import com.sun.jna.Memory;
import dev.hostplane.packetscript.live.netns.Interfaces;
import dev.hostplane.packetscript.live.netns.NetNamespaceException;
import dev.hostplane.packetscript.linux.Errno;
import dev.hostplane.packetscript.live.sys.LibC;
import dev.hostplane.packetscript.live.sys.LinuxConstants;

/**
 * A Linux TUN device ({@code IFF_TUN|IFF_NO_PI}, optionally {@code IFF_VNET_HDR}) opened in the
 * calling thread's namespace: inbound packets are written to it, and it is drained so the
 * kernel's transmit-completion path runs as it does for a real NIC.
 *
 * <p>Not thread-safe for writes: the script's main thread injects; a blocking syscall thread
 * never touches the device.
 */
public final class TunDevice implements AutoCloseable
{
    private static final int MAX_PACKET = 65536 + LinuxConstants.VIRTIO_NET_HDR_SIZE;
    private static final int VIRTIO_NET_HDR_GSO_TCPV4 = 1;
    private static final int VIRTIO_NET_HDR_GSO_TCPV6 = 4;

    private final String name;
    private final int fd;
    private final int index;
    private final boolean vnetHeader;
    private final Memory writeBuffer = new Memory(MAX_PACKET);
    private final Memory readBuffer = new Memory(MAX_PACKET);
    private boolean closed;

    private TunDevice(final String name, final int fd, final int index, final boolean vnetHeader)
    {
        this.name = name;
        this.fd = fd;
        this.index = index;
        this.vnetHeader = vnetHeader;
    }

    /**
     * Creates and brings up a TUN device as packetdrill's {@code local_netdev_new} does: with a
     * virtio-net header and {@code TUN_F_CSUM|TSO4|TSO6|TSO_ECN} offloads when asked, so the
     * kernel may hand us TSO super-packets and accept GRO-style inbound ones.
     *
     * @param name device name, e.g. {@code tun0}.
     * @param vnetHeader whether to use {@code IFF_VNET_HDR} and offloads.
     * @return the open, up device.
     */
    public static TunDevice open(final String name, final boolean vnetHeader)
    {
        final int fd = LibC.open("/dev/net/tun",
            LinuxConstants.O_RDWR | LinuxConstants.O_NONBLOCK | LinuxConstants.O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new NetNamespaceException("open /dev/net/tun failed: errno=" + Errno.describe(LibC.errno()));
        }
        try
        {
            final Memory ifr = new Memory(LinuxConstants.IFREQ_SIZE);
            ifr.clear();
            final byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            ifr.write(0, bytes, 0, bytes.length);
            short flags = (short)(LinuxConstants.IFF_TUN | LinuxConstants.IFF_NO_PI);
            if (vnetHeader)
            {
                flags |= LinuxConstants.IFF_VNET_HDR;
            }
            ifr.setShort(16, flags);
            if (0 != LibC.ioctl(fd, LinuxConstants.TUNSETIFF, ifr))
            {
                throw new NetNamespaceException("TUNSETIFF failed: name=" + name + " errno=" +
                    Errno.describe(LibC.errno()));
            }
            if (vnetHeader)
            {
                final long offload = LinuxConstants.TUN_F_CSUM | LinuxConstants.TUN_F_TSO4 |
                    LinuxConstants.TUN_F_TSO6 | LinuxConstants.TUN_F_TSO_ECN;
                if (0 != LibC.ioctl(fd, LinuxConstants.TUNSETOFFLOAD, com.sun.jna.Pointer.createConstant(offload)))
                {
                    throw new NetNamespaceException("TUNSETOFFLOAD failed: name=" + name + " errno=" +
                        Errno.describe(LibC.errno()));
                }
            }
            Interfaces.setUp(name);
            return new TunDevice(name, fd, Interfaces.index(name), vnetHeader);
        }
        catch (final RuntimeException ex)
        {
            LibC.close(fd);
            throw ex;
        }
    }

    /**
     * Device name.
     *
     * @return e.g. {@code tun0}.
     */
    public String name()
    {
        return name;
    }

    /**
     * Interface index.
     *
     * @return the ifindex.
     */
    public int index()
    {
        return index;
    }

    /**
     * The raw fd.
     *
     * @return the TUN fd.
     */
    public int fd()
    {
        return fd;
    }

    /**
     * Injects one IP packet into the kernel as if it had arrived on this device.
     *
     * @param packet buffer holding the IP packet.
     * @param offset where it starts.
     * @param length its length.
     */
    public void write(final byte[] packet, final int offset, final int length)
    {
        write(packet, offset, length, 0, false);
    }

    /**
     * Injects one IP packet, optionally marked as a GRO-style TCP super-packet of {@code gsoSize}
     * segments (packetdrill's {@code --mss} with {@code IFF_VNET_HDR}).
     *
     * @param packet buffer holding the IP packet.
     * @param offset where it starts.
     * @param length its length.
     * @param gsoSize segment size, or 0 for a plain packet.
     * @param ipv6 whether the packet is IPv6 (selects the GSO type).
     */
    public void write(final byte[] packet, final int offset, final int length, final int gsoSize, final boolean ipv6)
    {
        final Memory buffer = writeBuffer;
        int position = 0;
        if (vnetHeader)
        {
            buffer.clear(LinuxConstants.VIRTIO_NET_HDR_SIZE);
            if (gsoSize > 0)
            {
                buffer.setByte(1, (byte)(ipv6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4));
                buffer.setShort(4, (short)gsoSize);
            }
            position = LinuxConstants.VIRTIO_NET_HDR_SIZE;
        }
        buffer.write(position, packet, offset, length);
        final long written = LibC.write(fd, buffer, position + length);
        if (written != position + length)
        {
            throw new NetNamespaceException("tun write failed: name=" + name + " length=" + length + " errno=" +
                Errno.describe(LibC.errno()));
        }
    }

    /**
     * Reads and discards every packet the kernel queued on the device, so transmit completion
     * (e.g. TSQ) behaves as for a real NIC.
     *
     * @return how many packets were drained.
     */
    public int drain()
    {
        int count = 0;
        while (LibC.read(fd, readBuffer, MAX_PACKET) >= 0)
        {
            count++;
        }
        return count;
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

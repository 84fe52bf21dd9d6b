package dev.hostplane.packetscript.live.net;

import java.io.IOException;

import dev.hostplane.packetscript.live.netns.Interfaces;
import dev.hostplane.packetscript.live.netns.NetNamespaceException;
import dev.hostplane.vswitch.tap.TunTapDevice;
import dev.hostplane.vswitch.tap.VirtioNetHeader;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The {@code tun0} of a script's namespace, as packetdrill's {@code local_netdev_new} sets it up: a
 * {@code IFF_TUN|IFF_NO_PI} device (vswitch's {@link TunTapDevice}), optionally with a virtio-net header and the
 * {@code TUN_F_CSUM|TSO4|TSO6|TSO_ECN} offloads, so the kernel may hand us TSO super-packets and accept GRO-style
 * inbound ones. Inbound packets are written to it, and it is drained so the kernel's transmit-completion path runs
 * as it does for a real NIC.
 *
 * <p>Not thread-safe for writes: the script's main thread injects; a blocking syscall thread
 * never touches the device.
 */
public final class TunDevice implements AutoCloseable
{
    private static final int MAX_PACKET = 65536 + VirtioNetHeader.LENGTH;

    private final TunTapDevice device;
    private final int index;
    private final UnsafeBuffer writeBuffer = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer readBuffer = new UnsafeBuffer(new byte[0]);
    private final VirtioNetHeader header = new VirtioNetHeader();

    private TunDevice(final TunTapDevice device, final int index)
    {
        this.device = device;
        this.index = index;
        // Off-heap, so the kernel reads and writes them in place.
        writeBuffer.wrap(org.agrona.BufferUtil.allocateDirectAligned(MAX_PACKET, 64));
        readBuffer.wrap(org.agrona.BufferUtil.allocateDirectAligned(MAX_PACKET, 64));
    }

    /**
     * Creates and brings up a TUN device in the calling thread's namespace.
     *
     * @param name device name, e.g. {@code tun0}.
     * @param vnetHeader whether to use {@code IFF_VNET_HDR} and offloads.
     * @return the open, up device.
     */
    public static TunDevice open(final String name, final boolean vnetHeader)
    {
        int flags = TunTapDevice.IFF_TUN | TunTapDevice.IFF_NO_PI;
        if (vnetHeader)
        {
            flags |= TunTapDevice.IFF_VNET_HDR;
        }
        final TunTapDevice device;
        try
        {
            device = TunTapDevice.open(name, flags);
        }
        catch (final IOException ex)
        {
            throw new NetNamespaceException(ex.getMessage());
        }
        try
        {
            device.setNonBlocking(true);
            if (vnetHeader)
            {
                device.setOffload(TunTapDevice.TUN_F_CSUM | TunTapDevice.TUN_F_TSO4 | TunTapDevice.TUN_F_TSO6 |
                    TunTapDevice.TUN_F_TSO_ECN);
            }
            Interfaces.setUp(name);
            return new TunDevice(device, Interfaces.index(name));
        }
        catch (final IOException | RuntimeException ex)
        {
            device.close();
            throw ex instanceof NetNamespaceException nse ? nse :
                new NetNamespaceException(ex.getMessage() + ": name=" + name);
        }
    }

    /**
     * Device name.
     *
     * @return e.g. {@code tun0}.
     */
    public String name()
    {
        return device.name();
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
        return device.fd();
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
        int position = 0;
        if (device.hasVnetHeader())
        {
            header.wrap(writeBuffer, 0);
            if (gsoSize > 0)
            {
                header.write(0, ipv6 ? VirtioNetHeader.GSO_TCPV6 : VirtioNetHeader.GSO_TCPV4, 0, gsoSize, 0, 0);
            }
            else
            {
                header.clear(VirtioNetHeader.LENGTH);
            }
            position = VirtioNetHeader.LENGTH;
        }
        writeBuffer.putBytes(position, packet, offset, length);
        int written;
        try
        {
            written = device.write(writeBuffer, 0, position + length);
        }
        catch (final IOException ex)
        {
            throw new NetNamespaceException("tun write failed: name=" + name() + " length=" + length + ": " +
                ex.getMessage());
        }
        if (written != position + length)
        {
            throw new NetNamespaceException("tun write failed: name=" + name() + " length=" + length +
                " written=" + written);
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
        try
        {
            while (device.read(readBuffer, 0, MAX_PACKET) > 0)
            {
                count++;
            }
        }
        catch (final IOException ex)
        {
            throw new NetNamespaceException("tun read failed: name=" + name() + ": " + ex.getMessage());
        }
        return count;
    }

    @Override
    public void close()
    {
        device.close();
    }
}

package dev.hostplane.vswitch.port;

import java.io.IOException;
import java.io.UncheckedIOException;

import dev.hostplane.vswitch.tap.TunTapDevice;
import dev.hostplane.vswitch.tap.VirtioNetHeader;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A Linux TAP device as a switch port (VS-D7). The device is non-blocking; a worker reads up to a
 * batch of frames per poll and writes frames straight from its batch slots.
 *
 * <p>With offload enabled (the default) the device is opened with {@code IFF_VNET_HDR} and
 * {@code TUNSETOFFLOAD(CSUM|TSO4|TSO6|TSO_ECN)}: the kernel hands over whole 64 KiB GSO frames with
 * partial checksums, and the switch passes them, header included, to the output TAP, which
 * segments (or not) on its side. That is what takes a user-space switch from one syscall per
 * 1500-byte frame to one per 64 KiB. With offload off, every frame is a plain MTU-sized frame (the
 * naive baseline).
 */
public final class TapPort extends Port
{
    private final TunTapDevice device;
    private final boolean offload;
    private final int vnetSize;
    private UnsafeBuffer[] scratch = new UnsafeBuffer[0];
    private volatile IOException failure;

    /**
     * Wraps an open TAP device (the port takes ownership and closes it).
     *
     * @param device a TAP device opened with {@code IFF_TAP|IFF_NO_PI}, plus {@code IFF_VNET_HDR}
     *               when {@code offload} is true.
     * @param offload whether to use virtio_net_hdr and GSO/checksum offload.
     * @throws IOException when the device cannot be configured.
     */
    public TapPort(final TunTapDevice device, final boolean offload) throws IOException
    {
        super(device.name());
        if (offload && !device.hasVnetHeader())
        {
            throw new IllegalArgumentException("offload needs a device opened with IFF_VNET_HDR: device=" +
                device.name());
        }
        this.device = device;
        this.offload = offload;
        if (offload)
        {
            device.setVnetHeaderSize(VirtioNetHeader.LENGTH_MRG);
            device.setOffload(TunTapDevice.TUN_F_CSUM | TunTapDevice.TUN_F_TSO4 | TunTapDevice.TUN_F_TSO6 |
                TunTapDevice.TUN_F_TSO_ECN);
        }
        this.vnetSize = offload ? VirtioNetHeader.LENGTH_MRG : 0;
        device.setNonBlocking(true);
    }

    /**
     * Opens a TAP device by name in this process's network namespace.
     *
     * @param name interface name.
     * @param offload whether to use virtio_net_hdr and GSO/checksum offload.
     * @return the port.
     * @throws IOException when the device cannot be opened.
     */
    public static TapPort open(final String name, final boolean offload) throws IOException
    {
        return new TapPort(TunTapDevice.open(name, flags(offload)), offload);
    }

    /**
     * Opens a TAP device inside a named network namespace.
     *
     * @param netns namespace name.
     * @param name interface name.
     * @param offload whether to use virtio_net_hdr and GSO/checksum offload.
     * @return the port.
     * @throws IOException when the device cannot be opened.
     */
    public static TapPort openInNamespace(final String netns, final String name, final boolean offload)
        throws IOException
    {
        return new TapPort(TunTapDevice.openInNamespace(netns, name, flags(offload)), offload);
    }

    /**
     * The device.
     *
     * @return device.
     */
    public TunTapDevice device()
    {
        return device;
    }

    /**
     * Whether offload (virtio_net_hdr, GSO) is on.
     *
     * @return true when on.
     */
    public boolean isOffload()
    {
        return offload;
    }

    @Override
    public int receive(final FrameBatch batch, final int limit)
    {
        if (failure != null)
        {
            return 0;
        }
        final int room = Math.min(limit, batch.capacity() - batch.size());
        int n = 0;
        try
        {
            while (n < room)
            {
                final UnsafeBuffer slot = batch.nextSlot();
                final int start = FrameBatch.HEADROOM - vnetSize;
                final int read = device.read(slot, start, FrameBatch.SLOT_CAPACITY - start - 16);
                if (read == 0)
                {
                    break;
                }
                if (read <= vnetSize)
                {
                    counters().addRxDropped();
                    continue;
                }
                batch.commit(read - vnetSize, offload);
                n++;
            }
        }
        catch (final IOException ex)
        {
            // The device is gone (its namespace was deleted, or it was closed): stop polling it and
            // report once, instead of failing every duty cycle.
            failure = ex;
            throw new UncheckedIOException("TAP port stops receiving: port=" + name() + " " + ex.getMessage(), ex);
        }
        return n;
    }

    @Override
    public boolean transmit(
        final int worker,
        final MutableDirectBuffer buffer,
        final int frameOffset,
        final int frameLength,
        final boolean hasOffloadHeader)
    {
        try
        {
            final int written;
            if (offload)
            {
                final int start = frameOffset - vnetSize;
                if (!hasOffloadHeader)
                {
                    buffer.setMemory(start, vnetSize, (byte)0);
                }
                written = device.write(buffer, start, frameLength + vnetSize);
            }
            else
            {
                if (hasOffloadHeader && OffloadSupport.isGso(buffer, frameOffset))
                {
                    // A 64 KiB super-frame cannot go to a device that only takes MTU-sized frames.
                    counters().addTxDropped(worker);
                    return false;
                }
                if (hasOffloadHeader && OffloadSupport.needsChecksum(buffer, frameOffset))
                {
                    final UnsafeBuffer copy = scratch[worker];
                    copy.putBytes(0, buffer, frameOffset, frameLength);
                    OffloadSupport.completeChecksum(buffer, frameOffset, copy, 0, frameLength);
                    written = device.write(copy, 0, frameLength);
                }
                else
                {
                    written = device.write(buffer, frameOffset, frameLength);
                }
            }
            if (written > 0)
            {
                counters().addTx(worker, frameLength);
                return true;
            }
            counters().addTxDropped(worker);
            return false;
        }
        catch (final IOException ex)
        {
            counters().addTxDropped(worker);
            return false;
        }
    }

    @Override
    public void attach(final int portNumber, final int workers)
    {
        super.attach(portNumber, workers);
        if (!offload)
        {
            // Per-worker copy buffers for completing partial checksums of frames from offload ports.
            final UnsafeBuffer[] buffers = new UnsafeBuffer[workers];
            for (int i = 0; i < workers; i++)
            {
                buffers[i] = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(FrameBatch.SLOT_CAPACITY));
            }
            scratch = buffers;
        }
    }

    @Override
    public LinkState linkState()
    {
        final int flags = device.interfaceFlags();
        if (flags < 0)
        {
            // Unreadable: a device that failed is gone; otherwise nothing says the link changed.
            return failure != null ? LinkState.NO_LINK : LinkState.UP;
        }
        if ((flags & TunTapDevice.IFF_UP) == 0)
        {
            return LinkState.ADMIN_DOWN;
        }
        return (flags & TunTapDevice.IFF_RUNNING) != 0 ? LinkState.UP : LinkState.NO_LINK;
    }

    @Override
    public int pollFd()
    {
        return failure == null ? device.fd() : -1;
    }

    /**
     * Why the port stopped receiving, if it did.
     *
     * @return the read error, or null while healthy.
     */
    public IOException failure()
    {
        return failure;
    }

    @Override
    public void close()
    {
        device.close();
    }

    private static int flags(final boolean offload)
    {
        return TunTapDevice.IFF_TAP | TunTapDevice.IFF_NO_PI | (offload ? TunTapDevice.IFF_VNET_HDR : 0);
    }
}

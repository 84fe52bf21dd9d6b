package dev.hostplane.vswitch.tap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.jna.Memory;

import dev.hostplane.vswitch.internal.LibraryThreads;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;

/**
 * A Linux TUN or TAP device opened through {@code /dev/net/tun} (JNA, no native code of our own).
 *
 * <p>A TUN device carries IP packets (the first byte is the IP version nibble), a TAP device carries
 * Ethernet frames. With {@link #IFF_NO_PI} there is no 4-byte packet-information prefix; with
 * {@link #IFF_VNET_HDR} every frame is preceded by a {@link VirtioNetHeader} of
 * {@link #vnetHeaderSize()} bytes, and {@link #setOffload(int)} lets the kernel hand over and
 * accept 64 KiB GSO frames and frames whose checksum is still to be completed.
 *
 * <p>Threading: the device holds only a file descriptor; one thread may read while another writes.
 * Reads and writes take raw off-heap memory (direct {@link ByteBuffer}s or off-heap
 * {@link DirectBuffer}s) and allocate nothing. {@link #close()} must not race with an ongoing read
 * or write on another thread: stop those first (use {@link #awaitReadable(int)} with a timeout to
 * keep a reader responsive).
 *
 * <pre>{@code
 * try (TunTapDevice tap = TunTapDevice.open("tap0", TunTapDevice.IFF_TAP | TunTapDevice.IFF_NO_PI))
 * {
 *     ByteBuffer frame = ByteBuffer.allocateDirect(2048);
 *     if (tap.awaitReadable(100)) { int n = tap.read(frame); ... }
 * }
 * }</pre>
 */
public final class TunTapDevice implements AutoCloseable
{
    /** Device carries IP packets. */
    public static final int IFF_TUN = 0x0001;
    /** Device carries Ethernet frames. */
    public static final int IFF_TAP = 0x0002;
    /** Several queues (one fd each) on one device. */
    public static final int IFF_MULTI_QUEUE = 0x0100;
    /** No packet-information prefix. */
    public static final int IFF_NO_PI = 0x1000;
    /** Frames carry a virtio_net_hdr prefix. */
    public static final int IFF_VNET_HDR = 0x4000;

    /** Offload: we accept frames with partial checksums. */
    public static final int TUN_F_CSUM = 0x01;
    /** Offload: we accept TCPv4 GSO frames. */
    public static final int TUN_F_TSO4 = 0x02;
    /** Offload: we accept TCPv6 GSO frames. */
    public static final int TUN_F_TSO6 = 0x04;
    /** Offload: we accept TSO with ECN. */
    public static final int TUN_F_TSO_ECN = 0x08;
    /** Offload: we accept UDP fragmentation offload frames. */
    public static final int TUN_F_UFO = 0x10;

    /** Interface flag (SIOCGIFFLAGS): administratively up. */
    public static final int IFF_UP = 0x0001;
    /** Interface flag (SIOCGIFFLAGS): operationally up (up, and the link has a carrier). */
    public static final int IFF_RUNNING = 0x0040;

    /** Longest interface name (IFNAMSIZ - 1). */
    public static final int MAX_NAME_LENGTH = 15;

    static final long TUNSETIFF = 0x400454caL;
    static final long TUNSETPERSIST = 0x400454cbL;
    static final long TUNSETOFFLOAD = 0x400454d0L;
    static final long TUNGETVNETHDRSZ = 0x800454d7L;
    static final long TUNSETVNETHDRSZ = 0x400454d8L;
    static final long TUNGETIFF = 0x800454d2L;
    static final long TUNGETDEVNETNS = 0x54e3L;
    static final long SIOCGIFFLAGS = 0x8913L;
    private static final int IFREQ_SIZE = 40;
    private static final int IFR_FLAGS_OFFSET = 16;
    private static final String TUN_PATH = "/dev/net/tun";
    /** What {@link #completed} returns for EINTR; never a byte count. */
    private static final int INTERRUPTED = -1;

    private final String name;
    private final int flags;
    private final Memory pollFd = new Memory(8);
    private volatile int fd;
    private int vnetHeaderSize;
    /** Socket in the device's network namespace for SIOCGIFFLAGS; -1 until first needed. Guarded by this. */
    private int controlSocket = -1;

    private TunTapDevice(final int fd, final String name, final int flags, final int vnetHeaderSize)
    {
        this.fd = fd;
        this.name = name;
        this.flags = flags;
        this.vnetHeaderSize = vnetHeaderSize;
    }

    /**
     * Opens (creating if needed) a TUN/TAP device in the calling process's network namespace.
     *
     * @param name interface name, 1..15 characters; a name with {@code %d} lets the kernel choose.
     * @param flags {@link #IFF_TUN} or {@link #IFF_TAP}, optionally with {@link #IFF_NO_PI},
     *              {@link #IFF_VNET_HDR}, {@link #IFF_MULTI_QUEUE}.
     * @return the open device; its {@link #name()} is the name the kernel gave it.
     * @throws IOException when {@code /dev/net/tun} cannot be opened or TUNSETIFF fails
     *                     (no CAP_NET_ADMIN, name in use by another kind of device, ...).
     */
    public static TunTapDevice open(final String name, final int flags) throws IOException
    {
        checkName(name);
        if (((flags & IFF_TUN) != 0) == ((flags & IFF_TAP) != 0))
        {
            throw new IllegalArgumentException("exactly one of IFF_TUN and IFF_TAP must be set: flags=0x" +
                Integer.toHexString(flags));
        }
        final int fd = LibC.open(TUN_PATH, LibC.O_RDWR | LibC.O_CLOEXEC);
        if (fd < 0)
        {
            throw new IOException("cannot open " + TUN_PATH + ": " + LibC.describe(com.sun.jna.Native.getLastError()));
        }
        try (Memory ifr = new Memory(IFREQ_SIZE))
        {
            ifr.clear();
            final byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
            ifr.write(0, nameBytes, 0, nameBytes.length);
            ifr.setShort(IFR_FLAGS_OFFSET, (short)flags);
            if (LibC.ioctl(fd, TUNSETIFF, ifr) < 0)
            {
                final int errno = com.sun.jna.Native.getLastError();
                LibC.close(fd);
                throw new IOException("ioctl TUNSETIFF failed: name=" + name + " flags=0x" +
                    Integer.toHexString(flags) + " " + LibC.describe(errno));
            }
            final String actual = ifr.getString(0, StandardCharsets.US_ASCII.name());
            final int hdr = (flags & IFF_VNET_HDR) != 0 ? VirtioNetHeader.LENGTH : 0;
            return new TunTapDevice(fd, actual, flags, hdr);
        }
    }

    /**
     * Opens a TUN/TAP device inside a named network namespace ({@code ip netns add NAME}). The
     * device is created there (setns is per thread, so a short-lived helper thread does it); the
     * returned descriptor keeps working from any thread of this process.
     *
     * @param netnsName namespace name under {@code /var/run/netns}.
     * @param name interface name.
     * @param flags as for {@link #open(String, int)}.
     * @return the open device.
     * @throws IOException when the namespace cannot be entered or the device not opened.
     */
    public static TunTapDevice openInNamespace(final String netnsName, final String name, final int flags)
        throws IOException
    {
        final String nsPath = "/var/run/netns/" + netnsName;
        final AtomicReference<Object> result = new AtomicReference<>();
        final Thread thread = new Thread(
            () ->
            {
                try
                {
                    final int nsFd = LibC.open(nsPath, LibC.O_CLOEXEC);
                    if (nsFd < 0)
                    {
                        throw new IOException("cannot open network namespace: path=" + nsPath + " " +
                            LibC.describe(com.sun.jna.Native.getLastError()));
                    }
                    try
                    {
                        if (LibC.setns(nsFd, LibC.CLONE_NEWNET) < 0)
                        {
                            throw new IOException("setns failed: path=" + nsPath + " " +
                                LibC.describe(com.sun.jna.Native.getLastError()));
                        }
                    }
                    finally
                    {
                        LibC.close(nsFd);
                    }
                    result.set(open(name, flags));
                }
                catch (final IOException | RuntimeException ex)
                {
                    result.set(ex);
                }
            },
            LibraryThreads.name("tap-open", 0));
        thread.start();
        try
        {
            thread.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while opening device in namespace: path=" + nsPath, ex);
        }
        final Object outcome = result.get();
        if (outcome instanceof TunTapDevice)
        {
            return (TunTapDevice)outcome;
        }
        if (outcome instanceof IOException)
        {
            throw (IOException)outcome;
        }
        throw new IOException("cannot open device in namespace: path=" + nsPath, (Throwable)outcome);
    }

    /**
     * Interface name as assigned by the kernel.
     *
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * The flags the device was opened with.
     *
     * @return IFF_* flags.
     */
    public int flags()
    {
        return flags;
    }

    /**
     * The raw file descriptor (for poll/epoll by the caller).
     *
     * @return fd, or -1 after close.
     */
    public int fd()
    {
        return fd;
    }

    /**
     * Whether frames carry a virtio_net_hdr.
     *
     * @return true when opened with {@link #IFF_VNET_HDR}.
     */
    public boolean hasVnetHeader()
    {
        return (flags & IFF_VNET_HDR) != 0;
    }

    /**
     * Size of the virtio_net_hdr in front of each frame.
     *
     * @return 0 without {@link #IFF_VNET_HDR}, else 10 or 12.
     */
    public int vnetHeaderSize()
    {
        return vnetHeaderSize;
    }

    /**
     * Sets the virtio_net_hdr size (TUNSETVNETHDRSZ), typically 10 or 12.
     *
     * @param size header size in bytes (at least 10).
     * @throws IOException when the ioctl fails.
     */
    public void setVnetHeaderSize(final int size) throws IOException
    {
        if (!hasVnetHeader())
        {
            throw new IllegalStateException("device was not opened with IFF_VNET_HDR: name=" + name);
        }
        try (Memory value = new Memory(4))
        {
            value.setInt(0, size);
            check(LibC.ioctl(fd, TUNSETVNETHDRSZ, value), "TUNSETVNETHDRSZ size=" + size);
        }
        vnetHeaderSize = size;
    }

    /**
     * Declares which offloads this reader accepts (TUNSETOFFLOAD): with {@link #TUN_F_CSUM} and
     * {@link #TUN_F_TSO4}/{@link #TUN_F_TSO6} the kernel passes whole GSO super-frames with partial
     * checksums instead of segmenting and checksumming each 1500-byte frame.
     *
     * @param offloads TUN_F_* flags; 0 turns offloads off.
     * @throws IOException when the ioctl fails.
     */
    public void setOffload(final int offloads) throws IOException
    {
        check(LibC.ioctl(fd, TUNSETOFFLOAD, offloads), "TUNSETOFFLOAD offloads=0x" + Integer.toHexString(offloads));
    }

    /**
     * Makes the device persistent (it outlives this descriptor) or not.
     *
     * @param persistent true to keep the device after close.
     * @throws IOException when the ioctl fails.
     */
    public void setPersistent(final boolean persistent) throws IOException
    {
        check(LibC.ioctl(fd, TUNSETPERSIST, persistent ? 1 : 0), "TUNSETPERSIST");
    }

    /**
     * Switches non-blocking mode. In non-blocking mode reads and writes return 0 instead of waiting.
     *
     * @param nonBlocking true for O_NONBLOCK.
     * @throws IOException when fcntl fails.
     */
    public void setNonBlocking(final boolean nonBlocking) throws IOException
    {
        final int current = LibC.fcntl(fd, LibC.F_GETFL, 0);
        check(current, "F_GETFL");
        final int next = nonBlocking ? current | LibC.O_NONBLOCK : current & ~LibC.O_NONBLOCK;
        check(LibC.fcntl(fd, LibC.F_SETFL, next), "F_SETFL");
    }

    /**
     * Waits until a frame can be read, or the timeout passes.
     *
     * @param timeoutMillis how long to wait; 0 polls, -1 waits forever.
     * @return true when readable.
     * @throws IOException when poll fails.
     */
    public boolean awaitReadable(final int timeoutMillis) throws IOException
    {
        return await(LibC.POLLIN, timeoutMillis);
    }

    /**
     * Waits until a frame can be written, or the timeout passes.
     *
     * @param timeoutMillis how long to wait; 0 polls, -1 waits forever.
     * @return true when writable.
     * @throws IOException when poll fails.
     */
    public boolean awaitWritable(final int timeoutMillis) throws IOException
    {
        return await(LibC.POLLOUT, timeoutMillis);
    }

    /**
     * Reads one frame into {@code [position, limit)} of a direct buffer and advances its position.
     *
     * @param dst direct buffer with room for the largest frame (plus vnet header).
     * @return bytes read, or 0 when nothing is available in non-blocking mode.
     * @throws IOException on a read error.
     */
    public int read(final ByteBuffer dst) throws IOException
    {
        final int n = read(address(dst) + dst.position(), dst.remaining());
        dst.position(dst.position() + n);
        return n;
    }

    /**
     * Reads one frame into an off-heap Agrona buffer.
     *
     * @param buffer off-heap buffer.
     * @param offset where the frame goes.
     * @param length room available.
     * @return bytes read, or 0 when nothing is available in non-blocking mode.
     * @throws IOException on a read error.
     */
    public int read(final DirectBuffer buffer, final int offset, final int length) throws IOException
    {
        checkBounds(buffer, offset, length);
        return read(address(buffer) + offset, length);
    }

    /**
     * Reads one frame into raw memory.
     *
     * @param address destination address.
     * @param length room available.
     * @return bytes read, or 0 when nothing is available in non-blocking mode.
     * @throws IOException on a read error.
     */
    public int read(final long address, final int length) throws IOException
    {
        int n;
        do
        {
            n = completed(LibC.read(fd, address, length), false, length);
        }
        while (n == INTERRUPTED);
        return n;
    }

    /**
     * Writes one frame from {@code [position, limit)} of a direct buffer and advances its position.
     *
     * @param src direct buffer holding the frame (with vnet header when enabled).
     * @return bytes written, or 0 when the device queue is full in non-blocking mode.
     * @throws IOException on a write error.
     */
    public int write(final ByteBuffer src) throws IOException
    {
        final int n = write(address(src) + src.position(), src.remaining());
        src.position(src.position() + n);
        return n;
    }

    /**
     * Writes one frame from an off-heap Agrona buffer.
     *
     * @param buffer off-heap buffer.
     * @param offset where the frame starts.
     * @param length frame length (with vnet header when enabled).
     * @return bytes written, or 0 when the device queue is full in non-blocking mode.
     * @throws IOException on a write error.
     */
    public int write(final DirectBuffer buffer, final int offset, final int length) throws IOException
    {
        checkBounds(buffer, offset, length);
        return write(address(buffer) + offset, length);
    }

    /**
     * Writes one frame from raw memory.
     *
     * @param address source address.
     * @param length frame length.
     * @return bytes written, or 0 when the device queue is full in non-blocking mode.
     * @throws IOException on a write error.
     */
    public int write(final long address, final int length) throws IOException
    {
        int n;
        do
        {
            n = completed(LibC.write(fd, address, length), true, length);
        }
        while (n == INTERRUPTED);
        return n;
    }

    /**
     * Closes the descriptor; a non-persistent device disappears with it. Idempotent.
     */
    @Override
    public void close()
    {
        final int current = fd;
        if (current >= 0)
        {
            fd = -1;
            LibC.close(current);
            pollFd.close();
        }
        synchronized (this)
        {
            if (controlSocket >= 0)
            {
                LibC.close(controlSocket);
                controlSocket = -1;
            }
        }
    }

    /**
     * The interface's flags as {@code ip link} shows them ({@link #IFF_UP}, {@link #IFF_RUNNING}, ...),
     * read in the network namespace the device is in now: the device may have been moved or renamed
     * since it was opened (the usual way to give a namespace a switch port), and its link state is
     * whatever was last done to it there.
     *
     * @return the flags, or -1 when they cannot be read (device closed or gone, or a kernel without
     *         TUNGETDEVNETNS and the device in another namespace).
     */
    public synchronized int interfaceFlags()
    {
        final int current = fd;
        if (current < 0)
        {
            return -1;
        }
        try (Memory ifr = new Memory(IFREQ_SIZE))
        {
            ifr.clear();
            // TUNGETIFF writes the device's current name where SIOCGIFFLAGS reads it.
            if (LibC.ioctl(current, TUNGETIFF, ifr) < 0)
            {
                return -1;
            }
            for (int attempt = 0; attempt < 2; attempt++)
            {
                if (controlSocket < 0)
                {
                    controlSocket = socketInDeviceNamespace(current);
                    if (controlSocket < 0)
                    {
                        return -1;
                    }
                }
                if (LibC.ioctl(controlSocket, SIOCGIFFLAGS, ifr) == 0)
                {
                    return ifr.getShort(IFR_FLAGS_OFFSET) & 0xFFFF;
                }
                // Not found through this socket: the device moved to another namespace since.
                LibC.close(controlSocket);
                controlSocket = -1;
            }
            return -1;
        }
    }

    /**
     * A datagram socket in the namespace the device is in (TUNGETDEVNETNS), made on a short-lived
     * thread because setns changes only the calling thread's namespace; a socket stays in the
     * namespace it was made in. Falls back to this thread's namespace on kernels without the ioctl.
     */
    private static int socketInDeviceNamespace(final int deviceFd)
    {
        final int nsFd = LibC.ioctl(deviceFd, TUNGETDEVNETNS, 0L);
        if (nsFd < 0)
        {
            return LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        }
        final int[] socket = {-1};
        final Thread thread = new Thread(
            () ->
            {
                if (LibC.setns(nsFd, LibC.CLONE_NEWNET) == 0)
                {
                    socket[0] = LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
                }
            },
            LibraryThreads.name("tap-netns", 0));
        thread.start();
        try
        {
            thread.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            LibC.close(nsFd);
        }
        return socket[0];
    }

    @Override
    public String toString()
    {
        return "TunTapDevice{name=" + name + ", fd=" + fd + ", flags=0x" + Integer.toHexString(flags) + "}";
    }

    private boolean await(final short events, final int timeoutMillis) throws IOException
    {
        final int current = fd;
        if (current < 0)
        {
            throw new IOException("device is closed: device=" + name);
        }
        pollFd.setInt(0, current);
        pollFd.setShort(4, events);
        pollFd.setShort(6, (short)0);
        while (true)
        {
            final int n = LibC.poll(com.sun.jna.Pointer.nativeValue(pollFd), 1, timeoutMillis);
            if (n >= 0)
            {
                return n > 0 && (pollFd.getShort(6) & events) != 0;
            }
            final int errno = com.sun.jna.Native.getLastError();
            if (errno != LibC.EINTR)
            {
                throw new IOException("poll failed: device=" + name + " " + LibC.describe(errno));
            }
        }
    }

    private void check(final int rc, final String what) throws IOException
    {
        if (rc < 0)
        {
            throw new IOException(what + " failed: device=" + name + " " + LibC.describe(com.sun.jna.Native.getLastError()));
        }
    }

    /**
     * Turns a read(2)/write(2) result into what {@link #read(long, int)} and {@link #write(long, int)}
     * return: the byte count, 0 for EAGAIN (non-blocking and nothing to do), {@link #INTERRUPTED}
     * for EINTR (the caller repeats the call); any other errno throws. The message is built only
     * then, so the per-frame path allocates nothing.
     */
    private int completed(final long n, final boolean write, final int length) throws IOException
    {
        if (n >= 0)
        {
            return (int)n;
        }
        final int errno = com.sun.jna.Native.getLastError();
        if (errno == LibC.EAGAIN)
        {
            return 0;
        }
        if (errno == LibC.EINTR)
        {
            return INTERRUPTED;
        }
        throw new IOException(write ?
            "write failed: device=" + name + " length=" + length + " " + LibC.describe(errno) :
            "read failed: device=" + name + " " + LibC.describe(errno));
    }

    private static void checkBounds(final DirectBuffer buffer, final int offset, final int length)
    {
        // Subtract instead of adding offset + length: the sum can overflow to a negative number and
        // let a huge length through to the syscall, which would then read or write past the buffer.
        if (offset < 0 || length < 0 || length > buffer.capacity() - offset)
        {
            throw new IndexOutOfBoundsException("offset=" + offset + " length=" + length + " capacity=" +
                buffer.capacity());
        }
    }

    private static long address(final ByteBuffer buffer)
    {
        if (!buffer.isDirect())
        {
            throw new IllegalArgumentException("buffer must be direct (off-heap) for a syscall: buffer=" + buffer);
        }
        return BufferUtil.address(buffer);
    }

    private static long address(final DirectBuffer buffer)
    {
        if (null != buffer.byteArray())
        {
            throw new IllegalArgumentException("buffer must be off-heap for a syscall: capacity=" + buffer.capacity());
        }
        return buffer.addressOffset();
    }

    private static void checkName(final String name)
    {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH || name.indexOf('/') >= 0 ||
            name.chars().anyMatch(Character::isWhitespace))
        {
            throw new IllegalArgumentException("bad interface name (1..15 chars, no '/' or spaces): name=" + name);
        }
    }
}

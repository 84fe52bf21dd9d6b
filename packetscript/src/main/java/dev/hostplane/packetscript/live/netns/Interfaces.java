package dev.hostplane.packetscript.live.netns;

import com.sun.jna.Memory;
import dev.hostplane.packetscript.linux.Errno;
import dev.hostplane.packetscript.live.internal.sys.LibC;
import dev.hostplane.packetscript.live.internal.sys.LinuxConstants;

import java.nio.charset.StandardCharsets;

/**
 * Interface flags and MTU through {@code SIOC*} ioctls on the calling thread's namespace: cheaper
 * than spawning {@code ip} for the two settings that need no netlink.
 */
public final class Interfaces
{
    private Interfaces()
    {
    }

    /**
     * Sets {@code IFF_UP|IFF_RUNNING} on an interface, as packetdrill's {@code bring_up_device}.
     *
     * @param name interface name.
     */
    public static void setUp(final String name)
    {
        final int fd = controlSocket();
        try
        {
            final Memory ifr = ifreq(name);
            ioctl(fd, LinuxConstants.SIOCGIFFLAGS, ifr, "SIOCGIFFLAGS", name);
            final short flags = ifr.getShort(16);
            ifr.setShort(16, (short)(flags | LinuxConstants.IFF_UP | LinuxConstants.IFF_RUNNING));
            ioctl(fd, LinuxConstants.SIOCSIFFLAGS, ifr, "SIOCSIFFLAGS", name);
        }
        finally
        {
            LibC.close(fd);
        }
    }

    /**
     * Sets an interface's MTU.
     *
     * @param name interface name.
     * @param mtu the MTU.
     */
    public static void setMtu(final String name, final int mtu)
    {
        final int fd = controlSocket();
        try
        {
            final Memory ifr = ifreq(name);
            ifr.setInt(16, mtu);
            ioctl(fd, LinuxConstants.SIOCSIFMTU, ifr, "SIOCSIFMTU", name);
        }
        finally
        {
            LibC.close(fd);
        }
    }

    /**
     * Interface index of a name in the calling thread's namespace.
     *
     * @param name interface name.
     * @return the index.
     */
    public static int index(final String name)
    {
        final int index = LibC.if_nametoindex(name);
        if (0 == index)
        {
            throw new NetNamespaceException("if_nametoindex failed: name=" + name + " errno=" +
                Errno.describe(LibC.errno()));
        }
        return index;
    }

    static Memory ifreq(final String name)
    {
        final Memory ifr = new Memory(LinuxConstants.IFREQ_SIZE);
        ifr.clear();
        final byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > 15)
        {
            throw new IllegalArgumentException("interface name too long: name=" + name);
        }
        ifr.write(0, bytes, 0, bytes.length);
        return ifr;
    }

    private static int controlSocket()
    {
        final int fd = LibC.socket(LinuxConstants.AF_INET, LinuxConstants.SOCK_DGRAM | LinuxConstants.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new NetNamespaceException("control socket failed: errno=" + Errno.describe(LibC.errno()));
        }
        return fd;
    }

    private static void ioctl(final int fd, final long request, final Memory ifr, final String what, final String name)
    {
        if (0 != LibC.ioctl(fd, request, ifr))
        {
            throw new NetNamespaceException(what + " failed: name=" + name + " errno=" + Errno.describe(LibC.errno()));
        }
    }
}

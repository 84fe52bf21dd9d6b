package dev.hostplane.packetscript.live.internal.sys;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Encodes and decodes {@code struct sockaddr_in} (16 bytes) and {@code sockaddr_in6} (28 bytes).
 */
public final class Sockaddr
{
    /** Size of {@code struct sockaddr_in}. */
    public static final int IN_SIZE = 16;
    /** Size of {@code struct sockaddr_in6}. */
    public static final int IN6_SIZE = 28;
    /** Size of {@code struct sockaddr_storage}. */
    public static final int STORAGE_SIZE = 128;

    private Sockaddr()
    {
    }

    /**
     * Writes a socket address into {@code memory} in the family of the address.
     *
     * @param memory destination, at least {@link #IN6_SIZE} bytes.
     * @param address the address; a v4-mapped IPv6 address stays AF_INET6.
     * @param port the port.
     * @return the encoded length.
     */
    public static int encode(final Pointer memory, final InetAddress address, final int port)
    {
        final short netPort = Short.reverseBytes((short)port);
        if (address instanceof Inet4Address)
        {
            memory.clear(IN_SIZE);
            memory.setShort(0, (short)LinuxConstants.AF_INET);
            memory.setShort(2, netPort);
            memory.write(4, address.getAddress(), 0, 4);
            return IN_SIZE;
        }
        memory.clear(IN6_SIZE);
        memory.setShort(0, (short)LinuxConstants.AF_INET6);
        memory.setShort(2, netPort);
        memory.write(8, address.getAddress(), 0, 16);
        return IN6_SIZE;
    }

    /**
     * A freshly allocated encoding of an address.
     *
     * @param address the address.
     * @param port the port.
     * @return native memory sized to the encoding.
     */
    public static Memory of(final InetAddress address, final int port)
    {
        final Memory memory = new Memory(address instanceof Inet4Address ? IN_SIZE : IN6_SIZE);
        encode(memory, address, port);
        return memory;
    }

    /**
     * Decodes an AF_INET or AF_INET6 address.
     *
     * @param memory the encoding.
     * @return the address and port, or null for another family.
     */
    public static InetSocketAddress decode(final Pointer memory)
    {
        final int family = memory.getShort(0) & 0xFFFF;
        final int port = Short.reverseBytes(memory.getShort(2)) & 0xFFFF;
        try
        {
            if (LinuxConstants.AF_INET == family)
            {
                return new InetSocketAddress(InetAddress.getByAddress(memory.getByteArray(4, 4)), port);
            }
            if (LinuxConstants.AF_INET6 == family)
            {
                return new InetSocketAddress(Inet6Address.getByAddress(null, memory.getByteArray(8, 16), -1), port);
            }
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException(ex);
        }
        return null;
    }
}

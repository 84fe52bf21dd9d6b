package dev.hostplane.packetscript.packet;

import java.net.InetAddress;

/**
 * Address bit helpers for the vswitch flyweights, which take IPv4 addresses as an {@code int} and IPv6 addresses
 * as two {@code long}s.
 */
final class Addresses
{
    private Addresses()
    {
    }

    static int v4(final InetAddress address)
    {
        final byte[] b = address.getAddress();
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    static long v6High(final InetAddress address)
    {
        return bits(address.getAddress(), 0);
    }

    static long v6Low(final InetAddress address)
    {
        return bits(address.getAddress(), 8);
    }

    private static long bits(final byte[] b, final int from)
    {
        long value = 0;
        for (int i = from; i < from + 8; i++)
        {
            value = (value << 8) | (b[i] & 0xFF);
        }
        return value;
    }
}

package dev.hostplane.packetscript.live.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Addresses, routes and MTU of packetdrill's local mode, with its defaults
 * ({@code config.c}): IPv4 local 192.168.0.0/16 (we use .2 where packetdrill picks a random
 * host: reproducible runs), gateway 192.168.0.1, remote 192.0.2.1/24; IPv6 local
 * fd3d:fa7b:d17d::2/48, gateway fd3d:fa7b:d17d:8888::, remote 2001:db8::1/32; MTU 1500; bind and
 * connect port 8080. A remote address without {@code /len} is a host route.
 *
 * <p>Immutable; the {@code with*} methods return changed copies so command-line flags can
 * override a script's header options, as packetdrill does.
 */
public final class LocalNetConfig
{
    /** packetdrill's default MTU of the TUN device. */
    public static final int DEFAULT_MTU = 1500;

    private final IpVersion ipVersion;
    private final String localIp;
    private final String remoteIp;
    private final String gatewayIp;
    private final String netmaskIp;
    private final int mtu;
    private final int bindPort;
    private final int connectPort;

    private LocalNetConfig(
        final IpVersion ipVersion,
        final String localIp,
        final String remoteIp,
        final String gatewayIp,
        final String netmaskIp,
        final int mtu,
        final int bindPort,
        final int connectPort)
    {
        this.ipVersion = ipVersion;
        this.localIp = localIp;
        this.remoteIp = remoteIp;
        this.gatewayIp = gatewayIp;
        this.netmaskIp = netmaskIp;
        this.mtu = mtu;
        this.bindPort = bindPort;
        this.connectPort = connectPort;
    }

    /**
     * packetdrill's defaults for an IP version (address options unset).
     *
     * @param ipVersion the mode.
     * @return the config.
     */
    public static LocalNetConfig defaults(final IpVersion ipVersion)
    {
        return new LocalNetConfig(ipVersion, null, null, null, null, DEFAULT_MTU, 8080, 8080);
    }

    /**
     * The mode.
     *
     * @return the IP version.
     */
    public IpVersion ipVersion()
    {
        return ipVersion;
    }

    /**
     * Copy with another IP version.
     *
     * @param value the version.
     * @return the copy.
     */
    public LocalNetConfig withIpVersion(final IpVersion value)
    {
        return new LocalNetConfig(value, localIp, remoteIp, gatewayIp, netmaskIp, mtu, bindPort, connectPort);
    }

    /**
     * Copy with {@code --local_ip}.
     *
     * @param value the address text.
     * @return the copy.
     */
    public LocalNetConfig withLocalIp(final String value)
    {
        return new LocalNetConfig(ipVersion, value, remoteIp, gatewayIp, netmaskIp, mtu, bindPort, connectPort);
    }

    /**
     * Copy with {@code --remote_ip} (optionally {@code /prefix}).
     *
     * @param value the address text.
     * @return the copy.
     */
    public LocalNetConfig withRemoteIp(final String value)
    {
        return new LocalNetConfig(ipVersion, localIp, value, gatewayIp, netmaskIp, mtu, bindPort, connectPort);
    }

    /**
     * Copy with {@code --gateway_ip}.
     *
     * @param value the address text.
     * @return the copy.
     */
    public LocalNetConfig withGatewayIp(final String value)
    {
        return new LocalNetConfig(ipVersion, localIp, remoteIp, value, netmaskIp, mtu, bindPort, connectPort);
    }

    /**
     * Copy with {@code --netmask_ip} (IPv4 only, as in packetdrill).
     *
     * @param value the netmask text, e.g. 255.255.0.0.
     * @return the copy.
     */
    public LocalNetConfig withNetmaskIp(final String value)
    {
        return new LocalNetConfig(ipVersion, localIp, remoteIp, gatewayIp, value, mtu, bindPort, connectPort);
    }

    /**
     * Copy with {@code --mtu}.
     *
     * @param value the MTU.
     * @return the copy.
     */
    public LocalNetConfig withMtu(final int value)
    {
        return new LocalNetConfig(ipVersion, localIp, remoteIp, gatewayIp, netmaskIp, value, bindPort, connectPort);
    }

    /**
     * Copy with {@code --bind_port}.
     *
     * @param value the port.
     * @return the copy.
     */
    public LocalNetConfig withBindPort(final int value)
    {
        return new LocalNetConfig(ipVersion, localIp, remoteIp, gatewayIp, netmaskIp, mtu, value, connectPort);
    }

    /**
     * Copy with {@code --connect_port}.
     *
     * @param value the port.
     * @return the copy.
     */
    public LocalNetConfig withConnectPort(final int value)
    {
        return new LocalNetConfig(ipVersion, localIp, remoteIp, gatewayIp, netmaskIp, mtu, bindPort, value);
    }

    /**
     * The local (kernel-side) address on the wire, as configured on tun0.
     *
     * @return the address.
     */
    public InetAddress localAddress()
    {
        return address(null != localIp ? localIp : (ipVersion.wireIpv6() ? "fd3d:fa7b:d17d::2" : "192.168.0.2"));
    }

    /**
     * The remote (script-side) address on the wire.
     *
     * @return the address.
     */
    public InetAddress remoteAddress()
    {
        return address(stripPrefix(remoteText()));
    }

    /**
     * The gateway the remote prefix is routed through.
     *
     * @return the address.
     */
    public InetAddress gatewayAddress()
    {
        return address(null != gatewayIp ? gatewayIp :
            (ipVersion.wireIpv6() ? "fd3d:fa7b:d17d:8888::" : "192.168.0.1"));
    }

    /**
     * Prefix length of the local address.
     *
     * @return 48 for IPv6 (fixed, as in packetdrill); from the netmask for IPv4.
     */
    public int localPrefixLength()
    {
        if (ipVersion.wireIpv6())
        {
            return 48;
        }
        final byte[] mask = address(null != netmaskIp ? netmaskIp : "255.255.0.0").getAddress();
        int bits = 0;
        for (final byte b : mask)
        {
            bits += Integer.bitCount(b & 0xFF);
        }
        return bits;
    }

    /**
     * Prefix length of the remote route.
     *
     * @return the {@code /len} given, or a host route (32/128) when none.
     */
    public int remotePrefixLength()
    {
        final String text = remoteText();
        final int slash = text.indexOf('/');
        if (slash >= 0)
        {
            return Integer.parseInt(text.substring(slash + 1).trim());
        }
        return ipVersion.wireIpv6() ? 128 : 32;
    }

    /**
     * The remote route in {@code ip route} syntax (network address / length).
     *
     * @return e.g. {@code 192.0.2.0/24}.
     */
    public String remotePrefix()
    {
        final byte[] bytes = remoteAddress().getAddress();
        final int length = remotePrefixLength();
        for (int bit = length; bit < bytes.length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >>> (bit % 8));
        }
        try
        {
            return InetAddress.getByAddress(bytes).getHostAddress() + "/" + length;
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * MTU of tun0.
     *
     * @return the MTU.
     */
    public int mtu()
    {
        return mtu;
    }

    /**
     * Port {@code ...} stands for in bind.
     *
     * @return the port.
     */
    public int bindPort()
    {
        return bindPort;
    }

    /**
     * Port {@code ...} stands for in connect.
     *
     * @return the port.
     */
    public int connectPort()
    {
        return connectPort;
    }

    /**
     * The address script sockets bind to: the local address, v4-mapped in that mode.
     *
     * @return the socket-level address.
     */
    public InetAddress bindAddress()
    {
        return socketLevel(localAddress());
    }

    /**
     * The address script sockets connect to: the remote address, v4-mapped in that mode.
     *
     * @return the socket-level address.
     */
    public InetAddress connectAddress()
    {
        return socketLevel(remoteAddress());
    }

    private InetAddress socketLevel(final InetAddress wire)
    {
        if (IpVersion.IPV4_MAPPED_IPV6 != ipVersion)
        {
            return wire;
        }
        final byte[] mapped = new byte[16];
        mapped[10] = (byte)0xFF;
        mapped[11] = (byte)0xFF;
        System.arraycopy(wire.getAddress(), 0, mapped, 12, 4);
        try
        {
            // getByAddress would collapse a mapped address back to Inet4Address.
            return Inet6Address.getByAddress(null, mapped, -1);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private String remoteText()
    {
        return null != remoteIp ? remoteIp : (ipVersion.wireIpv6() ? "2001:db8::1/32" : "192.0.2.1/24");
    }

    private static String stripPrefix(final String text)
    {
        final int slash = text.indexOf('/');
        return slash >= 0 ? text.substring(0, slash) : text;
    }

    private InetAddress address(final String text)
    {
        final String trimmed = text.trim();
        if (!trimmed.matches("[0-9A-Fa-f:.]+"))
        {
            throw new IllegalArgumentException("bad IP address: " + text);
        }
        final InetAddress address;
        try
        {
            address = InetAddress.getByName(trimmed);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException("bad IP address: " + text, ex);
        }
        final boolean wantV6 = ipVersion.wireIpv6();
        if (wantV6 != (address instanceof Inet6Address) || !wantV6 != (address instanceof Inet4Address))
        {
            throw new IllegalArgumentException("address family does not match --ip_version=" + ipVersion.flag() +
                ": " + text);
        }
        return address;
    }

    @Override
    public String toString()
    {
        return "LocalNetConfig{ipVersion=" + ipVersion.flag() + ", local=" + localAddress().getHostAddress() + "/" +
            localPrefixLength() + ", remote=" + remotePrefix() + ", gateway=" + gatewayAddress().getHostAddress() +
            ", mtu=" + mtu + "}";
    }
}

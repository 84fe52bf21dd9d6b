package dev.hostplane.packetscript.live.net;

/**
 * packetdrill's {@code --ip_version}: the socket family scripts use and the wire protocol.
 */
public enum IpVersion
{
    /** AF_INET sockets, IPv4 on the wire. */
    IPV4("ipv4"),
    /** AF_INET6 sockets with v4-mapped addresses, IPv4 on the wire. */
    IPV4_MAPPED_IPV6("ipv4-mapped-ipv6"),
    /** AF_INET6 sockets, IPv6 on the wire. */
    IPV6("ipv6");

    private final String flag;

    IpVersion(final String flag)
    {
        this.flag = flag;
    }

    /**
     * The spelling of {@code --ip_version=...}.
     *
     * @return e.g. {@code ipv4-mapped-ipv6}.
     */
    public String flag()
    {
        return flag;
    }

    /**
     * Parses packetdrill's spelling.
     *
     * @param text e.g. {@code ipv6}.
     * @return the version.
     */
    public static IpVersion parse(final String text)
    {
        for (final IpVersion version : values())
        {
            if (version.flag.equals(text))
            {
                return version;
            }
        }
        throw new IllegalArgumentException("bad --ip_version: " + text + " (ipv4, ipv4-mapped-ipv6 or ipv6)");
    }

    /**
     * Whether packets on the wire are IPv6.
     *
     * @return true for {@link #IPV6}.
     */
    public boolean wireIpv6()
    {
        return this == IPV6;
    }

    /**
     * Whether script sockets are AF_INET6.
     *
     * @return true for the two IPv6-socket modes.
     */
    public boolean socketIpv6()
    {
        return this != IPV4;
    }
}

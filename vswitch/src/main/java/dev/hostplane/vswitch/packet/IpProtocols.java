package dev.hostplane.vswitch.packet;

/**
 * IP protocol / IPv6 next-header numbers used by the codec (IANA "Assigned Internet Protocol
 * Numbers").
 */
public final class IpProtocols
{
    /** IPv6 hop-by-hop options. */
    public static final int HOPOPT = 0;
    /** ICMP for IPv4. */
    public static final int ICMP = 1;
    /** TCP. */
    public static final int TCP = 6;
    /** UDP. */
    public static final int UDP = 17;
    /** IPv6 routing header. */
    public static final int IPV6_ROUTE = 43;
    /** IPv6 fragment header. */
    public static final int IPV6_FRAG = 44;
    /** Encapsulating security payload. */
    public static final int ESP = 50;
    /** Authentication header. */
    public static final int AH = 51;
    /** ICMP for IPv6. */
    public static final int ICMPV6 = 58;
    /** IPv6 no next header. */
    public static final int IPV6_NONXT = 59;
    /** IPv6 destination options. */
    public static final int IPV6_OPTS = 60;
    /** Mobility header. */
    public static final int MOBILITY = 135;

    private IpProtocols()
    {
    }
}

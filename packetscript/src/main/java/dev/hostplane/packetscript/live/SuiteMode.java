package dev.hostplane.packetscript.live;

import dev.hostplane.packetscript.live.net.IpVersion;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options and definitions packetdrill's {@code run_all.py} passes per IP mode, and which
 * scripts it skips in that mode ({@code *v6.pkt} in the IPv4 modes, {@code *v4.pkt} in IPv6).
 */
public enum SuiteMode
{
    /** {@code -4}. */
    IPV4(IpVersion.IPV4),
    /** {@code --ipv4mappedv6}. */
    IPV4_MAPPED_IPV6(IpVersion.IPV4_MAPPED_IPV6),
    /** {@code -6}. */
    IPV6(IpVersion.IPV6);

    private final IpVersion ipVersion;

    SuiteMode(final IpVersion ipVersion)
    {
        this.ipVersion = ipVersion;
    }

    /**
     * The long options of this mode.
     *
     * @return option name to value.
     */
    public Map<String, String> options()
    {
        final Map<String, String> options = new LinkedHashMap<>();
        options.put("ip_version", ipVersion.flag());
        if (IpVersion.IPV6 == ipVersion)
        {
            options.put("mtu", "1520");
            options.put("local_ip", "fd3d:0a0b:17d6::1");
            options.put("gateway_ip", "fd3d:0a0b:17d6:8888::1");
            options.put("remote_ip", "fd3d:fa7b:d17d::1");
        }
        else
        {
            options.put("local_ip", "192.168.0.1");
            options.put("gateway_ip", "192.168.0.1");
            options.put("netmask_ip", "255.255.0.0");
            options.put("remote_ip", "192.0.2.1");
        }
        return options;
    }

    /**
     * The {@code -D} definitions of this mode.
     *
     * @return name to value.
     */
    public Map<String, String> definitions()
    {
        final Map<String, String> definitions = new LinkedHashMap<>();
        // As run_all.py: the cookie depends on the addresses; v4-mapped sockets report errors as IPv6.
        definitions.put("TFO_COOKIE", IpVersion.IPV6 == ipVersion ? "c1d1e9742a47a9bc" : "3021b9d889017eeb");
        if (IpVersion.IPV6 != ipVersion)
        {
            definitions.put("CODE", "host_unreachable");
        }
        final boolean ipv4Errors = IpVersion.IPV4 == ipVersion;
        definitions.put("CMSG_LEVEL_IP", ipv4Errors ? "SOL_IP" : "SOL_IPV6");
        definitions.put("CMSG_TYPE_RECVERR", ipv4Errors ? "IP_RECVERR" : "IPV6_RECVERR");
        return definitions;
    }

    /**
     * Whether run_all.py runs this script in this mode.
     *
     * @param script the script path.
     * @return false for {@code *v6.pkt} in IPv4 modes and {@code *v4.pkt} in IPv6 mode.
     */
    public boolean runs(final Path script)
    {
        final String name = script.getFileName().toString();
        return IpVersion.IPV6 == ipVersion ? !name.endsWith("v4.pkt") : !name.endsWith("v6.pkt");
    }
}

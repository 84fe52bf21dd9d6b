package dev.hostplane.packetscript.packet;

import java.util.Map;

/**
 * ICMP and ICMPv6 type and code names as packetdrill scripts write them ({@code unreachable frag_needed},
 * {@code packet_too_big}, ...).
 */
public final class IcmpCodes
{
    private static final Map<String, Integer> V4_TYPES = Map.ofEntries(
        Map.entry("echo_reply", 0), Map.entry("unreachable", 3), Map.entry("source_quench", 4),
        Map.entry("redirect", 5), Map.entry("echo_request", 8), Map.entry("time_exceeded", 11),
        Map.entry("parameter_problem", 12), Map.entry("timestamp_request", 13), Map.entry("timestamp_reply", 14));
    private static final Map<String, Integer> V4_UNREACHABLE_CODES = Map.ofEntries(
        Map.entry("net_unreachable", 0), Map.entry("host_unreachable", 1), Map.entry("protocol_unreachable", 2),
        Map.entry("port_unreachable", 3), Map.entry("frag_needed", 4), Map.entry("source_route_failed", 5),
        Map.entry("net_unknown", 6), Map.entry("host_unknown", 7), Map.entry("source_host_isolated", 8),
        Map.entry("net_prohibited", 9), Map.entry("host_prohibited", 10), Map.entry("net_unreachable_for_tos", 11),
        Map.entry("host_unreachable_for_tos", 12), Map.entry("packet_filtered", 13),
        Map.entry("precedence_violation", 14), Map.entry("precedence_cutoff", 15));
    private static final Map<String, Integer> V6_TYPES = Map.ofEntries(
        Map.entry("unreachable", 1), Map.entry("packet_too_big", 2), Map.entry("time_exceeded", 3),
        Map.entry("parameter_problem", 4), Map.entry("echo_request", 128), Map.entry("echo_reply", 129));
    private static final Map<String, Integer> V6_UNREACHABLE_CODES = Map.ofEntries(
        Map.entry("no_route", 0), Map.entry("admin_prohibited", 1), Map.entry("beyond_scope", 2),
        Map.entry("address_unreachable", 3), Map.entry("port_unreachable", 4), Map.entry("source_addr_failed", 5),
        Map.entry("reject_route", 6));

    private IcmpCodes()
    {
    }

    /**
     * Resolves a type name.
     *
     * @param ipv6 whether ICMPv6.
     * @param name the name (or a decimal number).
     * @return the type.
     * @throws PacketBuildException for an unknown name.
     */
    public static int type(final boolean ipv6, final String name)
    {
        final Integer type = (ipv6 ? V6_TYPES : V4_TYPES).get(name);
        if (type != null)
        {
            return type;
        }
        return number(name, "bad ICMP" + (ipv6 ? "v6" : "") + " type " + name);
    }

    /**
     * Resolves a code name for a type.
     *
     * @param ipv6 whether ICMPv6.
     * @param type the type.
     * @param name the code name, a decimal number, or null for 0.
     * @return the code.
     * @throws PacketBuildException for an unknown name.
     */
    public static int code(final boolean ipv6, final int type, final String name)
    {
        if (name == null)
        {
            return 0;
        }
        final Map<String, Integer> codes = !ipv6 && type == 3 ? V4_UNREACHABLE_CODES :
            ipv6 && type == 1 ? V6_UNREACHABLE_CODES : Map.of();
        final Integer code = codes.get(name);
        if (code != null)
        {
            return code;
        }
        return number(name, "bad ICMP" + (ipv6 ? "v6" : "") + " code " + name + " for type " + type);
    }

    private static int number(final String name, final String error)
    {
        try
        {
            final int value = Integer.parseInt(name);
            if (value >= 0 && value <= 255)
            {
                return value;
            }
        }
        catch (final NumberFormatException ex)
        {
            // fall through to the error below
        }
        throw new PacketBuildException(error);
    }
}

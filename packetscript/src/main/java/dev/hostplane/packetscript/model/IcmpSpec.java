package dev.hostplane.packetscript.model;

/**
 * An ICMP or ICMPv6 message: {@code icmp unreachable frag_needed mtu 800 [1:1461(1460)]}.
 *
 * @param type    type name as written, e.g. {@code unreachable}, {@code packet_too_big}, {@code echo_request}.
 * @param code    code name as written (e.g. {@code frag_needed}, {@code host_unreachable}), or null.
 * @param mtu     next-hop MTU, or null.
 * @param echoId  echo identifier, or null.
 * @param echoed  the embedded (echoed) packet, or null for the default empty TCP segment.
 */
public record IcmpSpec(String type, String code, Long mtu, Long echoId, Echoed echoed) implements TransportSpec
{
    /**
     * The packet quoted inside an ICMP error, in script space.
     *
     * @param protocol      {@code tcp} ({@code [start:end(len)]}), {@code udp} ({@code [udp (len)]}) or {@code raw}.
     * @param startSequence TCP start sequence (0 for udp/raw).
     * @param payloadLength payload bytes of the quoted packet.
     */
    public record Echoed(String protocol, long startSequence, int payloadLength)
    {
    }
}

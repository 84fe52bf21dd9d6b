package dev.hostplane.packetscript.model;

/**
 * A UDP datagram: {@code udp (len)} or {@code udp 1234>5678 (len)}.
 *
 * @param srcPort       explicit source port or null.
 * @param dstPort       explicit destination port or null.
 * @param payloadLength payload bytes.
 */
public record UdpSpec(Integer srcPort, Integer dstPort, int payloadLength) implements TransportSpec
{
}

/**
 * Zero-allocation packet codec: flyweights over {@link java.nio.ByteBuffer}s and Agrona
 * {@link org.agrona.DirectBuffer}s for Ethernet (with VLAN tags), ARP, IPv4, IPv6 (with extension
 * headers), TCP (with options), UDP, ICMP and ICMPv6, and Internet checksum arithmetic.
 *
 * <p>IP and transport flyweights take any offset and make no assumption about an Ethernet header
 * in front, so they serve TUN packets (which start at the IP header) as well as TAP frames.
 * Usage: {@code ipv4.wrap(buffer, offset, length); if (ipv4.isValid()) { ... }}.
 */
package dev.hostplane.vswitch.packet;

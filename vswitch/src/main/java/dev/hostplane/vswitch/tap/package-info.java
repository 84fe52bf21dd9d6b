/**
 * Linux TUN/TAP device access through JNA: open with TUNSETIFF ({@code IFF_TUN}/{@code IFF_TAP},
 * {@code IFF_NO_PI}, {@code IFF_VNET_HDR}), read and write frames from off-heap buffers without
 * allocation, enable GSO/checksum offloads (TUNSETOFFLOAD), and the virtio_net_hdr flyweight that
 * describes GSO frames.
 */
package dev.hostplane.vswitch.tap;

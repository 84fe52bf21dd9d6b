/**
 * Control-plane applications and tools (VS-C2, VS-C5): the MAC-learning switch and the
 * {@code ovs-ofctl} flow syntax parser.
 */
package dev.hostplane.vswitch.control;

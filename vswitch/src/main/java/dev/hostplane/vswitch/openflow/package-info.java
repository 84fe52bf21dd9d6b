/**
 * OpenFlow 1.3 agent: lets a real controller or {@code ovs-ofctl -O OpenFlow13} program an
 * embedded {@link dev.hostplane.vswitch.VirtualSwitch} over TCP or TLS, listening (passive) or
 * connecting out with reconnect (active). Start with {@link dev.hostplane.vswitch.openflow.OpenFlowAgent}.
 */
package dev.hostplane.vswitch.openflow;

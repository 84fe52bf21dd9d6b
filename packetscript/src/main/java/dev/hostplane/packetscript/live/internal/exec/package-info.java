/**
 * Internal use only, not API: the executor that runs one script against the kernel as packetdrill's
 * {@code run_script} does (events in time order, inbound packets injected, outbound packets sniffed and handed to
 * {@code dev.hostplane.packetscript.packet.OutboundPacketVerifier}, system calls on live file descriptors, shell
 * and Python blocks), with its options, scheduling and warm-up. Embedders use
 * {@code dev.hostplane.packetscript.live.LiveRunner} and {@code SuiteRunner}.
 */
package dev.hostplane.packetscript.live.internal.exec;

package dev.hostplane.vswitch.internal;

import dev.hostplane.vswitch.action.Action;

/**
 * A packet-out queued for a worker: the frame, the port it claims to come from (0 = none), and the
 * actions to run on it.
 *
 * @param frame frame bytes (owned by the request).
 * @param inPort ingress port for in_port/flood semantics, 0 for none.
 * @param actions actions to run.
 */
public record PacketOutRequest(byte[] frame, int inPort, Action[] actions)
{
}
